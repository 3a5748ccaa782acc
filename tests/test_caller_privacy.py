"""The caller's privacy: numbers and names sealed where they are written, history found by a keyed hash,
the key in the config (never the store), the full number only with a reason (audited), older stores and hubs
sealed by a command.

Bad inputs tried: a reveal with no reason, a blank one, one with a terminal escape / a control character, one
too long, a reason that is not text, an unknown field, an unknown ticket, an anonymous caller; a config key that
is not base64, one of the wrong length; a config file that is a folder; a config that is not TOML; a desk with
another key; a desk with no key.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from hotline_tui.cli import main
from hotline_tui.domain.clock import hlc_ms, make_hlc, uuid7
from hotline_tui.domain.events import Event
from hotline_tui.errors import DomainError, InputError, NotFound
from hotline_tui.store import streams
from tests.deskkit import Clock, china_ms, event_count, make_desk, new_request

PHONE, NAME = "13805321234", "张先生"
KEY_A = base64.b64encode(bytes(range(32))).decode()
KEY_B = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture
def clock() -> Clock:
    return Clock(china_ms(2026, 11, 2, 9, 0))


def store_bytes(path: Path) -> bytes:
    """The store file and its WAL, as a lost laptop would give them up."""
    out = b""
    for f in (path, path.with_name(path.name + "-wal")):
        if f.exists():
            out += f.read_bytes()
    return out


def audit_events(desk) -> list[Event]:
    with desk.store.read() as conn:
        rows = conn.exec_driver_sql("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event WHERE ticket LIKE '~audit/%'").fetchall()
    return [Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]


# --- sealing at the point of writing -----------------------------------------------------------------

def test_a_registered_caller_is_stored_sealed_and_shown_masked(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request(caller_phone="138-0532-1234", caller_name=NAME))
    with desk.store.read() as conn:
        payload = json.loads(conn.exec_driver_sql("SELECT payload FROM event WHERE kind = 'register'").scalar())
        row = conn.exec_driver_sql("SELECT caller_phone, caller_key, data FROM ticket").fetchone()
    assert payload["caller_phone"] == "138****1234" and payload["caller_name"] == "张**"
    assert len(payload["caller_key"]) == 64 and payload["caller_key"] == row[1]
    assert row[0] == "138****1234" and PHONE not in row[2] and NAME not in row[2]
    assert desk.sealer.open("caller_phone", payload["caller_phone_enc"]) == PHONE
    assert desk.sealer.open("caller_name", payload["caller_name_enc"]) == NAME
    view = desk.show(number)
    assert (view.caller_phone, view.caller_name) == ("138****1234", "张**")
    shown = json.dumps(view.to_json(), ensure_ascii=False)
    assert PHONE not in shown and NAME not in shown and "caller_phone_enc" not in shown and "caller_key" not in shown
    desk.store.close()
    assert PHONE.encode() not in store_bytes(desk.settings.store_path)
    assert NAME.encode() not in store_bytes(desk.settings.store_path)


def test_a_sealed_name_cannot_be_opened_as_a_number(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    desk.register(new_request())
    t = desk.store.ticket(desk.list_tickets()[0]["number"])
    with pytest.raises(DomainError, match="another key"):
        desk.sealer.open("caller_phone", t.caller_name_enc)  # the field is bound to the ciphertext


def test_a_number_added_to_a_call_is_sealed_too(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request())
    desk.add_call(number, "又来电", caller_phone="139 0532 9876")
    with desk.store.read() as conn:
        payload = json.loads(conn.exec_driver_sql("SELECT payload FROM event WHERE kind = 'add_call'").scalar())
    assert payload["caller_phone"] == "139****9876" and payload["caller_key"] == desk.sealer.caller_key("13905329876")
    with pytest.raises(InputError, match="not a mobile or landline"):
        desk.add_call(number, "又来电", caller_phone="12345")


def test_the_key_is_made_once_into_a_private_config_keeping_what_it_held(tmp_path, clock):
    config = tmp_path / "config.toml"
    before = '# the city desk\n[desk]\ncode = "A07"  # 台东\n\n[sync]\nhub = "sqlite:////srv/hub.sqlite"\n'
    config.write_text(before, encoding="utf-8")
    os.chmod(config, 0o644)
    desk = make_desk(tmp_path, clock=clock)
    desk.register(new_request())
    after = config.read_text(encoding="utf-8")
    assert after.startswith(before) and "[privacy]" in after
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    again = make_desk(tmp_path, clock=clock)  # a second desk on the same config uses the same key
    again.register(new_request())
    assert config.read_text(encoding="utf-8") == after
    assert again.sealer.caller_key(PHONE) == desk.sealer.caller_key(PHONE)


def test_a_missing_config_is_made_0600_in_a_0700_folder(tmp_path, clock, monkeypatch):
    from hotline_tui.config import Settings
    from tests.deskkit import TestDesk

    config = tmp_path / "new" / "folder" / "config.toml"
    desk = TestDesk(Settings(store_path=tmp_path / "s.sqlite", config_file=config, config_exists=False, desk="A07",
                             operator="王芳"), clock_ms=clock)
    desk.register(new_request())
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700 and stat.S_IMODE(config.parent.parent.stat().st_mode) == 0o700


def test_a_privacy_table_without_a_key_gets_it_there(tmp_path, clock):
    config = tmp_path / "config.toml"
    config.write_text("[privacy]\n# to be filled\n[desk]\ncode = \"A07\"\n", encoding="utf-8")
    make_desk(tmp_path, clock=clock).register(new_request())
    import tomllib

    parsed = tomllib.loads(config.read_text(encoding="utf-8"))
    assert len(base64.b64decode(parsed["privacy"]["key"])) == 32 and parsed["desk"]["code"] == "A07"


@pytest.mark.parametrize("bad, why", [
    ('key = "not base64 at all!"', "not base64"),
    ('key = "' + base64.b64encode(b"short").decode() + '"', "32 bytes, not 5"),
])
def test_a_bad_key_in_the_config_is_refused_and_nothing_written(tmp_path, clock, bad, why):
    (tmp_path / "config.toml").write_text(f"[privacy]\n{bad}\n", encoding="utf-8")
    desk = make_desk(tmp_path, clock=clock)
    with pytest.raises(InputError, match=why):
        desk.register(new_request())
    assert event_count(desk) == 0


def test_a_config_that_cannot_take_the_key_is_refused_and_nothing_written(tmp_path, clock):
    (tmp_path / "config.toml").mkdir()  # a folder where the config file should be
    desk = make_desk(tmp_path, clock=clock)
    with pytest.raises(InputError, match="config"):
        desk.register(new_request())
    assert event_count(desk) == 0
    (tmp_path / "config.toml").rmdir()
    (tmp_path / "config.toml").write_text("[desk\ncode=", encoding="utf-8")  # not TOML
    with pytest.raises(InputError, match="not valid TOML"):
        make_desk(tmp_path, clock=clock).register(new_request())
    assert event_count(desk) == 0


def test_the_environment_key_overrides_the_config(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("HOTLINE_PRIVACY_KEY", KEY_A)
    desk = make_desk(tmp_path, clock=clock)
    desk.register(new_request())
    assert not (tmp_path / "config.toml").exists()  # nothing had to be written
    from hotline_tui.privacy.seal import Sealer

    assert desk.sealer.caller_key(PHONE) == Sealer(base64.b64decode(KEY_A)).caller_key(PHONE)


# --- the caller's history by the keyed hash ---------------------------------------------------------

def test_two_desks_sharing_the_key_find_a_callers_history_across_a_hub(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("HOTLINE_PRIVACY_KEY", KEY_A)
    hub = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    a = make_desk(tmp_path, desk="A01", clock=clock, store_name="a.sqlite", hub=hub)
    b = make_desk(tmp_path, desk="B02", operator="李娜", clock=clock, store_name="b.sqlite", hub=hub)
    first = a.register(new_request())
    a.sync_now()
    b.sync_now()
    history = b.caller_history("138 0532 1234")
    assert history["count"] == 1 and [i["number"] for i in history["items"]] == [first]
    assert history["phone"] == PHONE  # the number this operator is typing, as typed
    assert [c["number"] for c in b.repeat_candidates(PHONE, ["城乡建设", "市容环境", "占道经营"])] == [first]
    hub_text = (tmp_path / "hub.sqlite").read_bytes()
    assert PHONE.encode() not in hub_text and NAME.encode() not in hub_text
    # a desk with another key finds nothing by the number, and cannot open what it pulled
    monkeypatch.setenv("HOTLINE_PRIVACY_KEY", KEY_B)
    c = make_desk(tmp_path, desk="C03", clock=clock, store_name="c.sqlite", hub=hub)
    c.sync_now()
    assert c.caller_history(PHONE)["count"] == 0
    with pytest.raises(DomainError, match="sealed with another key"):
        c.reveal(first, "核对号码")
    assert audit_events(c) == []


def test_a_desk_without_a_key_finds_no_history_and_makes_no_key_by_reading(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    assert desk.caller_history(PHONE)["count"] == 0
    assert desk.repeat_candidates(PHONE, ["城乡建设", "市容环境", "占道经营"]) == []
    assert not (tmp_path / "config.toml").exists()


def test_a_desk_without_the_key_cannot_reveal(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("HOTLINE_PRIVACY_KEY", KEY_A)
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request())
    monkeypatch.delenv("HOTLINE_PRIVACY_KEY")
    keyless = make_desk(tmp_path, clock=clock)
    with pytest.raises(DomainError, match="no privacy key"):
        keyless.reveal(number, "核对号码")
    assert audit_events(keyless) == []


# --- revealing ------------------------------------------------------------------------------------

def test_a_reveal_with_a_reason_shows_the_number_and_is_audited(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request())
    shown = desk.reveal(number, "回访需核对号码")
    assert shown == {"number": number, "field": "phone", "value": PHONE, "reason": "回访需核对号码"}
    assert desk.reveal(number, "寄送材料", field="name")["value"] == NAME
    events = audit_events(desk)
    assert [e.ticket for e in events] == [streams.key("audit", "2026-11")] * 2
    assert [(e.kind, e.actor, e.desk) for e in events] == [("reveal", "王芳", "A07")] * 2
    assert [e.payload for e in events] == [{"ticket": number, "reason": "回访需核对号码", "field": "phone"},
                                           {"ticket": number, "reason": "寄送材料", "field": "name"}]


def test_the_audit_month_is_chinas(tmp_path):
    clock = Clock(china_ms(2026, 12, 1, 0, 30))  # still 30 November in UTC
    desk = make_desk(tmp_path, clock=clock)
    desk.reveal(desk.register(new_request()), "核对")
    assert audit_events(desk)[0].ticket == "~audit/2026-12"


@pytest.mark.parametrize("reason, error, why", [
    ("", InputError, "reason is required"),
    ("   ", InputError, "reason is required"),
    ("看看\x1b[2J", InputError, "escape"),
    ("看\x07看", InputError, "control character"),
    ("长" * 201, InputError, "at most 200"),
    (None, InputError, "reason is required"),
    (42, InputError, "must be text"),
])
def test_a_reveal_without_a_proper_reason_is_refused_and_writes_nothing(tmp_path, clock, reason, error, why):
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request())
    before = event_count(desk)
    with pytest.raises(error, match=why):
        desk.reveal(number, reason)
    assert event_count(desk) == before


def test_a_reveal_of_what_is_not_there_is_refused(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    anonymous = desk.register(new_request(caller_phone="", caller_name="", anonymous=True))
    before = event_count(desk)
    with pytest.raises(NotFound):
        desk.reveal("QD-A07-20991231-9999", "核对")
    with pytest.raises(InputError, match="phone or name"):
        desk.reveal(anonymous, "核对", field="address")
    with pytest.raises(DomainError, match="anonymous"):
        desk.reveal(anonymous, "核对")
    assert event_count(desk) == before


def test_who_may_reveal(tmp_path, clock):
    op = make_desk(tmp_path, clock=clock)
    plain = op.register(new_request())
    secret = op.register(new_request(confidential=True))
    cadre = make_desk(tmp_path, role="cadre", operator="刘处长", clock=clock)
    other = make_desk(tmp_path, operator="李娜", clock=clock)
    boss = make_desk(tmp_path, role="supervisor", operator="赵督办", clock=clock)
    before = event_count(op)
    for number in (plain, secret):
        with pytest.raises(DomainError, match="cadre may not"):
            cadre.reveal(number, "想核实")
        with pytest.raises(DomainError, match="本单位"):  # nor even shown: a cadre sees only their unit's requests
            cadre.show(number)
    for desk in (other, boss):  # a confidential caller: only the operator who registered the call
        with pytest.raises(DomainError, match="保密"):
            desk.reveal(secret, "核对")
    assert event_count(op) == before
    assert other.reveal(plain, "回访")["value"] == PHONE
    assert boss.reveal(plain, "督办核实")["value"] == PHONE
    assert op.reveal(secret, "回访")["value"] == PHONE
    assert [e.actor for e in audit_events(op)] == ["李娜", "赵督办", "王芳"]


def test_reveal_on_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOTLINE_DESK", "A07")
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", _Stdin(json.dumps(new_request(place=None))))
    assert main(["ticket", "new"]) == 0
    number = capsys.readouterr().out.strip()
    assert main(["ticket", "reveal", number, "--reason", "回访核对", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == PHONE
    assert main(["ticket", "reveal", number, "--reason", " "]) != 0
    assert "reason is required" in capsys.readouterr().err
    monkeypatch.setenv("HOTLINE_ROLE", "cadre")
    assert main(["ticket", "reveal", number, "--reason", "想看"]) != 0
    err = capsys.readouterr().err
    assert "cadre may not" in err and PHONE not in err


class _Stdin:
    def __init__(self, text: str) -> None:
        import io

        self.buffer = io.BytesIO(text.encode())


# --- sealing an older store and a hub --------------------------------------------------------------

def old_store(tmp_path: Path, clock: Clock, tickets: int = 6):
    """A store as an older desk left it: callers in clear in the events and the ticket rows."""
    from hotline_tui.store.event_store import open_store

    store = open_store(tmp_path / "store.sqlite")
    numbers = []
    with store.write() as w:
        for i in range(tickets):
            number = f"QD-A07-20261102-{i + 1:04d}"
            hlc = make_hlc(clock.ms + i * 1000, 0)
            w.append([Event(uuid7(hlc_ms(hlc)), number, hlc, "A07", "王芳", "register",
                            {**new_request(caller_phone=f"1380532{i:04d}", caller_name=f"甄宝{i}玉"), "category": ["城乡建设"]})])
            numbers.append(number)
        hlc = make_hlc(clock.ms + 60_000, 0)
        w.append([Event(uuid7(hlc_ms(hlc)), numbers[0], hlc, "A07", "王芳", "add_call",
                        {"text": "又来电", "caller_phone": "139 0532 9876"})])
    store.close()
    return numbers


def test_store_seal_seals_an_older_store_so_no_number_is_left_in_its_bytes(tmp_path, clock, capsys):
    numbers = old_store(tmp_path, clock)
    path = tmp_path / "store.sqlite"
    assert b"13805320003" in store_bytes(path)
    capsys.readouterr()
    assert main(["store", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unsealed_callers"] == 6
    assert main(["store", "seal", "--batch", "2"]) == 0
    out = capsys.readouterr()
    assert "sealed 7 events of 6 tickets" in out.out and "event" in out.err
    data = store_bytes(path)
    for i in range(6):
        assert f"1380532{i:04d}".encode() not in data and f"甄宝{i}玉".encode() not in data
    assert b"13905329876" not in data
    desk = make_desk(tmp_path, clock=clock)
    assert desk.caller_history("13805320003")["count"] == 1
    assert desk.show(numbers[3]).caller_phone == "138****0003"
    assert desk.reveal(numbers[3], "核对")["value"] == "13805320003"
    assert desk.rebuild()["tickets"] == 6  # the projection is the fold of the sealed events
    assert desk.show(numbers[0]).ticket.caller_key == desk.sealer.caller_key("13805320000")
    assert main(["store", "seal", "--json", "-q"]) == 0  # again: nothing left to seal
    assert json.loads(capsys.readouterr().out)["events"] == 0
    assert main(["store", "check"]) == 0 and "in clear" not in capsys.readouterr().out


def test_store_seal_stopped_half_way_goes_on_where_it_stopped(tmp_path, clock):
    old_store(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    seen = []

    def stop_after_two(seq, top, sealed):
        seen.append(seq)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        desk.seal_store(batch=2, progress=stop_after_two)
    con = sqlite3.connect(tmp_path / "store.sqlite")
    assert con.execute("SELECT value FROM meta WHERE key = 'seal_cursor'").fetchone() == (str(seen[-1]),)
    sealed_rows = con.execute("SELECT count(*) FROM event WHERE payload LIKE '%caller_phone_enc%'").fetchone()[0]
    con.close()
    assert sealed_rows == 4  # two whole batches, nothing of the third
    done = desk.seal_store(batch=2)
    assert done["events"] == 3  # the rest only
    con = sqlite3.connect(tmp_path / "store.sqlite")
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'seal_cursor'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM event WHERE payload LIKE '%1380532%'").fetchone()[0] == 0
    con.close()


def _hub_with_clear_callers(tmp_path, clock, url: str) -> None:
    from hotline_tui.store.event_store import open_store
    from hotline_tui.sync.engine import sync_with

    old_store(tmp_path, clock)
    store = open_store(tmp_path / "store.sqlite")
    sync_with(store, url)  # as an older desk pushed them: in clear
    store.close()


def test_a_sqlite_hub_with_clear_callers_is_sealed(tmp_path, clock, capsys):
    hub = tmp_path / "hub.sqlite"
    _hub_with_clear_callers(tmp_path, clock, f"sqlite:///{hub}")
    assert b"13805320001" in hub.read_bytes()
    assert main(["store", "seal", "--hub", f"sqlite:///{hub}"]) == 0
    assert "sealed 7 of 7 events" in capsys.readouterr().out
    assert b"1380532" not in hub.read_bytes() and "甄宝".encode() not in hub.read_bytes()
    # a desk pulling from it gets the sealed callers, and the same bytes the hub holds
    desk = make_desk(tmp_path, clock=clock, store_name="fresh.sqlite", hub=f"sqlite:///{hub}")
    desk.sync_now()
    assert desk.caller_history("13805320001")["count"] == 1


def test_a_postgres_hub_with_clear_callers_is_sealed(tmp_path, clock, postgres_url):
    from tests.bench.bench_sync import fresh_schema

    with fresh_schema(postgres_url, "hl_test") as url:
        _hub_with_clear_callers(tmp_path, clock, url)
        desk = make_desk(tmp_path, clock=clock, store_name="other.sqlite")
        done = desk.seal_hub(url)
        assert (done["events"], done["scanned"]) == (7, 7)
        import psycopg

        with psycopg.connect(url) as conn:
            payloads = [r[0] for r in conn.execute("SELECT payload FROM hotline_hub_event")]
        assert payloads and not any("1380532" in p or "甄宝" in p or "13905329876" in p for p in payloads)
        assert desk.seal_hub(url)["events"] == 0


def test_a_sync_sends_only_sealed_callers_even_from_an_unsealed_store(tmp_path, clock):
    old_store(tmp_path, clock)
    hub = tmp_path / "hub.sqlite"
    desk = make_desk(tmp_path, clock=clock, hub=f"sqlite:///{hub}")
    desk.sync_now()
    assert b"1380532" not in hub.read_bytes() and "甄宝".encode() not in hub.read_bytes()
    # sealed in flight with the event's id as the nonce's source: the store sealed later holds the same bytes
    desk.seal_store()
    con = sqlite3.connect(tmp_path / "store.sqlite")
    mine = dict(con.execute("SELECT id, payload FROM event"))
    con.close()
    con = sqlite3.connect(hub)
    theirs = dict(con.execute("SELECT id, payload FROM hub_event"))
    con.close()
    assert mine == theirs
