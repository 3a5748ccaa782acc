"""hotline import csv, bad input: each case gets clear one-line messages (`hotline: …`, exit non-zero, no
traceback) naming the line and the column where there is one, and leaves the store exactly as it was (a dump of
every table before and after). Tried: bytes that are neither UTF-8 nor GBK, a GBK file given --encoding utf-8,
an unknown --encoding, missing columns, an unknown column, a column named twice, rows with too few cells, bad
dates, a date in the future, a UTF-8 file with one bad byte on line 3, dates out of order, a deadline before the dispatch, duplicate numbers in the file
and against the store, a malformed number, an unknown unit, an ambiguous unit name, an unknown category, channel,
nature and state, a state without the dates it needs, a reply or a callback on an open ticket, a 1 MB cell (refused: over
4,000 characters) and a 4,001-character description, an empty file, a header alone, a terminal escape and a
control character in text (refused, not stripped: the message says which character and where), a bad phone,
a binary file, a folder, a missing file, several bad rows at once (all reported by line) and more than the
cap (the first 20 reported, then it says it stopped)."""

from __future__ import annotations

import pytest

from hotline_tui.cli import main
from hotline_tui.exchange.csv_format import COLUMNS
from hotline_tui.exchange.csv_import import MAX_ERRORS
from tests.csvkit import HEADERS, csv_text, dump, row

GOOD = dict(number="OLD0001", registered="2023-05-12 08:41", nature="投诉", caller_phone="13805321234",
            description="烧烤摊占用人行道经营", lead_unit="370203-CGJ", state="办理中", dispatched="2023-05-12 08:55",
            claimed="2023-05-12 10:20")
HEAD = ",".join(HEADERS)
HEAD_EN = ",".join(c.key for c in COLUMNS)


def good(**over) -> dict:
    return row(**{**GOOD, **over})


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store holding the shipped sample's tickets; its dump before any bad import."""
    from pathlib import Path

    db = tmp_path / "store.sqlite"
    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "tickets.csv"
    assert main(["--db", str(db), "import", "csv", str(sample)]) == 0
    return db


def run_import(db, target, capsys, *extra) -> tuple[int, list[str]]:
    before = dump(db)
    rc = main(["--db", str(db), "import", "csv", str(target), *extra])
    err = capsys.readouterr().err
    assert dump(db) == before, "the store changed"
    lines = err.splitlines()
    assert all(line.startswith("hotline: ") for line in lines) and "Traceback" not in err
    return rc, lines


