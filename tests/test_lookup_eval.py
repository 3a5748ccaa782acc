"""Lookup quality over tests/data/lookup_eval.tsv: realistic queries of every kind with the unit expected.

Kinds (column 3): zh_substring, pinyin, polyphone, initials, mixed, short, old, homophone, typo, duty,
qualifier, qualifier_initials (a district's initials or pinyin in front: sbtd, sb台东), same_name, community.
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from hotline_tui.directory import load_directory

EVAL = Path(__file__).parent / "data" / "lookup_eval.tsv"


def _rows():
    with EVAL.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_eval_set_is_large_and_varied(directory):
    rows = _rows()
    assert len(rows) >= 150
    kinds = Counter(r["category"] for r in rows)
    for kind in ("zh_substring", "pinyin", "polyphone", "initials", "mixed", "short", "old", "homophone",
                 "typo", "duty", "qualifier", "qualifier_initials", "same_name"):
        assert kinds[kind] >= 4, kind
    for r in rows:
        assert directory.get(r["expected"]) is not None, r


def test_top1_at_least_95_and_top5_at_least_99_percent(directory):
    rows = _rows()
    top1 = top5 = 0
    misses = []
    for r in rows:
        codes = [m.code for m in directory.lookup(r["query"], limit=5)]
        top1 += codes[:1] == [r["expected"]]
        top5 += r["expected"] in codes
        if codes[:1] != [r["expected"]]:
            misses.append((r["query"], r["expected"], codes[:3]))
    assert top1 / len(rows) >= 0.95, misses
    assert top5 / len(rows) >= 0.99, misses
