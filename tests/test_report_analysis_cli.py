"""``hotline report analysis``: the Markdown, JSON and xlsx hold the same figures as ``Desk.analysis`` (whose
figures tests/test_report_analysis.py checks against the fixture's own tickets); the xlsx is read back with
openpyxl (one sheet per table, frozen header, percent and count formats, widths fitting Chinese); a canary
phone number of the fixture appears in no output.

Bad input tried, each a one-line ``hotline:`` message, exit code not 0, the store unchanged: malformed months
(2026-13, 2026-1, 26-11, 2026/11, 2026-11-01, full-width digits, empty, a control character), a month in the
future, a month before any data, --out in a missing folder, --out naming a folder, xlsx without --out, and a
missing store (not created)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest

from tests import analysiskit as kit


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    fx = kit.build(tmp_path_factory.mktemp("analysis-cli"))
    fx.desk.store.close()
    return fx


@pytest.fixture(scope="module")
def result(fx):
    return json.loads(hotline(fx.folder, "report", "analysis", kit.MONTH, "--format", "json").stdout)


def hotline(folder, *args, db=None):
    env = {"HOTLINE_DB": str(db or folder / "store.sqlite"), "HOTLINE_CONFIG": str(folder / "config.toml"),
           "HOME": str(folder), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], capture_output=True, text=True, env=env, timeout=120)


def store_digest(folder) -> str:
    conn = sqlite3.connect(folder / "store.sqlite")
    h = hashlib.sha256()
    for table in ("event", "ticket", "ticket_unit", "ticket_key", "counter", "meta"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_json_is_the_desks_analysis(fx, result):
    from tests.deskkit import Clock, china_ms, shipped_desk

    desk = shipped_desk(fx.folder, Clock(china_ms(*kit.NOW)))
    assert result == json.loads(json.dumps(desk.analysis(kit.MONTH)))
    text = json.dumps(result, ensure_ascii=False)
    assert result["tickets"] == 11 and kit.CANARY not in text
    phones = [desk.show(n).ticket.caller_phone for n in fx.numbers]
    assert len(phones) > 10 and not [p for p in phones if p and p in text]  # no caller's number at all


def test_markdown_holds_the_same_figures(fx, result):
    r = hotline(fx.folder, "report", "analysis", kit.MONTH)
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert md.startswith(f"# 12345 决策参考 · {kit.MONTH}") and kit.CANARY not in md
    for d in result["districts"]:
        share = "—" if d["share"] is None else f"{d['share'] * 100:.1f}%"
        assert f"| {d['name']} | {d['tickets']:,} | {share} |" in md
    for a in result["areas"]:
        assert f"| {a['area']} | {a['tickets']:,} | {a['share'] * 100:.1f}% |" in md
    for s in result["hot_spots"]:
        assert f"| {s['place_name']} | {s['district']} | {s['category']} | {s['calls']} | {s['tickets']} | {s['callers']} |" in md
    for k in result["keywords"]:
        assert f"| {k['word']} | {k['tickets']:,} |" in md
    for t in result["trend"]:
        rates = ["—" if t[k] is None else f"{t[k] * 100:.1f}%" for k in ("claim_rate", "completion_rate", "feedback_rate")]
        assert f"| {t['month']} | {t['tickets']:,} | {' | '.join(rates)} |" in md


def test_xlsx_read_back(fx, result, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "analysis.xlsx"
    r = hotline(fx.folder, "report", "analysis", kit.MONTH, "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["概况", "分类", "区市", "行业", "关键词", "环比上升", "同比上升", "重复热点", "民生领域", "十二个月"]
    for ws in wb:
        assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1] if c.value)
        for row in ws.iter_rows():
            assert all(kit.CANARY not in str(c.value) for c in row)
    areas = {row[0].value: row for row in wb["民生领域"].iter_rows(min_row=2) if row[1].value is not None}
    for a in result["areas"]:
        name_cell, count, share = areas[a["area"]]
        assert count.value == a["tickets"] and share.value == pytest.approx(a["share"]) and share.number_format == "0.0%"
    trend = [row for row in wb["十二个月"].iter_rows(min_row=2, values_only=True) if row[1] is not None]
    assert [r[0] for r in trend] == [t["month"] for t in result["trend"]]
    for row, t in zip(trend, result["trend"]):
        assert row[1] == t["tickets"]
        for value, key in zip(row[2:], ("claim_rate", "completion_rate", "feedback_rate")):
            assert value == ("—" if t[key] is None else pytest.approx(t[key]))
    districts = {row[0]: row for row in wb["区市"].iter_rows(min_row=2, values_only=True)}
    for d in result["districts"]:
        assert districts[d["name"]][1] == d["tickets"]
    ws = wb["区市"]
    longest = max(len(str(c.value or "")) for c in ws["D"])
    assert ws.column_dimensions["D"].width >= min(80, 2 * longest)  # Chinese takes two columns a character
    assert ws["B2"].number_format == "#,##0"


def test_an_empty_month_prints_a_clear_empty_report(fx, tmp_path):
    r = hotline(fx.folder, "report", "analysis", kit.EMPTY_MONTH)
    assert r.returncode == 0, r.stderr
    assert f"{kit.EMPTY_MONTH} 没有登记的诉求" in r.stdout and "(无)" in r.stdout
    r = hotline(fx.folder, "report", "analysis", kit.EMPTY_MONTH, "--out", str(tmp_path / "empty.xlsx"))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args, words", [
    (["2026-13"], "not a month: 2026-13"),
    (["2026-1"], "not a month"),
    (["26-11"], "not a month"),
    (["2026/11"], "not a month"),
    (["2026-11-01"], "not a month"),
    (["２０２６-１１"], "not a month"),
    ([""], "not a month"),
    (["2026-\x1b11"], "not a month"),
    (["2999-01"], "is in the future"),
    (["2025-10"], "is before any data (the store's first request is of 2025-11)"),
    (["2026-11", "--out", "/nonexistent-folder/a.md"], "does not exist"),
    (["2026-11", "--out", "."], "it is a folder"),
    (["2026-11", "--format", "xlsx"], "give --out FILE.xlsx"),
])
def test_bad_input_is_one_line_and_leaves_the_store_as_it_was(fx, args, words):
    before = store_digest(fx.folder)
    r = hotline(fx.folder, "report", "analysis", *args)
    assert r.returncode != 0 and r.stdout == ""
    assert r.stderr.startswith("hotline: ") and words in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "\x1b" not in r.stderr
    assert store_digest(fx.folder) == before


def test_a_missing_store_is_not_created(tmp_path):
    db = tmp_path / "none.sqlite"
    r = hotline(tmp_path, "report", "analysis", "2026-11", db=db)
    assert r.returncode != 0 and r.stderr.startswith("hotline: ") and "nothing to analyse" in r.stderr
    assert not db.exists()


def test_the_month_boundaries_against_the_desks_clock(fx):
    from hotline_tui.errors import InputError
    from tests.deskkit import Clock, china_ms, shipped_desk

    desk = shipped_desk(fx.folder, Clock(china_ms(*kit.NOW)))  # 2 December 2026
    assert desk.analysis("2026-12")["tickets"] == 0  # this month so far: allowed, empty
    with pytest.raises(InputError, match="2027-01 is in the future"):
        desk.analysis("2027-01")
    assert desk.analysis("2025-11")["last_year"]["available"] is False  # 2024-11 is not in the store


def test_a_store_without_requests_says_so(tmp_path):
    from hotline_tui.errors import InputError
    from tests.deskkit import Clock, china_ms, shipped_desk

    desk = shipped_desk(tmp_path, Clock(china_ms(*kit.NOW)))
    desk.store  # created, with no tickets
    with pytest.raises(InputError, match="no requests in the store yet"):
        desk.analysis("2026-11")
