"""Keys typed in one burst in the real desk in a pty: a whole intake, and a ticket number after ctrl+o.

A whole intake typed in one burst into the real desk in a pty, as a fast operator types it.

Pilot delivers one key at a time, so it cannot show keys landing in the wrong field when Enter moves
focus while later keys are already on their way. Here every key of the call up to the description goes
to the terminal in a single write; the saved ticket must hold each value in its own field.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

pexpect = pytest.importorskip("pexpect", reason="pexpect drives the desk in a pty")

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1bO.")
F2, F8, F9 = "\x1bOQ", "\x1b[19~", "\x1b[20~"


def wait_text(child, text: str, timeout: float = 30) -> None:
    seen = ""
    import time

    end = time.monotonic() + timeout
    while text not in ANSI.sub("", seen):
        if time.monotonic() > end:
            raise AssertionError(f"{text!r} never appeared; last output: {ANSI.sub('', seen)[-400:]!r}")
        try:
            seen += child.read_nonblocking(1 << 16, timeout=0.2)
        except pexpect.TIMEOUT:
            pass


def clean_environ() -> dict[str, str]:
    """This process's environment without HOTLINE_* (a role, user or store another test left set must not
    reach the desk started here)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}


def test_a_burst_of_keys_lands_each_in_its_own_field(tmp_path):
    env = {**clean_environ(), "HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOTLINE_DESK": "B01", "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "hotline_tui"], env=env, dimensions=(40, 120), encoding="utf-8")
    try:
        wait_text(child, "F4 工单")
        child.send(F2)
        wait_text(child, "来电历史")
        import time

        time.sleep(1.0)  # the store and directory open in a worker after the first frame
        child.send("13805321234\r\r1zdjy\rtd\r\r台东三路烧烤摊占道经营")
        wait_text(child, "市北区城市管理局")  # the suggestion, once the description has settled
        child.send(F8)
        wait_text(child, "未选主办单位")
        child.send("\r")
        wait_text(child, "已受理")
    finally:
        child.sendcontrol("q")
        child.expect(pexpect.EOF, timeout=10)
    out = subprocess.run([sys.executable, "-m", "hotline_tui", "ticket", "list", "--json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    rows = json.loads(out)
    assert len(rows) == 1
    shown = subprocess.run([sys.executable, "-m", "hotline_tui", "ticket", "show", rows[0]["number"], "--json"], env=env,
                           capture_output=True, text=True, check=True).stdout
    state = json.loads(shown)["state"]
    assert state["caller_phone"] == "138****1234" and state["caller_name"] == ""  # masked once saved
    revealed = subprocess.run([sys.executable, "-m", "hotline_tui", "ticket", "reveal", rows[0]["number"], "--reason", "核对",
                               "--json"], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(revealed)["value"] == "13805321234"  # the number as typed in the burst
    assert state["nature"] == "complaint" and state["category"] == ["城乡建设", "市容环境", "占道经营"]
    assert state["place"] == "370203021" and state["address"] == ""
    assert state["description"] == "台东三路烧烤摊占道经营" and state["lead_unit"] == "370203-CGJ"


def test_a_number_typed_right_after_ctrl_o_opens_that_ticket(tmp_path):
    env = {**clean_environ(), "HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOTLINE_DESK": "B01", "TERM": "xterm-256color"}
    request = {"caller_phone": "13805321234", "nature": "complaint", "description": "路灯不亮", "place": "370203021",
               "handling": {"mode": "dispatch", "lead": "370203021"}}
    number = subprocess.run([sys.executable, "-m", "hotline_tui", "ticket", "new"], input=json.dumps(request), env=env,
                            capture_output=True, text=True, check=True).stdout.split()[0]
    child = pexpect.spawn(sys.executable, ["-m", "hotline_tui"], env=env, dimensions=(40, 120), encoding="utf-8")
    try:
        wait_text(child, "F4 工单")
        import time

        time.sleep(1.0)
        child.send("\x1bOS")  # F4, then leave the number box so the old focus is elsewhere
        child.send("\t")
        time.sleep(0.5)
        child.send("\x0f" + number + "\r")  # ctrl+o and the number in one write
        wait_text(child, "待签收")
    finally:
        child.sendcontrol("q")
        child.expect(pexpect.EOF, timeout=10)
