"""A parsed filter → one parameterised SQL condition over the ticket projection (alias ``t``), its sort key,
and an explanation of how every term was read.

Values never reach the SQL text: every one is a bound parameter. Units and places are resolved through the
directory (a unit includes the units under it), categories through the taxonomy (a category includes its
children), dates in China's time, working days on the holiday calendar. Text search is the store's own
(``scope.text_condition``). A term that cannot be read raises ``QueryError`` at its position.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hotline_tui.domain.calendar import WorkCalendar
from hotline_tui.domain.vocabulary import CHANNELS, FLAGS, NATURES, STATES, URGENCIES
from hotline_tui.errors import InputError
from hotline_tui.query import fields as F
from hotline_tui.query.syntax import All, Any_, Not, QueryError, Term, Value, parse
from hotline_tui.query.literals import COMMITTED, TEXT_FLOOR, UNFINISHED, flag_condition, literal_list
from hotline_tui.query.times import TimeTerms, _due_below, _due_from

MAX_COUNT = 1_000_000
_CJK_OR_DIGIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff0-9]")
_SEP = " › "
# columns an index of the store starts with: a condition on one of them alone can drive a query
INDEXED = frozenset({"state", "lead_unit", "place", "channel", "nature", "category", "callback", "call_count",
                     "return_count", "registered_ms", "due_key"})
NONE_WORDS = frozenset({"none", "无", "空", "未填", "未派单", "未分类"})  # unit:none, place:none, category:none
_TOP = "\U0010ffff"  # sorts after every character: the end of a prefix range


@dataclass
class Unit:
    code: str
    name: str
    path: str
    codes: tuple[str, ...] | None  # the unit and every unit under it; None: every unit (the city)


@dataclass
class Scope:
    """What a filter is read against: the clock, the calendar, the directory and taxonomy, the store's search."""

    now_ms: int
    calendar: WorkCalendar
    resolve_unit: Callable[[str], Unit | None]  # a code or a name → the unit and its subtree
    category_paths: Iterable[tuple[str, ...]] = ()
    # words to search for → [(SQL with a {param} placeholder, the value to bind to it)], all to hold; raises
    # InputError when there is nothing to search for
    text_condition: Callable[[str], list[tuple[str, object]]] | None = None
    # (a condition on one indexed column, its parameters) → the share of tickets it holds, roughly
    selectivity: Callable[[str, dict[str, object]], float] | None = None
    registered_span: tuple[int, int] | None = None  # the store's first and last registration times
    text_share: Callable[[object], float] | None = None  # a full-text match's share of the tickets, roughly
    # ms → a full-text rowid below those of every text of every ticket registered since then (a ticket's key,
    # given in the order tickets are first written, leads its texts' rowids); None when unknown
    text_floor: Callable[[int], int | None] | None = None


@dataclass
class Compiled:
    where: str  # a SQL condition over ``t``; "1" for no condition
    params: dict[str, object]
    sort: str
    explain: list[str] = field(default_factory=list)
    sort_given: bool = False
    unfinished: bool = False  # the condition holds UNFINISHED as a top-level conjunct (a partial index applies)
    share: float | None = None  # roughly what share of the store matches (None: no condition was measured)


class _Sql:
    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def p(self, value: object) -> str:
        name = f"q{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def many(self, values: Iterable[object]) -> str:
        return ", ".join(self.p(v) for v in values)


def compile_filter(text: str, scope: Scope, default_sort: str = "new") -> Compiled:
    parsed = parse(text)
    c = _Compiler(scope)
    sort, sort_given, node = default_sort, False, parsed.node
    sorts = [t for t in parsed.terms if t.field is not None and (f := F.field_named(t.field)) is not None and f.kind == "sort"]
    if sorts:
        sort, node = c.take_sort(sorts, parsed.node), _without(parsed.node, sorts)
        sort_given = True
    if isinstance(node, Term):
        node = All((node,), node.pos)  # one term is a conjunction of one: it gets its share too (hint)
    where = c.node(node) if node is not None else "1"
    where = c.bound_text(where)
    explain = c.explain + ([c._sort_label] if sort_given else [])
    return Compiled(where, c.sql.params, sort, explain, sort_given, unfinished=UNFINISHED in c.top_terms, share=c.share)


