"""``hotline report monthly|publish`` on the hand-worked October: the JSON shape the issue names, Markdown with "—"
for undefined rates, CSV and xlsx holding the same numbers as the JSON (xlsx read back with openpyxl: one sheet per
table, frozen header, percentage formats, widths that fit Chinese names), a canary caller number in no output,
and bad input. Bad input tried: months "2026-13", "26-11", full-width digits, "", a 5,000-character one, a future month, a month
before any data; an unwritable --out (missing folder, a folder, read-only file); publishing as an operator;
``publish --recompute`` without --yes off a terminal. Each prints one ``hotline:`` line, exits non-zero and leaves
the store byte for byte as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os

import pytest

from hotline_tui.cli import main
from hotline_tui.config import load_settings
from hotline_tui.services import Desk
from tests.deskkit import china_ms
from tests.reportkit import CANARY, build_october

NOW = china_ms(2026, 11, 10, 9, 0)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    build_october(folder)
    return folder


@pytest.fixture()
def hotline(folder, monkeypatch, capsys):
    monkeypatch.setenv("HOTLINE_DB", str(folder / "store.sqlite"))
    monkeypatch.setenv("HOTLINE_ROLE", "supervisor")
    monkeypatch.setattr(Desk, "open", classmethod(lambda cls, db=None, **kw: cls(load_settings(db), clock_ms=lambda: NOW)))

    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def _digest(folder) -> str:
    """The store's content (every table's rows, through SQLite, WAL included), not its file's bytes."""
    import sqlite3

    con = sqlite3.connect(f"file:{folder / 'store.sqlite'}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                   " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"):
            h.update(name.encode())
            for row in con.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        con.close()


def test_json_has_the_shape_the_issue_names_and_md_csv_xlsx_hold_the_same_numbers(hotline, folder, tmp_path):
    code, out, _ = hotline("report", "monthly", "2026-10", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert {"month", "formulas", "districts", "units", "channels", "published"} <= set(report)
    assert report["month"] == "2026-10" and report["published"] is False and len(report["channels"]) == 6
    assert report["formulas"]["claim_rate"] == "claimed_in_time / dispatched"
    row_fields = {"unit", "name", "dispatched", "claimed_in_time", "due", "closed", "replied_in_time", "claim_rate",
                  "completion_rate", "feedback_rate", "rank", "deduction"}
    for row in report["districts"] + report["units"]:
        assert row_fields <= set(row)
        if row["dispatched"] == 0:
            assert row["claim_rate"] is None
    shibei = next(r for r in report["districts"] if r["name"] == "市北区")

    _, md, _ = hotline("report", "monthly", "2026-10")
    line = next(x for x in md.splitlines() if x.startswith("| ") and "| 市北区 |" in x)
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[3] == str(shibei["dispatched"]) and f"{shibei['claim_rate'] * 100:.1f}%" in line
    assert "认领率 = 按时签收 ÷ 派单" in md
    assert "| — | — | 青岛海关 | 0 |" in md  # a unit with no requests: no rank, its rates —

    _, text_csv, _ = hotline("report", "monthly", "2026-10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text_csv)))
    by_code = {(r["table"], r["code"]): r for r in rows}
    row = by_code[("districts", shibei["unit"])]
    assert int(row["dispatched"]) == shibei["dispatched"] and float(row["claim_rate"]) == pytest.approx(shibei["claim_rate"])
    customs = next(r for r in rows if r["name"] == "青岛海关")
    assert customs["dispatched"] == "0" and customs["claim_rate"] == "" and customs["rank"] == ""

    out_file = tmp_path / "十月.xlsx"
    code, _, _ = hotline("report", "monthly", "2026-10", "--format", "xlsx", "--out", str(out_file))
    assert code == 0
    from openpyxl import load_workbook

    wb = load_workbook(out_file)
    assert {"区市排名", "部门排名", "按渠道", "督办清单"} <= set(wb.sheetnames)
    ws = wb["区市排名"]
    assert ws.freeze_panes == "A2"
    heads = [c.value for c in ws[1]]
    for xrow in ws.iter_rows(min_row=2, values_only=True):
        values = dict(zip(heads, xrow))
        want = next(r for r in report["districts"] if r["unit"] == values["代码"])
        assert values["派单"] == want["dispatched"] and values["办结"] == want["closed"]
        assert values["认领率"] == (pytest.approx(want["claim_rate"]) if want["claim_rate"] is not None else None)
    rate_col = heads.index("认领率") + 1
    assert ws.cell(row=2, column=rate_col).number_format == "0.0%"
    name_col = chr(ord("A") + heads.index("单位"))
    assert ws.column_dimensions[name_col].width >= 2 * len("西海岸新区")
    assert wb["部门排名"].column_dimensions[name_col].width >= 2 * len("市人力资源和社会保障局")


def test_the_canary_caller_number_is_in_no_output(hotline, tmp_path):
    for fmt in ("md", "csv", "json"):
        _, out, _ = hotline("report", "monthly", "2026-10", "--format", fmt)
        assert CANARY not in out and CANARY[-4:] + "," not in out
    out_file = tmp_path / "r.xlsx"
    hotline("report", "monthly", "2026-10", "--format", "xlsx", "--out", str(out_file))
    import zipfile

    with zipfile.ZipFile(out_file) as z:
        assert all(CANARY.encode() not in z.read(name) for name in z.namelist())


@pytest.mark.parametrize("args, says", [
    (("monthly", "2026-13"), "no month 13"),
    (("monthly", "26-11"), "not YYYY-MM"),
    (("monthly", "２０２６-１１"), "not YYYY-MM"),  # full-width digits are refused, not read as 2026-11
    (("monthly", ""), "a month is needed"),
    (("monthly", "9" * 5000), "not YYYY-MM"),
    (("monthly", "2027-01"), "has not begun"),
    (("monthly", "2025-01"), "before any data"),
    (("monthly", "2026-10", "--out", "/nonexistent-folder/r.md"), "does not exist"),
    (("publish", "2026-11"), "not over yet"),
])
def test_bad_input_gets_one_line_and_leaves_the_store_as_it_was(hotline, folder, args, says):
    before = _digest(folder)
    code, out, err = hotline("report", *args)
    assert code != 0 and says in err and err.startswith("hotline:") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and _digest(folder) == before


def test_unwritable_outputs_are_refused_before_anything_is_stored(hotline, folder, tmp_path, monkeypatch):
    before = _digest(folder)
    code, _, err = hotline("report", "publish", "2026-10", "--out", str(tmp_path))
    assert code != 0 and "is a folder" in err
    locked = tmp_path / "locked.md"
    locked.write_text("")
    locked.chmod(0o400)
    if os.access(locked, os.W_OK):
        pytest.skip("running as a user who may write a read-only file")
    code, _, err = hotline("report", "publish", "2026-10", "--out", str(locked))
    assert code != 0 and "permission denied" in err and _digest(folder) == before


def test_only_a_supervisor_publishes_from_the_command_line(hotline, folder, monkeypatch):
    monkeypatch.setenv("HOTLINE_ROLE", "operator")
    before = _digest(folder)
    code, _, err = hotline("report", "publish", "2026-10")
    assert code != 0 and "supervisor" in err and _digest(folder) == before


def test_a_month_with_no_requests_is_a_report_of_zeros_and_dashes(hotline, folder):
    """November (the clock's month) has no request registered in it: nothing to divide, nothing ranked by claims."""
    before = _digest(folder)
    code, out, _ = hotline("report", "monthly", "2026-11", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["totals"]["registered"] == 0 and report["totals"]["claim_rate"] is None
    assert all(r["dispatched"] == 0 and r["claim_rate"] is None for r in report["districts"] + report["units"])
    _, md, _ = hotline("report", "monthly", "2026-11")
    assert "| — | — | 市南区 | 0 | 0 | 0 |" in md and _digest(folder) == before


def test_publish_recompute_asks_for_yes_and_then_republishes(folder, tmp_path, monkeypatch, capsys):
    import shutil

    shutil.copy(folder / "store.sqlite", tmp_path / "store.sqlite")
    monkeypatch.setenv("HOTLINE_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("HOTLINE_ROLE", "supervisor")
    monkeypatch.setattr(Desk, "open", classmethod(lambda cls, db=None, **kw: cls(load_settings(db), clock_ms=lambda: NOW)))
    assert main(["report", "publish", "2026-10"]) == 0
    desk = Desk.open()
    unclaimed = next(r for r in desk.list_tickets(limit=50) if r["state"] == "dispatched" and r["lead_unit"] == "D-CGJ")
    desk.act(unclaimed["number"], "claim", {})  # a late claim of an October request
    capsys.readouterr()
    before = _digest(tmp_path)
    assert main(["report", "publish", "2026-10", "--recompute"]) != 0
    _, err = capsys.readouterr()
    assert "市城市管理局 签收: 1 → 2" in err and "add --yes" in err and _digest(tmp_path) == before
    assert main(["report", "publish", "2026-10", "--recompute", "--yes", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert "republished 2026-10" in err
    cgj = next(r for r in json.loads(out)["units"] if r["unit"] == "D-CGJ")
    assert cgj["claimed"] == 2 and json.loads(out)["published"] is True
    assert _digest(tmp_path) != before  # the digest does see a write
