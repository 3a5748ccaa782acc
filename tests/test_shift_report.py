"""``hotline report shifts``: each shift with its calls heard and taken and the commitments (不解决找我) made and
kept in its window; the year's cadres against the city's reference figure; bad years refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hotline_tui.domain.clock import make_hlc, uuid7
from hotline_tui.errors import InputError
from hotline_tui.reports.shifts import reference
from tests.deskkit import TAIDONG, Clock, china_ms, make_desk, new_request


def commit_event(desk, number: str, actor: str, at_ms: int, due_ms: int) -> None:
    """A commitment (不解决找我) as the ticket's ``commit`` event: written straight into the log, as the desk that
    makes them would leave it."""
    from sqlalchemy import text

    with desk.store.write() as w:
        w.conn.execute(text("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES"
                            " (:id, :t, :h, 'B01', :a, 'commit', :p)"),
                       {"id": uuid7(at_ms), "t": number, "h": make_hlc(at_ms, 7), "a": actor,
                        "p": json.dumps({"due_ms": due_ms, "contact": "0532-1234"})})


@pytest.fixture
def year_of_shifts(tmp_path):
    clock = Clock(china_ms(2026, 3, 2, 9, 0))
    operator = make_desk(tmp_path, desk="A03", operator="王芳", clock=clock)
    cadre = make_desk(tmp_path, role="cadre", desk="B01", operator="李处长", unit=TAIDONG, clock=clock)
    other = make_desk(tmp_path, role="cadre", desk="B02", operator="赵处长", unit=TAIDONG, clock=clock)
    cadre.start_shift("王芳", "A03")
    clock.advance(minutes=10)
    heard = operator.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    clock.advance(minutes=10)
    taken = cadre.register(new_request(description="干部接听的来电"), taken_by="李处长")
    commit_event(cadre, heard, "李处长", clock.ms, clock.ms + 86_400_000 * 5)
    operator.act(heard, "claim", {})
    operator.act(heard, "reply", {"handling": "已处理", "answer": "已清理", "resolved": True})
    operator.act(heard, "reply_approve", {})
    operator.act(heard, "callback", {"satisfaction": "satisfied", "resolved": True})
    operator.act(heard, "close", {})
    commit_event(cadre, taken, "李处长", clock.ms + 1, clock.ms + 86_400_000)  # never closed: not kept
    clock.advance(hours=3)
    cadre.end_shift()
    commit_event(cadre, taken, "李处长", clock.ms + 60_000, clock.ms + 86_400_000)  # after the shift: not counted
    other.start_shift("王芳", "A03")  # never ended: expires
    clock.ms = china_ms(2026, 11, 2, 9, 0)
    return cadre, {"heard": heard, "taken": taken}


def test_each_shift_with_its_calls_and_commitments(year_of_shifts):
    cadre, numbers = year_of_shifts
    report = cadre.shift_report(2026)
    first, second = report["shifts"]
    assert (first["cadre"], first["status"], first["minutes"]) == ("李处长", "ended", 200)
    assert (first["heard"], first["taken"]) == (2, 1)
    assert (first["commitments"], first["kept"]) == (2, 1)
    assert (second["cadre"], second["status"], second["heard"], second["commitments"]) == ("赵处长", "expired", 0, 0)
    assert second["minutes"] == 12 * 60
    t = report["totals"]
    assert (t["shifts"], t["cadres"], t["heard"], t["taken"], t["commitments"], t["kept"]) == (2, 2, 2, 1, 2, 1)
    assert report["reference"]["cadres"] == reference()["cadres"] and report["reference"]["source"]
    assert cadre.shift_report(2025)["shifts"] == []


def test_the_reference_figure_is_the_city_count_in_the_data_file():
    ref = reference()
    assert ref["cadres"] == 682 and "接线体悟" in ref["source"]


@pytest.mark.parametrize("year", ["1999", "3000", "26", "twenty", "2026\x1b", " ", "２０２６"])
def test_bad_years_are_refused(tmp_path, year):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 2, 9, 0)))
    with pytest.raises(InputError, match="is not a year"):
        desk.shift_year(year)
    assert desk.shift_year(None) == 2026 and desk.shift_year("2025") == 2025


def test_the_report_command(year_of_shifts, tmp_path):
    env = {"HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOTLINE_ROLE": "supervisor"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "hotline_tui", "report", "shifts", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    shown = run("--year", "2026")
    assert shown.returncode == 0, shown.stderr
    assert "2026 年接线体悟: 2 班次, 2 名干部" in shown.stdout and "682" in shown.stdout
    assert "李处长" in shown.stdout and "超时" in shown.stdout
    data = json.loads(run("--year", "2026", "--json").stdout)
    assert data["totals"]["taken"] == 1 and data["reference"]["cadres"] == 682
    bad = run("--year", "20x6")
    assert bad.returncode == 2 and "is not a year" in bad.stderr and "Traceback" not in bad.stderr
