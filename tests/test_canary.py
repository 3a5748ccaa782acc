"""Canary callers: numbers and names planted through every way a caller enters the desk (intake, a repeat call,
CSV import, demo data), then every output the project has is searched for them in full: every command's text
and JSON (as the operator who took the calls, another operator, a supervisor and a visiting cadre), stderr (the
desk writes no other log), the exports and reports (md, csv, json, xlsx opened), the screens (Pilot), the store
file and its WAL, a SQLite hub's file and a PostgreSQL hub's table. The one place a full number may appear is
``hotline ticket reveal`` (with a reason, audited), and the intake form while the operator types it: both are
checked to show it, so the search is known to find what it looks for.
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from hotline_tui.cli import main
from hotline_tui.domain.calendar import local_date
from tests.csvkit import csv_text, row
from tests.deskkit import TAIDONG, shipped_desk

CANARIES = {  # number -> name (None: added to a call, no name)
    "13912340001": "甄士隐",
    "13912340002": "贾雨村",
    "13912340003": "冷子兴",  # asked for confidentiality (保密)
    "053288880004": "娇杏儿",  # a landline
    "13912340005": None,  # a repeat call's number
    "13912340006": "封肃公",  # imported from a CSV file
}
SECRETS = [*CANARIES, "88880004", *(n for n in CANARIES.values() if n)]


def leaks(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        return [s for s in SECRETS if s.encode() in text]
    return [s for s in SECRETS if s in text]


class RealClock:
    def __call__(self) -> int:
        import time

        return time.time_ns() // 1_000_000


def plant(tmp_path: Path) -> dict[str, str]:
    """The canaries registered, dispatched to 台东街道 (so a cadre of that unit sees them), one added to a call,
    one imported, plus demo data; {canary number: ticket number}."""
    desk = shipped_desk(tmp_path, RealClock())
    tickets = {}
    for phone, name in list(CANARIES.items())[:4]:
        n = desk.register({"caller_phone": phone, "caller_name": name, "confidential": name == "冷子兴", "nature": "complaint",
                           "category": ["城乡建设", "市容环境", "占道经营"], "place": TAIDONG, "address": "台东三路88号",
                           "description": "烧烤摊占用人行道经营", "handling": {"mode": "dispatch", "lead": TAIDONG}})
        tickets[phone] = n
    desk.add_call(tickets["13912340001"], "又来电催问", caller_phone="13912340005")
    csv_file = tmp_path / "old.csv"
    csv_file.write_text(csv_text([row(number="HIS2023050001", registered="2023-05-12 08:41", nature="投诉",
                                      caller_phone="13912340006", caller_name="封肃公", description="夜市噪音扰民",
                                      place=TAIDONG, lead_unit=TAIDONG, state="待签收", dispatched="2023-05-12 08:55")]),
                        encoding="utf-8")
    assert main(["import", "csv", str(csv_file)]) == 0
    tickets["13912340006"] = "HIS2023050001"
    assert main(["demo", "--tickets", "40", "--days", "20", "--quiet", "--workers", "0"]) == 0
    return tickets


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        class _In(io.StringIO):
            buffer = io.BytesIO(stdin.encode())

        monkeypatch.setattr("sys.stdin", _In(stdin))
    capsys.readouterr()
    main(list(args))
    out = capsys.readouterr()
    return out.out + "\n" + out.err


def xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def outputs_of_every_command(tmp_path: Path, capsys, monkeypatch, tickets: dict[str, str], tag: str) -> dict[str, str]:
    """What each command prints (stdout and stderr), and what each --out file holds, as this role."""
    month = local_date(RealClock()()).strftime("%Y-%m")
    out_dir = tmp_path / f"out-{tag}"
    out_dir.mkdir()
    got: dict[str, str] = {}
    commands = [
        ("ticket", "list"), ("ticket", "list", "--json", "--limit", "500"),
        ("query", "open"), ("query", "--json", "--limit", "500", "open"), ("query", "--json", "--limit", "500", "state:已登记,待签收"),
        ("query", "--explain", "open"), ("query", "--count", "open"),
        ("report", "monthly", month), ("report", "monthly", month, "--format", "json"),
        ("report", "monthly", month, "--format", "csv"), ("report", "analysis", month),
        ("report", "analysis", month, "--format", "json"),
        ("export", "open311"), ("store", "check"), ("store", "check", "--json"), ("locate",),
        ("lookup", "台东"), ("directory", "show", TAIDONG), ("sync", "--status"), ("sync", "--status", "--json"),
        ("shift", "list"), ("shift", "list", "--json"), ("report", "shifts"), ("report", "shifts", "--json"),
        ("audit",), ("audit", "--json"), ("directory", "card", TAIDONG), ("hub", "status"),
    ]
    for number in tickets.values():
        commands += [("ticket", "show", number), ("ticket", "show", number, "--json")]
    for args in commands:
        got[" ".join(args)] = run(capsys, *args)
    got["suggest"] = run(capsys, "suggest", "--json", stdin="台东三路烧烤摊占道经营 来电人13912340001", monkeypatch=monkeypatch)
    for name, args in (("monthly.xlsx", ("report", "monthly", month, "--format", "xlsx")),
                       ("analysis.xlsx", ("report", "analysis", month)), ("open311.json", ("export", "open311")),
                       ("monthly.md", ("report", "monthly", month)), ("analysis.md", ("report", "analysis", month))):
        got[" ".join(args) + " --out"] = run(capsys, *args, "--out", str(out_dir / name))
        path = out_dir / name
        if path.exists():
            got[name] = xlsx_text(path) if name.endswith(".xlsx") else path.read_text(encoding="utf-8")
    return got


ROLES = [  # (tag, env): the operator who took the calls, another operator, a supervisor, a visiting cadre
    ("taker", {"HOTLINE_OPERATOR": "王芳", "HOTLINE_ROLE": "operator"}),
    ("other", {"HOTLINE_OPERATOR": "李娜", "HOTLINE_ROLE": "operator"}),
    ("supervisor", {"HOTLINE_OPERATOR": "赵督办", "HOTLINE_ROLE": "supervisor"}),
    ("cadre", {"HOTLINE_OPERATOR": "刘处长", "HOTLINE_ROLE": "cadre", "HOTLINE_UNIT": TAIDONG}),
]


def test_no_command_prints_a_full_number_or_name_to_any_role(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOTLINE_DESK", "A07")
    tickets = plant(tmp_path)
    for tag, env in ROLES:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        got = outputs_of_every_command(tmp_path, capsys, monkeypatch, tickets, tag)
        found = {what: leaks(text) for what, text in got.items() if leaks(text)}
        assert found == {}, f"{tag}: {found}"
        quiet = [what for what, text in got.items() if not text.strip() and not what.endswith("--out")]
        assert quiet == []  # every command was run and said something
        files = {"monthly.xlsx", "analysis.xlsx", "monthly.md", "analysis.md"} | ({"open311.json"} if tag != "cadre" else set())
        assert files <= set(got)  # (a cadre may not export: told so on stderr, which was searched too)
    # the one place it may appear, for an operator who states a reason: the search finds it there
    monkeypatch.setenv("HOTLINE_OPERATOR", "王芳")
    monkeypatch.setenv("HOTLINE_ROLE", "operator")
    shown = run(capsys, "ticket", "reveal", tickets["13912340002"], "--reason", "回访核对")
    assert leaks(shown) == ["13912340002"]
    monkeypatch.setenv("HOTLINE_ROLE", "cadre")
    refused = run(capsys, "ticket", "reveal", tickets["13912340002"], "--reason", "想看")
    assert "cadre may not" in refused and leaks(refused) == []


def test_the_store_the_hubs_and_every_event_hold_no_full_number_or_name(tmp_path, capsys, monkeypatch, postgres_url):
    from tests.bench.bench_sync import fresh_schema

    monkeypatch.setenv("HOTLINE_DESK", "A07")
    plant(tmp_path)
    hub = tmp_path / "hub.sqlite"
    assert main(["sync", "--hub", f"sqlite:///{hub}"]) == 0
    with fresh_schema(postgres_url, "hl_test") as pg:
        assert main(["sync", "--hub", pg]) == 0
        import psycopg

        with psycopg.connect(pg) as conn:
            rows = conn.execute("SELECT id, ticket, desk, actor, kind, payload FROM hotline_hub_event").fetchall()
        assert len(rows) > 40 and [leaks(" ".join(map(str, r))) for r in rows if leaks(" ".join(map(str, r)))] == []
    assert leaks(hub.read_bytes()) == []
    con = sqlite3.connect(hub)
    assert not [r for r in con.execute("SELECT * FROM hub_event") if leaks(" ".join(map(str, r)))]
    con.close()
    # every register payload in the store (demo data included) carries a masked number and its sealed values
    con = sqlite3.connect(tmp_path / "store.sqlite")
    clear = con.execute("SELECT count(*) FROM event WHERE kind IN ('register', 'add_call')"
                        " AND coalesce(json_extract(payload, '$.caller_phone'), '') NOT IN ('')"
                        " AND (json_extract(payload, '$.caller_phone') NOT LIKE '%****%'"
                        "      OR json_extract(payload, '$.caller_phone_enc') IS NULL)").fetchone()[0]
    demo = con.execute("SELECT count(*) FROM event WHERE kind = 'register' AND payload LIKE '%caller_phone_enc%'").fetchone()[0]
    con.close()
    assert clear == 0 and demo > 40
    path = tmp_path / "store.sqlite"
    data = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes() if path.with_name(path.name + "-wal").exists() else b"")
    assert leaks(data) == []
    assert leaks((tmp_path / "config.toml").read_bytes()) == []  # the config holds the key, not callers


# --- the screens -----------------------------------------------------------------------------------

def screen_text(app) -> str:
    """The screen's text as the SVG screenshot has it, row by row."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(t for _, t in sorted(cells)) for _, cells in sorted(rows.items()))


