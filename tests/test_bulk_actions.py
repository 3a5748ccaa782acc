"""One action on many tickets: the plan says how many it touches and why others are left out, all of its events
commit together or none do, roles that may not act are refused exactly as for one ticket, and the command line
asks before acting on several (--yes to skip) and acts on a filter's matches.

Bad input tried: no numbers, a malformed number, a number that does not exist among good ones, the same number
twice, an action that does not exist, an action the role may not take (operator: list, escalate; cadre: urge),
a missing reason, a ticket whose state refuses the action, a filter that cannot be read, a filter matching none,
several tickets without --yes off a terminal, and a ticket that changes between the plan and the act."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hotline_tui.errors import DomainError, InputError, NotFound
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, event_count, make_desk, new_request

DISPATCH = {"mode": "dispatch", "lead": TAIDONG}


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 2, 9, 0))


@pytest.fixture
def sup(tmp_path, clock):
    return make_desk(tmp_path, role="supervisor", operator="赵强", clock=clock)


def tickets(desk, n: int) -> list[str]:
    return [desk.register(new_request(handling=DISPATCH)) for _ in range(n)]


def test_the_plan_counts_what_it_touches_and_groups_the_rest_by_reason(sup):
    numbers = tickets(sup, 4)
    sup.act(numbers[0], "merge", {"into": numbers[1]})
    answered = sup.register(new_request(handling={"mode": "answer", "answer": "已答复"}))
    plan = sup.bulk_plan(numbers + [answered], "urge")
    assert plan["allowed"] == numbers[1:]
    assert sum(len(v) for v in plan["refused"].values()) == 2
    assert any("merged into" in why for why in plan["refused"])
    assert any("closed" in why for why in plan["refused"])


def test_all_the_events_commit_together(sup):
    numbers = tickets(sup, 3)
    before = event_count(sup)
    result = sup.bulk_act(numbers, "list", {"note": "挂牌督办: 长期未解决"})
    assert result == {"action": "list", "tickets": 3, "events": 3}
    assert event_count(sup) == before + 3
    assert all("listed" in sup.store.ticket(n).flags for n in numbers)


def test_one_refusal_writes_nothing_at_all(sup):
    numbers = tickets(sup, 3)
    sup.act(numbers[2], "merge", {"into": numbers[0]})  # changed after the plan was shown
    before = event_count(sup)
    with pytest.raises(DomainError, match=f"{numbers[2]}.*nothing was written"):
        sup.bulk_act(numbers, "supervise", {"note": "督办"})
    assert event_count(sup) == before
    assert not any("supervised" in sup.store.ticket(n).flags for n in numbers)
    with pytest.raises(NotFound, match="nothing was written"):
        sup.bulk_act([numbers[0], "QD-A07-20261102-9999"], "supervise", {"note": "督办"})
    assert event_count(sup) == before


@pytest.mark.parametrize("role, action, fields", [
    ("operator", "list", {"note": "挂牌"}),
    ("operator", "escalate", {"target": "media", "note": "推诿"}),
    ("operator", "supervise", {"note": "督办"}),
    ("cadre", "urge", {"note": "催办"}),
])
def test_roles_that_may_not_are_refused_as_for_one_ticket(tmp_path, clock, role, action, fields):
    sup = make_desk(tmp_path, role="supervisor", clock=clock)
    numbers = tickets(sup, 2)
    other = make_desk(tmp_path, role=role, clock=clock, unit=TAIDONG)
    before = event_count(other)
    with pytest.raises(DomainError) as bulk:
        other.bulk_act(numbers, action, fields)
    with pytest.raises(DomainError) as one:
        other.act(numbers[0], action, fields)
    assert str(bulk.value) == str(one.value)  # the same words the desk says for one ticket
    with pytest.raises(DomainError):
        other.bulk_plan(numbers, action)
    assert event_count(other) == before


def test_bad_lists_and_fields_are_refused_and_write_nothing(sup):
    numbers = tickets(sup, 2)
    before = event_count(sup)
    for bad, error in (([], InputError), (["not-a-number"], InputError), (numbers + ["QD-A07"], InputError)):
        with pytest.raises(error):
            sup.bulk_act(bad, "urge", {"note": "x"})
    with pytest.raises(InputError, match="needs --note"):
        sup.bulk_act(numbers, "urge", {})
    with pytest.raises(InputError, match="unknown action"):
        sup.bulk_act(numbers, "explode", {})
    assert event_count(sup) == before
    assert sup.bulk_act([numbers[0], numbers[0].lower()], "urge", {"note": "x"})["tickets"] == 1  # once each


def hotline(tmp_path, *args, stdin: str = "", role: str = "supervisor"):
    env = {"HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOTLINE_ROLE": role, "HOTLINE_DESK": "A07", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_command_line_asks_before_several_and_acts_on_a_filter(tmp_path, sup):
    numbers = tickets(sup, 3)
    sup.act(numbers[2], "reassign", {"lead": SHINAN, "reason": "属市南区"})
    sup.store.close()
    r = hotline(tmp_path, "ticket", "act", *numbers[:2], "urge", "--note", "请加快")
    assert r.returncode != 0 and "add --yes" in r.stderr and "nothing was written" in r.stderr
    r = hotline(tmp_path, "ticket", "act", "--filter", "unit:台东街道", "supervise", "--note", "督办", "--yes")
    assert r.returncode == 0, r.stderr
    assert "supervise: 2 tickets, 2 events recorded" in r.stdout
    shown = json.loads(hotline(tmp_path, "query", "flag:supervised", "--json").stdout)
    assert {t["number"] for t in shown["tickets"]} == set(numbers[:2])
    r = hotline(tmp_path, "ticket", "act", "--filter", "unit:台东街道 (", "urge", "--note", "x", "--yes")
    assert r.returncode == 2 and "never closed" in r.stderr
    r = hotline(tmp_path, "ticket", "act", "--filter", "listed", "urge", "--note", "x", "--yes")
    assert r.returncode == 2 and "matches no ticket" in r.stderr
    r = hotline(tmp_path, "ticket", "act", *numbers, "list", "--note", "挂牌", "--yes", role="operator")
    assert r.returncode == 3 and "may not list" in r.stderr