def file_of(tmp_path, content, name="bad.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


CASES = {
    # name: (file content, words the messages must hold)
    "neither utf-8 nor gbk": (HEAD_EN.encode() + b"\r\nOLD1,\x80\x80\xff\r\n", ["neither UTF-8 nor GB18030/GBK", "--encoding"]),
    "utf-8 with a bad byte": ((HEAD + "\r\n" + csv_text([good()]).split("\r\n", 1)[1]).encode() + b"OLD2,\xff\r\n",
                              ["is UTF-8 up to line 3, where byte", "fix that line"]),
    "missing columns": (HEAD.replace("诉求内容,", "").replace("登记时间,", "") + "\n", ["missing column(s) 登记时间 (registered), 诉求内容 (description)"]),
    "unknown column": (HEAD + ",备注\n", ["unknown column(s) '备注'"]),
    "column twice": (HEAD + ",number\n", ["column 工单编号 (number) appears twice"]),
    "too few cells": (HEAD + "\nOLD1,2023-05-12\n", ["line 2: 2 cells, but the header has 22 columns"]),
    "bad date": ([good(registered="2023-13-45 08:00")], ["line 2: 登记时间 (registered) '2023-13-45 08:00' is not a date-time"]),
    "future date": ([good(claimed="2099-01-01 08:00")], ["line 2: 签收时间 (claimed) 2099-01-01 08:00 is in the future"]),
    "out of order": ([good(claimed="2023-05-11 08:00")], ["line 2: 签收时间 (claimed) 2023-05-11 08:00 is before 派单时间 (dispatched) 2023-05-12 08:55"]),
    "due before dispatch": ([good(due="2023-05-01")], ["line 2: 办理时限 (due) 2023-05-01 23:59 is before 派单时间"]),
    "duplicate in file": ([good(), good(description="另一件")], ["line 3: number OLD0001 is already on line 2"]),
    "duplicate in store": ([good(number="QD2023051200017")], ["line 2: number QD2023051200017 is already in the store"]),
    "bad number": ([good(number="~report/1")], ["line 2: 工单编号 (number) '~REPORT/1' must be 4-40 letters"]),
    "unknown unit": ([good(lead_unit="不存在局")], ["line 2: 主办单位 (lead_unit) '不存在局' is not a unit of the directory"]),
    "unknown category": ([good(category="城乡建设/外星人")], ["line 2: 诉求分类 (category) '城乡建设/外星人' is not a category"]),
    "unknown channel": ([good(channel="微博")], ["line 2: channel '微博' is not one of"]),
    "unknown nature": ([good(nature="吐槽")], ["line 2: nature '吐槽' is not one of"]),
    "unknown state": ([good(state="已归档")], ["line 2: 工单状态 (state) '已归档' is not one of"]),
    "state without its dates": ([good(state="已办结")], ["line 2: a request that is 已办结 needs 答复时间 (replied)"]),
    "reply on open ticket": ([good(reply="已处理")], ["line 2: 答复内容 (reply) is given but the state is 办理中"]),
    "callback on open ticket": ([good(callback="满意")], ["line 2: 回访结果 (callback) is given but the state is 办理中"]),
    "1 MB cell": ([good(description="长" * 1_000_000)], ["line 2: a cell is longer than 4,000 characters"]),
    "4001 characters": ([good(description="长" * 4001)], ["line 2: description is 4001 characters long; at most 4000"]),
    "empty file": (b"", ["is empty"]),
    "header only": (HEAD + "\r\n", ["holds only the header line"]),
    "terminal escape": ([good(description="漏水\x1b[2J请处理")], ["line 2: description contains a terminal escape sequence (ESC) at position 3"]),
    "control character": ([good(caller_name="张\x07三")], ["line 2: caller_name contains control character U+0007"]),
    "bad phone": ([good(caller_phone="12345")], ["line 2: caller_phone '12345' is not a mobile or landline number"]),
    "binary": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), ["is a binary file (it holds NUL bytes)"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_refused_clearly_and_nothing_changes(tmp_path, store, capsys, name):
    content, words = CASES[name]
    if isinstance(content, list):
        content = csv_text(content)
    rc, lines = run_import(store, file_of(tmp_path, content), capsys)
    assert rc != 0
    text = "\n".join(lines)
    for w in words:
        assert w in text, (name, text)
    if isinstance(CASES[name][0], list) or "line 2" in words[0]:
        assert lines[-1].endswith("nothing was imported")


def test_encoding_given_wrong_or_unknown(tmp_path, store, capsys):
    gbk = file_of(tmp_path, csv_text([good()]).encode("gbk"))
    rc, lines = run_import(store, gbk, capsys, "--encoding", "utf-8")
    assert rc != 0 and "is not valid utf-8" in lines[0] and "--encoding" in lines[0]
    rc, lines = run_import(store, gbk, capsys, "--encoding", "klingon")
    assert rc != 0 and "unknown encoding 'klingon'" in lines[0]


def test_ambiguous_unit_name(tmp_path, store, capsys):
    from hotline_tui.directory import load_directory

    names: dict[str, list[str]] = {}
    for u in load_directory():
        names.setdefault(u.name, []).append(u.code)
    shared = next(n for n, codes in names.items() if len(codes) > 1)
    rc, lines = run_import(store, file_of(tmp_path, csv_text([good(place=shared)])), capsys)
    assert rc != 0 and f"'{shared}' names {len(names[shared])} units" in lines[0] and "give the unit's code" in lines[0]


def test_folder_and_missing_file(tmp_path, store, capsys):
    rc, lines = run_import(store, tmp_path, capsys)
    assert rc != 0 and lines == [f"hotline: {tmp_path} is a folder, not a CSV file"]
    rc, lines = run_import(store, tmp_path / "nope.csv", capsys)
    assert rc != 0 and lines == [f"hotline: no file {tmp_path / 'nope.csv'}"]


def test_several_errors_at_once_each_by_its_line(tmp_path, store, capsys):
    rows = [good(number="OLD0001"), good(number="OLD0002", registered="yesterday"), good(number="OLD0003"),
            good(number="OLD0004", lead_unit="不存在局"), good(number="OLD0001")]
    rc, lines = run_import(store, file_of(tmp_path, csv_text(rows)), capsys)
    assert rc != 0
    assert [line.split(":")[1].strip() for line in lines[:3]] == ["bad.csv line 3", "bad.csv line 5", "bad.csv line 6"]
    assert lines[-1] == "hotline: bad.csv: 3 error(s); nothing was imported"


def test_errors_are_capped(tmp_path, store, capsys):
    rows = [good(number=f"OLD{i:04d}", nature="吐槽") for i in range(MAX_ERRORS + 10)]
    rc, lines = run_import(store, file_of(tmp_path, csv_text(rows)), capsys)
    assert rc != 0
    assert sum(" line " in line for line in lines) == MAX_ERRORS
    assert lines[-1] == f"hotline: bad.csv: {MAX_ERRORS} error(s) (stopped after the first {MAX_ERRORS}); nothing was imported"
