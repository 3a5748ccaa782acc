"""The filter language's syntax: text → a tree of terms, with the position of every part.

    filter  := or ( "or" or )*           # also "|" and "或"
    or      := unary ( ["and"] unary )*  # terms side by side must all hold; also "且"
    unary   := ("-" | "not" | "非") unary | "(" filter ")" | term
    term    := FIELD OP value ("," value)*      # unit:市北区  repeat>=3  nature:投诉,举报
             | WORD                             # a keyword (overdue, 超期, 信访 …) or words to search for
    OP      := ":" | "=" | "!=" | ">" | ">=" | "<" | "<="
    value   := bare text up to a space, "," or ")"  |  "quoted text" (\\" and \\\\ inside)

Full-width forms typed with a Chinese input method (：，（）＞＜＝ and the ideographic space) read as their
ASCII twins, one character for one, so positions stay those of the text as typed. Nothing here knows the
fields: ``compile`` gives the words their meaning. Errors are ``QueryError``s at a position.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from hotline_tui.errors import InputError

MAX_CHARS = 1000
MAX_DEPTH = 16  # brackets and negations inside one another
OPERATORS = (">=", "<=", "!=", ":", "=", ">", "<")
OR_WORDS = frozenset({"or", "|", "或"})
AND_WORDS = frozenset({"and", "&", "且"})
NOT_WORDS = frozenset({"not", "非"})
_STOP = frozenset(" (),\"")
# full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as an IME types them: one character for one
_NARROW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class QueryError(InputError):
    """A filter that cannot be read: ``message`` is for a person, ``pos``..``end`` the characters at fault."""

    def __init__(self, message: str, pos: int, end: int | None = None) -> None:
        self.message, self.pos = message, max(0, pos)
        self.end = max(self.pos + 1, end if end is not None else self.pos + 1)
        super().__init__(f"{message} (at column {self.pos + 1})")


@dataclass(frozen=True)
class Value:
    text: str
    pos: int
    end: int
    quoted: bool = False


@dataclass(frozen=True)
class Term:
    """``field op values`` (``field`` is None for a bare word, whose one value is the word)."""

    field: str | None
    op: str
    values: tuple[Value, ...]
    pos: int
    end: int
    field_end: int = 0  # where the field name ends (completion)


@dataclass(frozen=True)
class Not:
    node: object
    pos: int


@dataclass(frozen=True)
class All:
    nodes: tuple
    pos: int = 0


@dataclass(frozen=True)
class Any_:
    nodes: tuple
    pos: int = 0


@dataclass
class Parsed:
    node: object | None  # None: no condition (every ticket)
    text: str
    terms: list[Term] = field(default_factory=list)  # every term, in order (completion, explanations)


def quote_value(value: str) -> str:
    """``value`` as it must be written in a filter to be read back as itself."""
    if value and not any(ch.isspace() or ch in '(),"' for ch in value) and not _op_at(value, 0):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def normalise(text: str) -> str:
    """Full-width forms to ASCII, one character for one (positions keep their meaning)."""
    return text.translate(_NARROW)


def check_characters(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise QueryError(f"the filter is {len(text):,} characters long; at most {MAX_CHARS:,} are read", MAX_CHARS, len(text))
    for i, ch in enumerate(text):
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise QueryError(f"the filter holds a control character (U+{ord(ch):04X}); type only letters, digits and signs", i)


@dataclass
class _Token:
    kind: str  # word | ( | ) | - | or | and | not
    text: str
    pos: int
    end: int
    term: Term | None = None


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def tokens(self) -> list[_Token]:
        out: list[_Token] = []
        text = self.text
        while True:
            while self.i < len(text) and text[self.i].isspace():
                self.i += 1
            if self.i >= len(text):
                return out
            ch, start = text[self.i], self.i
            if ch in "()":
                self.i += 1
                out.append(_Token(ch, ch, start, self.i))
            elif ch == "-" and self.i + 1 < len(text) and not text[self.i + 1].isspace() and text[self.i + 1] not in ")-,":
                self.i += 1
                out.append(_Token("-", ch, start, self.i))
            elif ch == ",":
                raise QueryError("a comma belongs between two values of one field, as in nature:投诉,举报", start)
            else:
                term = self.term()
                word = term.values[0].text.lower() if term.field is None and not term.values[0].quoted else ""
                kind = "or" if word in OR_WORDS else "and" if word in AND_WORDS else "not" if word in NOT_WORDS else "word"
                out.append(_Token(kind, word, term.pos, term.end, term if kind == "word" else None))

    def term(self) -> Term:
        text, start = self.text, self.i
        if text[self.i] == '"':
            value = self.quoted()
            return Term(None, "", (value,), start, self.i)
        j = self.i
        while j < len(text) and not text[j].isspace() and text[j] not in _STOP and not _op_at(text, j):
            j += 1
        name = text[self.i:j]
        op = _op_at(text, j)
        if not op:
            self.i = j
            if j < len(text) and text[j] == '"':
                raise QueryError('a quote must start a value: write field:"two words" or "two words"', j)
            return Term(None, "", (Value(name, start, j),), start, j)
        if not name:
            raise QueryError(f"{op!r} needs a field name before it, as in repeat>=3", j, j + len(op))
        self.i = j + len(op)
        values = [self.value(name, op)]
        while self.i < len(text) and text[self.i] == ",":
            self.i += 1
            values.append(self.value(name, op))
        return Term(name, op, tuple(values), start, self.i, field_end=j)

    def value(self, name: str, op: str) -> Value:
        text, start = self.text, self.i
        if start < len(text) and text[start] == '"':
            return self.quoted()
        j = start
        while j < len(text) and not text[j].isspace() and text[j] not in "(),\"":
            j += 1
        if j == start:
            raise QueryError(f"{name}{op} needs a value after it", max(start - 1, 0), start)
        self.i = j
        return Value(text[start:j], start, j)

    def quoted(self) -> Value:
        text, start = self.text, self.i
        out, j = [], start + 1
        while j < len(text):
            ch = text[j]
            if ch == "\\" and j + 1 < len(text) and text[j + 1] in '"\\':
                out.append(text[j + 1])
                j += 2
            elif ch == '"':
                self.i = j + 1
                return Value("".join(out), start, j + 1, quoted=True)
            else:
                out.append(ch)
                j += 1
        raise QueryError("this quote is never closed", start, len(text))


def _op_at(text: str, j: int) -> str:
    for op in OPERATORS:
        if text.startswith(op, j):
            return op
    return ""


class _Parser:
    def __init__(self, tokens: list[_Token], text: str) -> None:
        self.tokens, self.text, self.k = tokens, text, 0
        self.terms: list[Term] = []
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.k] if self.k < len(self.tokens) else None

    def parse(self) -> object | None:
        if not self.tokens:
            return None
        node = self.any_()
        tok = self.peek()
        if tok is not None:  # only a stray ")" stops an expression early
            raise QueryError("this ) closes nothing", tok.pos)
        return node

    def any_(self) -> object:
        nodes = [self.all_()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.k += 1
            if self.peek() is None or self.peek().kind in (")", "or"):
                raise QueryError(f"{tok.text!r} needs a condition on both sides", tok.pos, tok.end)
            nodes.append(self.all_())
        return nodes[0] if len(nodes) == 1 else Any_(tuple(nodes), nodes[0].pos if hasattr(nodes[0], "pos") else 0)

    def all_(self) -> object:
        nodes = []
        while (tok := self.peek()) is not None and tok.kind not in ("or", ")"):
            if tok.kind == "and":
                self.k += 1
                if not nodes or self.peek() is None or self.peek().kind in (")", "or", "and"):
                    raise QueryError(f"{tok.text!r} needs a condition on both sides", tok.pos, tok.end)
                continue
            nodes.append(self.unary())
        if not nodes:
            tok = self.peek()
            if tok is not None and tok.kind == "or":
                raise QueryError(f"{tok.text!r} needs a condition on both sides", tok.pos, tok.end)
            pos = tok.pos if tok is not None else len(self.text)
            raise QueryError("a condition is missing here", pos)
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes), _pos(nodes[0]))

    def unary(self) -> object:
        tok = self.peek()
        if tok.kind in ("-", "not", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"brackets and negations are nested more than {MAX_DEPTH} deep here; write it flatter", tok.pos)
            try:
                return self._inner(tok)
            finally:
                self.depth -= 1
        self.k += 1
        self.terms.append(tok.term)
        return tok.term

    def _inner(self, tok: _Token) -> object:
        if tok.kind in ("-", "not"):
            self.k += 1
            if self.peek() is None or self.peek().kind in (")", "or", "and"):
                raise QueryError(f"{tok.text!r} needs a condition after it", tok.pos, tok.end)
            return Not(self.unary(), tok.pos)
        if tok.kind == "(":
            self.k += 1
            if self.peek() is None:
                raise QueryError("this ( is never closed", tok.pos)
            if self.peek().kind == ")":
                raise QueryError("nothing between ( and )", tok.pos, self.peek().end)
            node = self.any_()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("this ( is never closed", tok.pos)
            self.k += 1
            return node
        raise AssertionError(tok.kind)


def _pos(node) -> int:
    return getattr(node, "pos", 0)


def parse(text: str) -> Parsed:
    """The filter's tree (``node`` None when it is empty); raises QueryError at the fault."""
    if not isinstance(text, str):
        raise QueryError(f"a filter is text, not {type(text).__name__}", 0)
    check_characters(text)
    narrow = normalise(text)
    parser = _Parser(_Lexer(narrow).tokens(), narrow)
    node = parser.parse()
    return Parsed(node, narrow, parser.terms)