async def visit(app, pilot, keys: list[str]) -> str:
    from tests.pilotkit import settle

    await pilot.press(*keys)
    await settle(app, pilot)
    return screen_text(app)


@pytest.mark.parametrize("role, operator", [("operator", "王芳"), ("supervisor", "赵督办"), ("cadre", "刘处长")])
def test_no_screen_shows_a_full_number_or_name(tmp_path, capsys, monkeypatch, role, operator):
    import asyncio

    from hotline_tui.app import HotlineApp
    from tests.pilotkit import settle

    monkeypatch.setenv("HOTLINE_DESK", "A07")
    tickets = plant(tmp_path)
    desk = shipped_desk(tmp_path, RealClock(), role=role, operator=operator,
                        **({"unit": TAIDONG} if role == "cadre" else {}))
    if role == "cadre":  # on a shift beside 王芳, who is typing a canary caller's number into F2 (its live draft)
        desk.start_shift("王芳", "A07")
        beside = shipped_desk(tmp_path, RealClock(), role="operator", operator="王芳")
        assert beside.publish_live_draft({"caller_phone": "13912340001", "caller_name": "甄士隐",
                                          "description": "台东三路烧烤摊占道经营"})

    async def scenario() -> dict[str, str]:
        seen: dict[str, str] = {}
        app = HotlineApp(desk.settings, desk=desk)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for number in tickets.values():
                seen[f"F4 {number}"] = await visit(app, pilot, ["f4", "ctrl+o", *number, "enter"])
            seen["F4 recent"] = await visit(app, pilot, ["slash"])
            seen["F4 recent"] += await visit(app, pilot, ["escape"])
            seen["F5"] = await visit(app, pilot, ["f5"])
            seen["F5 open"] = await visit(app, pilot, ["enter"])
            seen["F6"] = await visit(app, pilot, ["f6"])
            seen["F7"] = await visit(app, pilot, ["f7"])
            seen["F3"] = await visit(app, pilot, ["f3", *"台东街道"])
            if role != "cadre":
                typing = await visit(app, pilot, ["f2"])
                seen["F2"] = typing
                app.screen.query_one("#phone").focus()
                await pilot.pause()
                typing = await visit(app, pilot, list("13912340001"))
                seen["F2 typing"] = typing
        return seen

    seen = asyncio.run(scenario())
    typing = seen.pop("F2 typing", None)
    found = {what: leaks(text) for what, text in seen.items() if leaks(text)}
    assert found == {}, found
    assert all(seen.values())
    assert "139****0001" in seen[f"F4 {tickets['13912340001']}"]  # the ticket was on screen, its caller masked
    if role == "cadre":  # F7 showed the operator's draft, its number masked
        assert "139****0001" in seen["F7"]
    if typing is not None:  # the operator on the active intake sees the number they type: the search finds it
        assert "13912340001" in typing
