"""``hotline suggest``: ranked units for a request read on stdin, and every bad input refused in one line.

Bad inputs tried: empty and blank stdin, more than 64 KiB, non-UTF-8 bytes, malformed JSON, a JSON array,
unknown fields, wrong types (description, place, category), an unknown place code, an unknown category,
more than three category levels, a description over 4,000 characters, C0 controls, ESC sequences (CSI,
OSC title/clipboard), the 8-bit CSI, NUL, a bidi override, a control character in the place, and --limit
outside 1–50. Each ends with exit code != 0, one `hotline: ` line on stderr, nothing on stdout and the store
untouched (not created when absent; same size, time and events when present).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from deskkit import TAIDONG, event_count, make_desk, new_request

from hotline_tui.cli import main

WEIHAILU = "370203021001"


def run(monkeypatch, capsys, data: bytes | str, *args: str) -> tuple[int, str, str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = main(["suggest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plain_text_gives_ranked_units_in_the_lookup_shape(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "市北区台东三路有人摆摊占道经营，晚上还烧烤\n", "--json")
    assert code == 0 and err == ""
    units = json.loads(out)
    assert [u["code"] for u in units] == ["370203-CGJ", "370203"]  # the district named in the text comes next
    assert set(units[0]) == {"code", "name", "path", "kind", "level", "score", "reason"}
    assert "派单目录「占道经营」" in units[0]["reason"]


def test_json_with_place_category_and_limit(monkeypatch, capsys):
    request = {"description": "家里暖气不热", "place": WEIHAILU, "category": "城乡建设 › 供热 › 暖气不热"}
    code, out, _ = run(monkeypatch, capsys, json.dumps(request, ensure_ascii=False), "--json", "--limit", "5")
    units = json.loads(out)
    assert code == 0 and units[0]["code"] == "E-NYJT-RD" and len(units) <= 5
    assert "370203021" in [u["code"] for u in units]  # the place's street is offered
    request = {"description": "", "place": WEIHAILU, "category": ["劳动和社会保障", "劳动关系", "拖欠工资"]}
    code, out, _ = run(monkeypatch, capsys, json.dumps(request, ensure_ascii=False), "--json", "--limit", "1")
    assert code == 0 and [u["code"] for u in json.loads(out)] == ["370203-RSJ"]


def test_text_output_is_one_line_per_unit(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "崂山区小区停水了，什么时候来水")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and lines[1].startswith("370212 ")
    assert lines[0].startswith("E-HRZLS") and "海润自来水集团" in lines[0] and "分类「停水」" in lines[0]


def test_a_text_in_brackets_is_a_description_not_json(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "[紧急] 楼道里有煤气味", "--json")
    assert code == 0 and json.loads(out)[0]["code"] == "E-NYJT-RQ"


def test_nothing_to_suggest_says_so_and_succeeds(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "你好")
    assert code == 0 and out == "" and "add the place or the category" in err
    code, out, _ = run(monkeypatch, capsys, "你好", "--json")
    assert code == 0 and json.loads(out) == []


def test_the_desk_history_shows_in_the_reasons(tmp_path, monkeypatch, capsys):
    desk = make_desk(tmp_path)  # the store conftest points HOTLINE_DB at, real clock
    for _ in range(3):
        desk.register(new_request(place=TAIDONG, handling={"mode": "dispatch", "lead": TAIDONG}))
    before = event_count(desk)
    code, out, _ = run(monkeypatch, capsys, json.dumps({"description": "烧烤摊占道", "place": WEIHAILU}), "--json")
    street = next(u for u in json.loads(out) if u["code"] == TAIDONG)
    assert code == 0 and "本台近30天 3 次" in street["reason"]
    assert event_count(desk) == before


BAD = [
    (b"", "no request on stdin"),
    (b"  \n\t\n", "no request on stdin"),
    ("占" * 30_000, "larger than 64 KiB"),
    (b"\xff\xfe\x00\x00", "not UTF-8 (byte 1)"),
    ("台东\udcff".encode("utf-8", "surrogateescape"), "not UTF-8"),
    ('{"description": "停水"', "malformed"),
    ('{"description": "停水",}', "malformed"),
    ("[1, 2]", "not a JSON list"),
    ('{"description": "停水", "caller_phone": "13805321234"}', "unknown field 'caller_phone'"),
    ('{"description": 42}', "description must be text, not int"),
    ('{"description": ["停水"]}', "description must be text, not list"),
    ('{"description": "停水", "place": 370203021}', "place must be text, not int"),
    ('{"description": "停水", "category": 7}', "category must be a list"),
    ('{"description": "停水", "category": {"l1": "城乡建设"}}', "category must be a list"),
    ('{"description": "停水", "category": [1, 2]}', "category must be text"),
    ('{"description": "停水", "category": ["a", "b", "c", "d"]}', "at most 3 levels"),
    ('{"description": "停水", "category": "不存在 › 的分类"}', "unknown category '不存在 › 的分类'"),
    ('{"description": "停水", "place": "370299999"}', "unknown place '370299999'"),
    ('{"description": "", "place": "NOPE"}', "unknown place 'NOPE'"),
    ('{"description": ""}', "no description, place or category"),
    ('{}', "no description, place or category"),
    ("停" * 4001, "4001 characters long; at most 4000"),
    ("暖气不热\x1b[2J\x1b[H", "terminal escape sequence (ESC) at position 5"),
    ("\x1b]0;pwned\x07暖气不热", "terminal escape sequence (ESC) at position 1"),
    ("暖气\x1b]52;c;ZWNobyBoaQ==\x07", "terminal escape sequence (ESC)"),
    ("暖气\u009b31m不热", "terminal escape sequence (CSI)"),
    ("暖气\x00不热", "control character U+0000"),
    ("暖气\x08不热", "control character U+0008"),
    ("暖气\u202e热不", "control character U+202E"),
    ('{"description": "停水", "place": "3702\\u001b[0m"}', "place contains a terminal escape sequence"),
    ('{"description": "停水\\u001b[31m"}', "description contains a terminal escape sequence"),
]


@pytest.mark.parametrize("data, message", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_one_line_and_no_store_is_made(tmp_path, monkeypatch, capsys, data, message):
    code, out, err = run(monkeypatch, capsys, data, "--json")
    assert code != 0 and out == ""
    assert err.startswith("hotline: ") and err.count("\n") == 1 and message in err, err
    assert "\x1b" not in err and "\x9b" not in err
    assert not (tmp_path / "store.sqlite").exists()


@pytest.mark.parametrize("limit", ["0", "51", "-1"])
def test_bad_limit(monkeypatch, capsys, limit):
    code, out, err = run(monkeypatch, capsys, "停水", "--limit", limit)
    assert code == 2 and out == "" and err.startswith("hotline: --limit must be between 1 and 50")


def test_bad_input_leaves_an_existing_store_as_it_was(tmp_path, monkeypatch, capsys):
    desk = make_desk(tmp_path)
    desk.register(new_request())
    store = tmp_path / "store.sqlite"
    before = (store.stat().st_size, store.stat().st_mtime_ns, event_count(desk))
    for data, _ in BAD:
        assert run(monkeypatch, capsys, data, "--json")[0] != 0
    assert (store.stat().st_size, store.stat().st_mtime_ns, event_count(desk)) == before


def test_real_process_reads_bytes_from_stdin(tmp_path):
    env = {**os.environ, "HOTLINE_DB": str(tmp_path / "cli.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml")}
    root = Path(__file__).resolve().parent.parent
    ok = subprocess.run([sys.executable, "-m", "hotline_tui", "suggest", "--json"], input="市南区香港中路停电了".encode(),
                        capture_output=True, env=env, cwd=root, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)[0]["code"] == "E-GWGD"
    bad = subprocess.run([sys.executable, "-m", "hotline_tui", "suggest"], input=b"\xc3\x28", capture_output=True,
                         env=env, cwd=root, timeout=60)
    assert bad.returncode == 2 and bad.stderr.decode() == "hotline: the request on stdin is not UTF-8 (byte 1)\n"
    assert not (tmp_path / "cli.sqlite").exists()
