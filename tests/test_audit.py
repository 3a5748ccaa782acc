"""``hotline audit``: sign-ins and failures, sign-outs, user changes, bulk actions (one line each), escalations
and any other event of the audit and user streams (a kind this version does not know is listed as it is),
filtered by --since and --user; supervisors and admins only.

Bad inputs tried: --since not a date (text, an escape sequence, 2026-13-01), --user empty, an operator and a
cadre asking for the audit, a sign-in name with an escape sequence (printed spelled out, never raw)."""

from __future__ import annotations

import json

import pytest

from hotline_tui.auth import audit as audit_core
from hotline_tui.errors import DomainError, InputError
from tests.deskkit import TAIDONG, event_count, make_desk, new_request
from tests.userkit import PASSWORDS, cheap_hashes, monday_clock, run_cli, signed_in, store_with_users  # noqa: F401


@pytest.fixture
def history(tmp_path, clock):
    """Users added, a failed and a successful sign-in, a role change, a bulk urge of two tickets, an escalation,
    and a single urge (not audited: an ordinary action)."""
    store_with_users(tmp_path, clock)
    clock.advance(days=1)
    op = signed_in(tmp_path, clock, "wangfang")
    numbers = []
    for i in range(3):
        n = op.register(new_request(description=f"第{i}件"))
        op.act(n, "dispatch", {"lead": TAIDONG})
        numbers.append(n)
    clock.advance(days=20)
    with pytest.raises(Exception):
        make_desk(tmp_path, clock=clock).sign_in("\x1b[31mzhaolei", "nope-nope-nope")
    sup = signed_in(tmp_path, clock, "zhaolei")
    sup.bulk_act(numbers[:2], "urge", {"note": "请加快"})
    sup.act(numbers[2], "urge", {"note": "单件催办"})
    sup.act(numbers[2], "escalate", {"target": "media", "note": "长期推诿"})
    admin = signed_in(tmp_path, clock, "admin")
    admin.set_role("wangfang", "supervisor")
    return {"numbers": numbers}


def test_the_audit_lists_what_it_should_in_order(tmp_path, clock, history):
    rows = signed_in(tmp_path, clock, "zhaolei").audit()
    kinds = [r["kind"] for r in rows]
    assert kinds[:5] == ["user_add", "sign_in", "user_add", "user_add", "user_add"]  # the first admin, then as that admin
    assert kinds.count("sign_in_failed") == 1 and kinds.count("bulk") == 1 and kinds.count("escalate") == 1
    assert "urge" not in kinds  # the single urge is in its ticket's timeline, not the audit
    bulk = next(r for r in rows if r["kind"] == "bulk")
    assert bulk["actor"] == "zhaolei" and bulk["subject"] == "2 tickets"
    assert bulk["detail"]["action"] == "urge" and bulk["detail"]["count"] == 2
    escalate = next(r for r in rows if r["kind"] == "escalate")
    assert escalate["subject"] == history["numbers"][2] and escalate["detail"]["target"] == "media"
    role = next(r for r in rows if r["kind"] == "user_role")
    assert (role["actor"], role["subject"], role["detail"]["role"], role["detail"]["was"]) == ("admin", "wangfang", "supervisor", "operator")
    assert all("password_hash" not in r["detail"] for r in rows)
    assert [r["at_ms"] for r in rows] == sorted(r["at_ms"] for r in rows)


def test_since_and_user_narrow_it(tmp_path, clock, history):
    sup = signed_in(tmp_path, clock, "zhaolei")
    late = sup.audit(since="2026-11-20")
    assert "user_add" not in {r["kind"] for r in late} and "bulk" in {r["kind"] for r in late}
    mine = sup.audit(user="wangfang")
    assert {r["kind"] for r in mine} >= {"user_add", "sign_in", "user_role"}
    assert all(r["actor"] == "wangfang" or r["subject"] == "wangfang" for r in mine)
    assert sup.audit(since="2030-01-01") == []


@pytest.mark.parametrize("since", ["yesterday", "\x1b[2J", "2026-13-01", ""])
def test_a_bad_since_is_refused(tmp_path, clock, history, since):
    with pytest.raises(InputError, match="is not a date"):
        signed_in(tmp_path, clock, "admin").audit(since=since)


def test_unknown_kinds_on_audit_streams_are_listed_generically(tmp_path, clock, history):
    sup = signed_in(tmp_path, clock, "zhaolei")
    with sup.store.write() as w:
        audit_core.record(w, "reveal", {"ticket": history["numbers"][0], "reason": "回访核实", "field": "caller_phone"},
                          now_ms=clock(), desk="A07", actor="zhaolei")
        w.record_stream("~shift/s1", "shift_start", {"name": "chenmin", "unit": "370203"}, desk="A07", actor="chenmin")
    rows = sup.audit()
    reveal = next(r for r in rows if r["kind"] == "reveal")
    assert reveal["detail"]["reason"] == "回访核实" and reveal["actor"] == "zhaolei"
    assert any(r["kind"] == "shift_start" and r["actor"] == "chenmin" for r in rows)


def test_only_supervisors_and_admins_read_the_audit(tmp_path, clock, history, monkeypatch, capsys):
    cadre = signed_in(tmp_path, clock, "chenmin")
    with pytest.raises(DomainError, match="a cadre may not audit"):
        cadre.audit()
    code, out, err = run_cli(monkeypatch, capsys, "--user", "chenmin", "audit", password=PASSWORDS["chenmin"])
    assert code == 3 and err.strip() == "hotline: a cadre may not audit (查看审计记录): supervisor or admin only"
    operator = make_desk(tmp_path, clock=clock, role="operator", role_from="config")  # wangfang at an operator's desk
    operator.sign_in("wangfang", PASSWORDS["wangfang"])
    with pytest.raises(DomainError, match="an operator may not audit"):
        operator.audit()
    assert signed_in(tmp_path, clock, "wangfang").audit()  # a supervisor since the role change


def test_the_command_prints_escapes_spelled_out(tmp_path, clock, history, monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, "--user", "admin", "audit", password=PASSWORDS["admin"])
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b[31mzhaolei" in out
    assert "sign_in_failed" in out and "reason=wrong password" not in out  # the name was unknown
    assert "reason=unknown user" in out
    code, out, err = run_cli(monkeypatch, capsys, "--user", "admin", "audit", "--json", "--user", "admin",
                             password=PASSWORDS["admin"])
    rows = json.loads(out)
    assert rows and all(r["actor"] == "admin" or r["subject"] == "admin" for r in rows)
    code, out, err = run_cli(monkeypatch, capsys, "--user", "admin", "audit", "--user", " ", password=PASSWORDS["admin"])
    assert code == 2 and "--user needs a user name" in err


def test_the_audit_reads_supervision_events_by_their_index(tmp_path, clock, history):
    from sqlalchemy import text

    desk = signed_in(tmp_path, clock, "admin")
    with desk.store.read() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM event WHERE kind IN ('escalate', 'urge', 'supervise', 'list') AND hlc >= 0")))
    assert "ix_event_supervision" in plan
    assert event_count(desk) > 0
