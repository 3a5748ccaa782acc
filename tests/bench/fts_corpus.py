"""A scratch corpus of request texts for the full-text search benchmark, built once and reused.

Real citizen texts (teddy2020c's messages and government replies, fuzhou12345's complaints and replies;
not shipped, read from ``../shared/data`` beside the repository or ``--data``) are cut into documents the
size of a ticket's event texts: a description (a window of up to 60–400 characters of a message), a
reply (up to 60–300 characters of a reply) or a short progress line or note (one clause, 8–40
characters). Variation: the masked
place names (A市, A3区, 西地省) become Qingdao's districts, streets and communities, and half of the
short digit runs get other digits of the same length (3号楼 → 7号楼), so a million documents are not a few
thousand repeated.

The corpus is a SQLite file with ``doc(id INTEGER PRIMARY KEY, body TEXT)``; ``real`` holds the real
texts unchanged (the accuracy measurement's documents).
"""

from __future__ import annotations

import csv
import random
import re
import sqlite3
import time
from pathlib import Path

SOURCES = (  # file under the data folder, description columns, reply column
    ("teddy2020c/full_attachment3_messages_unlabeled.csv", ("title", "text"), None),
    ("teddy2020c/full_attachment4_messages_with_replies.csv", ("title", "text"), "reply"),
    ("teddy2020c/messages_labeled.csv", ("title", "text"), None),
    ("fuzhou12345/fuzhou12345_river_complaints.csv", ("title", "text"), "reply"),
)
DIVISIONS = "qingdao_divisions_2023.csv"

_SENTENCE = re.compile(r"(?<=[。！？；!?;])")
_CLAUSE = re.compile(r"[，。！？；,!?;]")
_MASKED = re.compile(r"西地省|[A-M]\d{0,2}市|[A-M]\d{1,2}区|[A-M]\d{1,2}县")
_DIGITS = re.compile(r"\d+")


def real_texts(data: Path) -> tuple[list[str], list[str]]:
    """(descriptions, replies) from the real data sets found under ``data``."""
    csv.field_size_limit(1 << 24)
    descriptions: list[str] = []
    replies: list[str] = []
    for name, columns, reply in SOURCES:
        path = data / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                descriptions.append("，".join(row[c].strip() for c in columns if row[c].strip()))
                if reply and row[reply].strip():
                    replies.append(row[reply].strip())
    return descriptions, replies


def _places(data: Path) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {"district": [], "street": [], "community": []}
    path = data / DIVISIONS
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["level"] in names:
                    names[row["level"]].append(row["name"])
    return names


class _Varier:
    def __init__(self, rnd: random.Random, places: dict[str, list[str]]):
        self.rnd = rnd
        self.places = places

    def _place(self, m: re.Match) -> str:
        word = m.group()
        if word == "西地省":
            return "山东省"
        if word.endswith("市") and len(word) <= 2:
            return "青岛市"
        pool = self.places["district"] or [word]
        return self.rnd.choice(pool)

    def _digits(self, m: re.Match) -> str:
        d = m.group()
        if len(d) > 3 or self.rnd.random() < 0.5:  # years and long numbers stay
            return d
        first = str(self.rnd.randint(1, 9)) if len(d) > 1 else str(self.rnd.randint(0, 9))
        return first + "".join(str(self.rnd.randint(0, 9)) for _ in range(len(d) - 1))

    def __call__(self, text: str) -> str:
        text = _MASKED.sub(self._place, text)
        text = _DIGITS.sub(self._digits, text)
        if self.places["community"] and self.rnd.random() < 0.3:
            text = self.rnd.choice(self.places["community"]) + text
        return text


def _window(rnd: random.Random, text: str, lo: int, hi: int) -> str:
    sentences = [s for s in _SENTENCE.split(text) if s]
    want = rnd.randint(lo, hi)
    start = rnd.randrange(max(1, len(sentences) - 2))
    out = ""
    for s in sentences[start:]:
        if out and len(out) + len(s) > want:
            break
        out += s
    return out[:hi]


def _clause(rnd: random.Random, text: str) -> str:
    parts = [p for p in _CLAUSE.split(text) if 8 <= len(p) <= 40]
    return rnd.choice(parts) if parts else text[:40]


def make_documents(data: Path, n: int, seed: int = 13):
    """Yield ``n`` documents made from the real texts under ``data``."""
    descriptions, replies = real_texts(data)
    if not descriptions:
        raise SystemExit(f"no real texts under {data} (teddy2020c/, fuzhou12345/): give --data")
    replies = replies or descriptions
    rnd = random.Random(seed)
    vary = _Varier(rnd, _places(data))
    for _ in range(n):
        r = rnd.random()
        if r < 0.45:
            doc = _window(rnd, rnd.choice(descriptions), 60, 400)
        elif r < 0.75:
            doc = _window(rnd, rnd.choice(replies), 60, 300)
        else:
            doc = _clause(rnd, rnd.choice(replies if r < 0.875 else descriptions))
        yield vary(doc)


def open_corpus(path: Path, data: Path, n: int) -> sqlite3.Connection:
    """The corpus at ``path`` with at least ``n`` documents, building it (once) when it has fewer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS doc(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS real(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    have = conn.execute("SELECT count(*) FROM doc").fetchone()[0]
    if have < n:
        t0 = time.perf_counter()
        conn.execute("DELETE FROM doc")
        conn.execute("DELETE FROM real")
        descriptions, replies = real_texts(data)
        conn.executemany("INSERT INTO real(body) VALUES (?)", ((t,) for t in descriptions + replies))
        conn.executemany("INSERT INTO doc(id, body) VALUES (?, ?)", enumerate(make_documents(data, n), 1))
        conn.commit()
        print(f"corpus: {n:,} documents built in {time.perf_counter() - t0:.1f} s at {path}")
    return conn