def _without(node, terms: list[Term]):
    if node is None or node in terms:
        return None
    if isinstance(node, All):
        kept = tuple(n for n in (_without(n, terms) for n in node.nodes) if n is not None)
        return None if not kept else kept[0] if len(kept) == 1 else All(kept, node.pos)
    return node


class _Compiler(TimeTerms):
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.sql = _Sql()
        self.explain: list[str] = []
        self._top = True
        self._atomic = False  # whether the term just compiled is one condition on one indexed column
        self._shares: dict[str, float] = {}  # shares of conditions known without counting
        self._sort_label = ""
        self.top_terms: set[str] = set()  # the conditions every listed ticket meets (split on AND: a hint)
        self.share: float | None = None  # the measured conditions' share of the store, together (None: unmeasured)
        self._top_level_term = False  # compiling a term every listed ticket must meet
        self._from_ms: list[tuple[int, bool]] = []  # registered-since bounds: (ms, whether every ticket must meet it)

    def registered_from(self, ms: int) -> None:
        """A term says the ticket was registered at ``ms`` or later (at the top level: every listed ticket)."""
        self._from_ms.append((ms, self._top_level_term))

    def bound_text(self, where: str) -> str:
        """Every listed ticket registered since T has texts of rowid at least text_floor(T), so a full-text search
        in this filter need only read those: its MATCH gets ``rowid >= floor`` (the same result, without reading
        two years of a common word's texts for a month's tickets). Right wherever the text term stands (in a
        negation or an or too), since the bound is one every listed ticket meets."""
        floors = [ms for ms, top in self._from_ms if top]
        if TEXT_FLOOR not in where:
            return where
        floor = self.scope.text_floor(max(floors)) if floors and self.scope.text_floor is not None else None
        if not floor:
            return where.replace(TEXT_FLOOR, "")
        return where.replace(TEXT_FLOOR, f" AND rowid >= {self.sql.p(floor)}")

    # --- structure -----------------------------------------------------------------------------------
    def node(self, node) -> str:
        if isinstance(node, Term):
            return self.term(node)
        top, self._top = self._top, False
        if isinstance(node, Not):
            return f"NOT ifnull(({self.node(node.node)}), 0)"
        if isinstance(node, All):
            parts = []
            for n in node.nodes:
                self._atomic = False
                self._top_level_term = top and isinstance(n, Term)
                parts.append((self.node(n), self._atomic))
                self._top_level_term = False
            if top:
                parts = self.hint(parts)
                self.top_terms = {term for sql, _ in parts for term in sql.split(" AND ")}
            return " AND ".join(f"({sql})" for sql, _ in parts)
        if isinstance(node, Any_):
            return " OR ".join(f"({self.node(n)})" for n in node.nodes)
        raise AssertionError(node)

    def take_sort(self, sorts: list[Term], node) -> str:
        if len(sorts) > 1:
            raise QueryError("sort: is given twice; keep one", sorts[1].pos, sorts[1].end)
        term = sorts[0]
        if not (node is term or (isinstance(node, All) and term in node.nodes)):
            raise QueryError("sort: orders the whole list: write it beside the other terms, not inside ( ), - or or",
                             term.pos, term.end)
        if term.op != ":" or len(term.values) != 1:
            raise QueryError("write sort:due, sort:age, sort:new, sort:repeats or sort:unit", term.pos, term.end)
        value = term.values[0]
        code = value.text.lower()
        known = dict(F.SORTS)
        if code not in known:
            raise QueryError(f"cannot sort by {value.text!r}; sort by {', '.join(known)}", value.pos, value.end)
        self._sort_label = f"排序: {known[code]}"
        return code

    def hint(self, parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
        """Tell SQLite how many tickets each indexed condition holds (``likelihood``), so it drives the query from
        the narrowest and knows when the matches are few enough to sort: it cannot know that 信访 is rare and 投诉
        common, or that hardly any ticket was returned twice. (Only conditions on one indexed column, or one
        full-text word, are measured and wrapped; SQLite still uses the index inside ``likelihood``.)"""
        if self.scope.selectivity is None or not any(atomic for _, atomic in parts):
            return parts
        out = []
        self.share = 1.0
        for sql, atomic in parts:
            if atomic:
                share = self._shares.get(sql)
                if share is None:
                    share = self.scope.selectivity(sql, self.sql.params)
                share = min(1.0, max(1e-9, float(share)))
                self.share *= share  # as if the conditions were independent: a guess, good for choosing a plan
                sql = f"likelihood({sql}, {share:.9f})"
            out.append((sql, atomic))
        return out

    # --- one term ------------------------------------------------------------------------------------
    def term(self, t: Term) -> str:
        if t.field is None:
            return self.word(t.values[0])
        f = F.field_named(t.field)
        if f is None:
            raise QueryError(_unknown_field(t.field), t.pos, t.field_end)
        handler = getattr(self, f"_{f.kind}")
        return handler(f, t)

    def word(self, v: Value) -> str:
        word = v.text
        key = F.KEYWORD_ALIASES.get(word.lower()) if not v.quoted else None
        if key is not None:
            return self.keyword(key)
        if not v.quoted:
            for name in ("state", "channel", "nature", "flag", "urgency"):
                f = F.field_named(name)
                code = F.enum_code(f, word)
                if code is not None and (name != "state" or code in STATES):
                    return self._enum(f, Term(name, ":", (v,), v.pos, v.end))
        if v.quoted or _CJK_OR_DIGIT.search(word):
            return self.text(word, v)
        raise QueryError(_unknown_word(word), v.pos, v.end)

    def keyword(self, key: str) -> str:
        label = {k: lab for k, lab, _ in F.KEYWORDS}[key]
        self.explain.append(label)
        s, now = self.sql, self.scope.now_ms
        running = f"{UNFINISHED} AND t.state IN ({literal_list(F.RUNNING)})"
        if key == "overdue":
            return f"{running} AND {_due_below(s.p(now))}"
        if key == "due-soon":
            return f"{running} AND {_due_from(s.p(now))} AND {_due_below(s.p(self.left_bound(1)))}"
        if key == "open":
            return f"{UNFINISHED} AND t.state IN ({literal_list(F.OPEN)})"
        if key == "unfinished":
            return UNFINISHED
        if key == "urgent":
            return f"t.urgency IN ({s.many(('urgent', 'emergency'))})"
        if key == "unsatisfied":
            return f"t.callback = {s.p('unsatisfied')}"
        flag = {"disputed": "disputed_callback", "repeated": "repeat", "listed": "listed", "supervised": "supervised",
                "escalated": "escalated", "urged-any": "urged"}[key]
        return self.flag_sql([flag])

    # --- kinds of field --------------------------------------------------------------------------------
    def _enum_codes(self, f: F.FieldDef, t: Term) -> tuple[str, list[str]]:
        """(operator, codes) of a term over a field of named values, its explanation added; a value the field
        does not name is refused at its position."""
        op = _only_ops(f, t, (":", "=", "!="))
        codes = []
        for v in t.values:
            code = F.enum_code(f, v.text)
            if code is None:
                allowed = ", ".join(f"{c} ({lab})" for c, lab in f.values)
                raise QueryError(f"{f.name} cannot be {v.text!r}; it is one of: {allowed}", v.pos, v.end)
            codes.append(code)
        labels = dict(f.values)
        self.explain.append(f"{f.label}{'不是' if op == '!=' else ': '}{'、'.join(labels.get(c, c) for c in codes)}")
        return op, codes

    def _enum(self, f: F.FieldDef, t: Term) -> str:
        op, codes = self._enum_codes(f, t)
        s = self.sql
        if f.name == "flag":
            sql = self.flag_sql(codes)
        elif f.name == "state":
            wanted = set()
            for c in codes:
                wanted |= {"open": set(F.OPEN), "final": set(F.FINAL),
                           "unfinished": set(STATES) - set(F.FINAL)}.get(c, {c})
            sql = f"t.state IN ({literal_list(sorted(wanted))})"
            if op != "!=" and not wanted & set(F.FINAL):
                sql = f"{UNFINISHED} AND {sql}"
        else:
            values = ["" if (f.name == "callback" and c == "none") else c for c in codes]
            sql = f"t.{f.column} IN ({s.many(values)})"
            self._atomic = op != "!=" and f.column in INDEXED
        return f"NOT ifnull(({sql}), 0)" if op == "!=" else sql

    def _commitment(self, f: F.FieldDef, t: Term) -> str:
        """不解决找我: the promised day's last millisecond (``commit_due_ms``) against now and ``closed_ms``, as
        ``domain.ticket.commitment_status``; every term states ``commit_due_ms IS NOT NULL``, the condition of the
        commitments' partial index (schema 0011), so a filter of them reads that index alone."""
        op, codes = self._enum_codes(f, t)
        kept = "t.closed_ms IS NOT NULL AND t.closed_ms <= t.commit_due_ms"
        parts = []
        for c in dict.fromkeys(codes):
            if c == "any":
                parts.append(COMMITTED)
            elif c == "kept":
                parts.append(f"{COMMITTED} AND {kept}")
            elif c == "unkept":
                parts.append(f"{COMMITTED} AND t.commit_due_ms < {self.sql.p(self.scope.now_ms)}"
                             f" AND NOT ({kept})")
            else:  # open: the promised day is not over, the request not closed
                parts.append(f"{COMMITTED} AND t.commit_due_ms >= {self.sql.p(self.scope.now_ms)} AND t.closed_ms IS NULL")
        inner = parts[0] if len(parts) == 1 else f"{COMMITTED} AND (" + " OR ".join(f"({p})" for p in parts) + ")"
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def flag_sql(self, codes: list[str]) -> str:
        return " OR ".join(flag_condition(c) for c in codes)

    def _unit(self, f: F.FieldDef, t: Term) -> str:
        op = _only_ops(f, t, (":", "=", "!="))
        if _is_none(t):
            self.explain.append(f"{f.label}{'已有' if op == '!=' else ': 无'}")
            inner = ("t.lead_unit IS NULL" if f.name == "unit" else
                     "t.number NOT IN (SELECT number FROM ticket_unit WHERE role = 'assist')")
            return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner
        units = [self.unit(f, v) for v in t.values]
        self.explain.append(f"{f.label}{'不是' if op == '!=' else ': '}"
                            + "、".join(u.name + (" (含下属)" if u.codes is None or len(u.codes) > 1 else "") for u in units))
        s = self.sql
        if any(u.codes is None for u in units):
            inner = "t.lead_unit IS NOT NULL" if f.name == "unit" else \
                "t.number IN (SELECT number FROM ticket_unit WHERE role = 'assist')"
        else:
            codes = sorted({c for u in units for c in u.codes})
            if f.name == "unit":
                inner = f"t.lead_unit IN ({s.many(codes)})"
                self._atomic = op != "!="
            else:
                inner = f"t.number IN (SELECT number FROM ticket_unit WHERE role = 'assist' AND unit IN ({s.many(codes)}))"
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def _place(self, f: F.FieldDef, t: Term) -> str:
        op = _only_ops(f, t, (":", "=", "!="))
        if _is_none(t):
            self.explain.append(f"{f.label}{'已填' if op == '!=' else ': 未填'}")
            return "t.place IS NOT NULL" if op == "!=" else "t.place IS NULL"
        units = [self.unit(f, v) for v in t.values]
        self.explain.append(f"{f.label}{'不在' if op == '!=' else ': '}" + "、".join(u.name for u in units))
        if any(u.codes is None for u in units):
            inner = "t.place IS NOT NULL"
        else:
            inner = f"t.place IN ({self.sql.many(sorted({c for u in units for c in u.codes}))})"
            self._atomic = op != "!="
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def unit(self, f: F.FieldDef, v: Value) -> Unit:
        unit = self.scope.resolve_unit(v.text)
        if unit is None:
            raise QueryError(f"no unit in the directory matches {v.text!r} (look it up on F3)", v.pos, v.end)
        return unit

    def _category(self, f: F.FieldDef, t: Term) -> str:
        op = _only_ops(f, t, (":", "=", "!="))
        if _is_none(t):
            self.explain.append(f"{f.label}{'已填' if op == '!=' else ': 未分类'}")
            return f"t.category {'!=' if op == '!=' else '='} ''"
        prefixes: list[str] = []
        for v in t.values:
            found = self.category_prefixes(v.text)
            if not found:
                raise QueryError(f"no category is called {v.text!r}", v.pos, v.end)
            prefixes += found
        prefixes = list(dict.fromkeys(prefixes))
        shown = "、".join(p.split(_SEP)[-1] for p in prefixes[:4]) + (f" 等 {len(prefixes)} 类" if len(prefixes) > 4 else "")
        self.explain.append(f"{f.label}{'不是' if op == '!=' else ': '}{shown}")
        s = self.sql
        inner = " OR ".join(f"t.category = {s.p(p)} OR (t.category >= {s.p(p + _SEP)} AND t.category < {s.p(p + _SEP + _TOP)})"
                            for p in prefixes)
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def category_prefixes(self, value: str) -> list[str]:
        """Paths (as stored, "a › b") at or above which a ticket's category must sit to match ``value``: a path
        of the taxonomy written with any separator, or a category's name at any level (all of its places)."""
        parts = [p.strip() for p in re.split(r"\s*(?:›|>|/|\|)\s*", value) if p.strip()]
        if not parts:
            return []
        paths = [tuple(p) for p in self.scope.category_paths]
        if len(parts) > 1:
            n = len(parts)
            return [_SEP.join(parts)] if any(list(p[:n]) == parts for p in paths) or not paths else []
        name = parts[0]
        out = []
        for p in paths:
            for level in range(len(p)):
                if p[level] == name:
                    out.append(_SEP.join(p[:level + 1]))
        if not out:  # a part of a name: 停车 → 停车管理, 违章停车 …
            for p in paths:
                for level in range(len(p)):
                    if name in p[level]:
                        out.append(_SEP.join(p[:level + 1]))
        return list(dict.fromkeys(out))

    def _count(self, f: F.FieldDef, t: Term) -> str:
        if len(t.values) > 1:
            if t.op != ":":
                raise QueryError(f"{f.name}{t.op} takes one number", t.values[1].pos, t.values[-1].end)
            numbers = [_whole(v, f) for v in t.values]
            self.explain.append(f"{f.label}: {'、'.join(map(str, numbers))}")
            return f"t.{f.column} IN ({self.sql.many(numbers)})"
        n = _whole(t.values[0], f)
        op = "=" if t.op == ":" else t.op
        self._atomic = op != "!=" and f.column in INDEXED
        self.explain.append(f"{f.label} {op} {n}")
        return f"t.{f.column} {op} {self.sql.p(n)}"

    def _word(self, f: F.FieldDef, t: Term) -> str:
        return self._listed(f, t, [v.text.strip() for v in t.values], lambda marks: f"t.{f.column} IN ({marks})")

    def _desk(self, f: F.FieldDef, t: Term) -> str:
        return self._listed(f, t, [v.text.strip().upper() for v in t.values], lambda marks: f"t.desk IN ({marks})")

    def _actor(self, f: F.FieldDef, t: Term) -> str:
        return self._listed(f, t, [v.text.strip() for v in t.values],
                            lambda marks: f"t.number IN (SELECT ticket FROM event WHERE actor IN ({marks}))")

    def _listed(self, f: F.FieldDef, t: Term, values: list[str], condition) -> str:
        """``field:a,b`` (or ``!=``) over plain values: ``condition`` of their bound marks."""
        op = _only_ops(f, t, (":", "=", "!="))
        self.explain.append(f"{f.label}{'不是' if op == '!=' else ': '}{'、'.join(values)}")
        inner = condition(self.sql.many(values))
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def _number(self, f: F.FieldDef, t: Term) -> str:
        op = _only_ops(f, t, (":", "=", "!="))
        prefixes = [v.text.strip().upper() for v in t.values]
        self.explain.append(f"{f.label}{'不以' if op == '!=' else '以'}{'、'.join(prefixes)}开头")
        s = self.sql
        inner = " OR ".join(f"(t.number >= {s.p(p)} AND t.number < {s.p(p + _TOP)})" for p in prefixes)
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def _text(self, f: F.FieldDef, t: Term) -> str:
        op = _only_ops(f, t, (":", "=", "!="))
        parts = [self.text(v.text, v) for v in t.values]
        inner = " OR ".join(f"({p})" for p in parts)
        return f"NOT ifnull(({inner}), 0)" if op == "!=" else inner

    def text(self, words: str, v: Value) -> str:
        if self.scope.text_condition is None:
            raise QueryError("this store has no text search", v.pos, v.end)
        try:
            conditions = self.scope.text_condition(words)
        except InputError as exc:  # about the words: shown at them in the filter
            raise QueryError(getattr(exc, "message", str(exc)), v.pos, v.end) from None
        self.explain.append(f"内容含「{words}」")
        parts = []
        for sql, value in conditions:
            part = sql.format(param=self.sql.p(value)[1:])
            if self.scope.text_share is not None:
                self._shares[part] = self.scope.text_share(value)
            parts.append(part)
        self._atomic = len(parts) == 1 and self.scope.text_share is not None
        return " AND ".join(parts)

    def _sort(self, f: F.FieldDef, t: Term) -> str:  # only reached inside ( ), - or or
        raise QueryError("sort: orders the whole list: write it beside the other terms, not inside ( ), - or or", t.pos, t.end)


def _is_none(t: Term) -> bool:
    return len(t.values) == 1 and not t.values[0].quoted and t.values[0].text.lower() in NONE_WORDS


def _only_ops(f: F.FieldDef, t: Term, ops: tuple[str, ...]) -> str:
    if t.op not in ops:
        raise QueryError(f"{f.name} takes {' or '.join(ops)}, not {t.op}", t.field_end, t.field_end + len(t.op))
    return t.op


def _whole(v: Value, f: F.FieldDef) -> int:
    try:
        n = int(v.text.strip())
    except ValueError:
        raise QueryError(f"{f.name} counts: {v.text!r} is not a whole number", v.pos, v.end) from None
    if not 0 <= n <= MAX_COUNT:
        raise QueryError(f"{f.name} must be between 0 and {MAX_COUNT:,}", v.pos, v.end)
    return n


def _unknown_field(name: str) -> str:
    names = sorted({f.name for f in F.FIELDS})
    close = difflib.get_close_matches(name.lower(), list(F.BY_NAME), n=1)
    hint = f"; did you mean {F.BY_NAME[close[0]].name}?" if close else ""
    return f"there is no field {name!r}{hint} (fields: {', '.join(names)})"


def _unknown_word(word: str) -> str:
    words = [k for k, _, _ in F.KEYWORDS]
    close = difflib.get_close_matches(word.lower(), words + [f.name for f in F.FIELDS], n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return (f"{word!r} is not a keyword; {hint}to search the text write text:{word}"
            f" (keywords: {', '.join(words)})")


def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Labels of the enums a bare word may name (for help and completion)."""
    return {"state": STATES, "channel": CHANNELS, "nature": NATURES, "flag": FLAGS, "urgency": URGENCIES}
