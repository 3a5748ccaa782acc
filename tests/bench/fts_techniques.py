"""The full-text search techniques the benchmark compares, each as: the index table's DDL (table ``t``),
what one document stores, and how one query word becomes a WHERE clause over ``t`` or over the plain
text table ``doc(id, body)``.

- bigram: hotline_tui.store.search_text (overlapping bigrams + the last character of each run, FTS5
  ascii tokenizer, contentless, detail=full; a word is the phrase of its bigrams, one character a prefix).
- bigram-none: the same tokens with detail=none (no positions: about 40% of the size), a word = AND of its
  bigrams, which can match bigrams that are not next to each other (false positives).
- trigram: FTS5's trigram tokenizer over the same normalised text, contentless; words of 1–2 characters,
  which trigram cannot find, fall back to ``instr()`` over the plain texts (LIKE on a trigram table
  returns nothing for them on SQLite 3.40.1).
- jieba: rjieba (jieba-rs) ``cut_for_search`` on each normalised run, a word = the phrase of its
  ``cut``; only when rjieba is importable (``--seg PATH`` adds a folder to sys.path).
- unigram: every character a token (a full-width space token between runs so phrases cannot cross
  them), a word = the phrase of its characters.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

from hotline_tui.store import search_text

Where = tuple[str, str, tuple]  # (table, WHERE clause, parameters)


@dataclass(frozen=True)
class Technique:
    name: str
    ddl: str
    document: Callable[[str], str]
    word: Callable[[str], Where]


def _fts(options: str) -> str:
    return f"CREATE VIRTUAL TABLE t USING fts5(body, content='', columnsize=0, {options})"


def _bigram_word(word: str) -> Where:
    return ("t", "t MATCH ?", (search_text.match_expression(word),))


def _bigram_none_word(word: str) -> Where:
    if len(word) == 1:
        return ("t", "t MATCH ?", (f'"{word}"*',))
    pairs = dict.fromkeys(map(operator.add, word, word[1:]))
    return ("t", "t MATCH ?", (" AND ".join(f'"{p}"' for p in pairs),))


def _trigram_document(text: str) -> str:
    return " ".join(search_text.segments(text))


def _trigram_word(word: str) -> Where:
    if len(word) >= 3:
        return ("t", "t MATCH ?", (f'"{word}"',))
    return ("doc", "instr(body, ?) > 0", (word,))


def _unigram_document(text: str) -> str:
    return " \u3000 ".join(" ".join(seg) for seg in search_text.segments(text))


def _unigram_word(word: str) -> Where:
    return ("t", "t MATCH ?", ('"' + " ".join(word) + '"',))


def techniques() -> list[Technique]:
    found = [
        Technique("bigram", search_text.fts_ddl("t"), search_text.index_text, _bigram_word),
        Technique("bigram-none", _fts("detail=none, tokenize='ascii'"), search_text.index_text, _bigram_none_word),
        Technique("trigram", _fts("detail=full, tokenize='trigram'"), _trigram_document, _trigram_word),
        Technique("unigram", _fts("detail=full, tokenize='ascii'"), _unigram_document, _unigram_word),
    ]
    try:
        import rjieba
    except ImportError:
        return found

    def jieba_document(text: str) -> str:
        return " \u3000 ".join(" ".join(rjieba.cut_for_search(seg)) for seg in search_text.segments(text))

    def jieba_word(word: str) -> Where:
        return ("t", "t MATCH ?", ('"' + " ".join(rjieba.cut(word)) + '"',))

    found.append(Technique("jieba", _fts("detail=full, tokenize='ascii'"), jieba_document, jieba_word))
    return found
