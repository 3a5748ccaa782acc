"""The fold gives the same state for any delivery order of the same event set, including events two
desks made concurrently from the same starting state (their conflicts are resolved the same way)."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.domain.actions import Context, decide
from hotline_tui.domain.clock import HybridClock, hlc_ms, make_hlc, uuid7
from hotline_tui.domain.events import Event
from hotline_tui.domain.fold import apply, fold
from hotline_tui.domain.policy import load_policy
from hotline_tui.domain.ticket import Ticket
from hotline_tui.errors import HotlineError
from tests.deskkit import ACTION_SAMPLES, SHINAN, TAIDONG, china_ms

POLICY = load_policy()
START = china_ms(2026, 11, 2, 9)
SAMPLE_FIELDS = ACTION_SAMPLES
actions = st.lists(st.sampled_from(sorted(SAMPLE_FIELDS)), max_size=25)


def register_event(desk_clock: HybridClock) -> Event:
    hlc = desk_clock.now()
    payload = {"caller_phone": "13805321234", "nature": "complaint", "description": "噪音", "channel": "hotline", "category": []}
    return Event(uuid7(hlc_ms(hlc)), "T1", hlc, "A01", "op", "register", payload)


def play(ticket: Ticket, names: list[str], desk: str, clock: HybridClock) -> list[Event]:
    """Let one desk try each action in turn; the ones its rules allow become events."""
    out = []
    for name in names:
        ctx = Context(now_ms=hlc_ms(clock.now()), policy=POLICY, role="supervisor")
        try:
            decision = decide(ticket, name, SAMPLE_FIELDS[name], ctx)
        except HotlineError:
            continue
        for number, kind, payload in decision.events:
            hlc = clock.now()
            e = Event(uuid7(hlc_ms(hlc)), number, hlc, desk, desk, kind, payload)
            apply(ticket, e)
            out.append(e)
    return out


def wall(start: int, step: int):
    state = {"ms": start}

    def now() -> int:
        state["ms"] += step
        return state["ms"]

    return now


@given(prefix=actions, left=actions, right=actions, skew=st.integers(-5_000, 5_000), seed=st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_any_delivery_order_folds_to_the_same_state(prefix, left, right, skew, seed):
    a = HybridClock(wall=wall(START, 1000))
    base_events = [register_event(a)]
    base = fold("T1", base_events)
    base_events += play(base, prefix, "A01", a)
    # two desks start from the same state and act while apart
    b = HybridClock(last=a.last, wall=wall(START + len(prefix) * 1000 + skew, 700))
    left_events = play(copy.deepcopy(base), left, "A01", a)
    right_events = play(copy.deepcopy(base), right, "B02", b)
    everything = base_events + left_events + right_events

    reference = fold("T1", everything)
    shuffled = list(everything)
    seed.shuffle(shuffled)
    assert fold("T1", shuffled) == reference
    # incremental application in clock order (what a store does) equals the fold
    step = Ticket(number="T1")
    for e in sorted(shuffled, key=lambda e: e.order):
        apply(step, e)
    assert step == reference
    assert reference.event_count == len(everything)  # nothing dropped, conflicts included


def test_concurrent_dispatch_to_different_units_is_flagged_the_same_everywhere():
    a, b = HybridClock(wall=wall(START, 10)), HybridClock(wall=wall(START, 10))
    reg = register_event(a)
    e1 = Event(uuid7(), "T1", make_hlc(START + 100), "A01", "a", "dispatch", {"lead": TAIDONG, "assist": []})
    e2 = Event(uuid7(), "T1", make_hlc(START + 100, 1), "B02", "b", "dispatch", {"lead": SHINAN, "assist": []})
    one, two = fold("T1", [reg, e1, e2]), fold("T1", [e2, reg, e1])
    assert one == two
    assert one.lead_unit == TAIDONG and "conflict" in one.flags and one.conflicts == 1
    del b


def test_every_action_has_an_effect_or_is_timeline_only():
    """The fold finds each kind's effect in a table: a kind allowed but missing from it would be folded
    as a silent no-op. Only notes, progress reports and renumbers (timeline entries) have none."""
    from hotline_tui.domain.fold import ALLOWED, EFFECTS
    from hotline_tui.domain.vocabulary import ACTIONS

    assert set(ALLOWED) - set(EFFECTS) == {"note", "progress", "renumber"}
    assert set(EFFECTS) <= set(ALLOWED)
    assert set(ACTIONS) - {"register"} <= set(ALLOWED)
