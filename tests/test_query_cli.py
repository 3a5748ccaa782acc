"""hotline query: the JSON it prints (total, tickets in the list's order with the fields the issue names and the
caller masked, next), paging with --after, --count, --batch with one JSON line per filter, the same tickets the
workbench lists, and bad input: an unreadable filter, a bad cursor, a bad limit, --batch with a filter,
control characters on a batch line."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests import querykit

FIELDS = {"number", "state", "lead_unit", "unit_path", "place", "channel", "nature", "category", "registered_ms",
          "due_ms", "flags", "caller_phone"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The demo store, and a desk on it that reads the wall clock as the command does (overdue is "now")."""
    from hotline_tui.services import Desk

    folder = tmp_path_factory.mktemp("cli")
    demo, truth = querykit.build(folder)
    return folder, Desk(demo.settings), truth


def hotline(folder, *args, stdin: str = ""):
    env = {"HOTLINE_DB": str(folder / "store.sqlite"), "HOTLINE_CONFIG": str(folder / "config.toml"),
           "HOTLINE_ROLE": "supervisor", "HOME": str(folder), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_json_pages_are_the_lists_pages_with_callers_masked(store):
    folder, desk, truth = store
    r = hotline(folder, "query", "overdue", "unit:市北区", "--json", "--limit", "7", "--sort", "due")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total"] == desk.query_count("overdue unit:市北区")
    assert [t["number"] for t in out["tickets"]] == [r["number"] for r in desk.query_page("overdue unit:市北区", sort="due", limit=7)["rows"]]
    for t in out["tickets"]:
        assert FIELDS <= set(t)
        sealed = truth.tickets[t["number"]].caller_phone_enc  # the number as the desk sealed it
        full = desk.sealer.open("caller_phone", sealed) if sealed else ""
        assert len(full) >= 11 or not sealed
        assert full not in r.stdout or not full
        assert re.fullmatch(r"\d{3}\*{4}\d{4}|\d{4}\*{4}\d{4}|", t["caller_phone"]) or t["caller_phone"] == ""
    seen, after = [], None
    while True:
        args = ["query", "unfinished", "--json", "--limit", "50"] + (["--after", after] if after else [])
        page = json.loads(hotline(folder, *args).stdout)
        seen += [t["number"] for t in page["tickets"]]
        after = page["next"]
        if after is None:
            break
    assert set(seen) == querykit.matches(desk, "unfinished") and len(seen) == len(set(seen))


def test_count_and_batch(store):
    folder, desk, _truth = store
    assert hotline(folder, "query", "listed", "--count").stdout.strip() == str(desk.query_count("listed"))
    r = hotline(folder, "query", "--batch", "--json", "--count", stdin="listed\nnature:投诉 (\n\noverdue\n漏水\x1b[2J\n")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 5
    assert lines[0] == {"total": desk.query_count("listed")}
    assert lines[1]["column"] == 11 and "never closed" in lines[1]["error"]
    assert lines[2] == {"total": desk.query_count("")}
    assert lines[3] == {"total": desk.query_count("overdue")}
    assert "control character" in lines[4]["error"] and "\x1b" not in r.stdout
    r = hotline(folder, "query", "--batch", "--json", stdin="escalated\n")
    page = json.loads(r.stdout)
    assert page["total"] == desk.query_count("escalated") and len(page["tickets"]) == min(50, page["total"])


@pytest.mark.parametrize("args, words", [
    (["query", "overdue", "("], "never closed"),
    (["query", "overdue", "--after", "not-a-cursor"], "not one `hotline query` printed"),
    (["query", "overdue", "--limit", "0"], "--limit must be between"),
    (["query", "overdue", "--batch"], "--batch reads filters from stdin"),
    (["query", "overdue", "--sort", "sideways"], "invalid choice"),
])
def test_bad_input_is_one_line_and_an_exit_code(store, args, words):
    folder, _desk, _truth = store
    r = hotline(folder, *args)
    assert r.returncode == 2 and words in r.stderr and r.stderr.startswith("hotline:")
    assert "Traceback" not in r.stderr and r.stdout == ""
