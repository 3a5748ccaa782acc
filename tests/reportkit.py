"""A month small enough to work out by hand (October 2026), built through the real desk, and the monthly figures
worked out again from its own events, independently of reports/ (tests/test_report_*.py)."""

from __future__ import annotations

from collections import defaultdict

from hotline_tui.config import Settings
from hotline_tui.services import Desk
from tests.deskkit import Clock, china_ms, new_request

TAIDONG, ZHUHAILU, CGJ = "370203021", "370202014", "D-CGJ"
TOP = {TAIDONG: "370203", ZHUHAILU: "370202", CGJ: CGJ}  # the row each lead unit counts for (市北区, 市南区, 城管局)
CANARY = "13912345678"  # a caller's number that must appear in no report
OCT = (china_ms(2026, 10, 1), china_ms(2026, 11, 1))


def desk_at(folder, clock, *, role="supervisor", desk="A07", store="store.sqlite", hub=None, operator="李督办") -> Desk:
    settings = Settings(store_path=folder / store, config_file=folder / "config.toml", config_exists=False,
                        desk=desk, operator=operator, role=role, hub=hub)
    return Desk(settings, clock_ms=clock)


def _new(d: Desk, lead: str | None, **over) -> str:
    data = new_request(**over)
    if lead:
        data["handling"] = {"mode": "dispatch", "lead": lead}
    return d.register(data)


def build_october(folder, hub=None) -> tuple[Desk, Clock, dict[str, str]]:
    """The fixture: one request registered in September and due in October, eight in October; returns the desk
    (on 10 November 2026), its clock and the numbers by name."""
    clock = Clock(china_ms(2026, 9, 21, 9, 0))
    d = desk_at(folder, clock, hub=hub)
    n: dict[str, str] = {}
    n["sep"] = _new(d, TAIDONG)  # registered in September; its deadline falls in October
    clock.advance(hours=1)
    d.act(n["sep"], "claim", {})
    clock.ms = china_ms(2026, 10, 9, 9, 0)
    n["a"] = _new(d, TAIDONG, caller_phone=CANARY, description=f"请回电{CANARY}, 烧烤摊占道经营")
    n["b"] = _new(d, TAIDONG, nature="help")
    n["c"] = _new(d, ZHUHAILU)
    n["d"] = _new(d, CGJ, channel="mailbox")
    n["e"] = d.register(new_request(nature="consultation", handling={"mode": "answer", "answer": "已当场答复"}))
    n["f"] = _new(d, TAIDONG, channel="message_board")
    n["g"] = _new(d, ZHUHAILU, channel="petition")
    n["h"] = _new(d, TAIDONG, channel="petition", nature="report")
    clock.advance(minutes=20)
    d.act(n["a"], "claim", {})
    d.act(n["c"], "return", {"reason": "not_our_area", "detail": "属市北区"})
    d.act(n["f"], "reassign", {"lead": CGJ, "reason": "城管职责"})
    d.act(n["g"], "list", {"note": "群众反映强烈"})
    d.act(n["g"], "escalate", {"target": "media", "note": "长期推诿"})
    clock.advance(hours=1)
    d.act(n["c"], "return_accept", {"lead": TAIDONG})
    d.act(n["c"], "claim", {})
    d.act(n["f"], "claim", {})
    d.act(n["g"], "claim", {})
    d.act(n["h"], "return", {"reason": "ownership_unclear"})
    d.act(n["h"], "return_reject", {"reason": "属地明确"})
    d.act(n["a"], "reply", {"handling": "已清理", "answer": "已处理", "resolved": True})
    d.act(n["a"], "reply_approve", {})
    d.act(n["a"], "callback", {"satisfaction": "satisfied", "resolved": True})
    d.act(n["a"], "close", {})
    clock.advance(days=4)
    d.act(n["b"], "claim", {})  # days after its claim deadline
    d.act(n["sep"], "reply", {"handling": "已办", "answer": "已办", "resolved": True})
    d.act(n["sep"], "reply_approve", {})
    d.act(n["sep"], "callback", {"satisfaction": "unsatisfied", "resolved": False})
    d.act(n["c"], "reply", {"handling": "已办", "answer": "已办", "resolved": True})
    d.act(n["c"], "reply_approve", {})
    d.act(n["c"], "callback", {"satisfaction": "basically_satisfied", "resolved": True})
    d.act(n["c"], "close", {})
    clock.ms = china_ms(2026, 11, 10, 9, 0)
    return d, clock, n


def expected(d: Desk, numbers, start_ms: int, end_ms: int) -> dict[str, dict[str, int]]:
    """Counts per row (district or unit code) and for the city ("*"), worked out from each request's events."""
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for number in numbers:
        events = d.store.events_of(number)
        ms = [e.hlc >> 16 for e in events]
        registered = ms[0]
        holder = claim_due = due = None
        claimed_at = replied_at = closed_at = None
        satisfaction = ""
        returners: list[str] = []
        for e, at in zip(events, ms):
            p = e.payload
            if e.kind in ("dispatch", "reassign", "return_accept") and p.get("lead"):
                holder, claim_due, due, claimed_at = p["lead"], p.get("claim_due_ms"), p.get("due_ms"), None
            elif e.kind == "reopen":  # back to the unit with a fresh deadline: answered again or not at all
                claim_due, due = p.get("claim_due_ms"), p.get("due_ms")
                claimed_at = replied_at = closed_at = None
                satisfaction = ""
                holder = p.get("lead") or holder
            elif e.kind == "reply_reject":
                replied_at = None
            elif e.kind == "claim":
                claimed_at = at
            elif e.kind == "return" and holder not in returners:
                returners.append(holder)
            elif e.kind == "reply":
                replied_at = at
            elif e.kind == "close":
                closed_at = at
            elif e.kind == "callback":
                satisfaction = p["satisfaction"]
        top = TOP.get(holder)
        if start_ms <= registered < end_ms:
            rows["*"]["registered"] += 1
            if holder:
                for key in (top, "*"):
                    rows[key]["dispatched"] += 1
                    rows[key]["claimed"] += claimed_at is not None
                    rows[key]["claimed_in_time"] += claimed_at is not None and claimed_at <= claim_due
            for r in returners:
                rows[TOP[r]]["returned"] += 1
                if TOP[r] != top:
                    rows[TOP[r]]["dispatched"] += 1  # dispatched to it and returned
        if holder and due is not None and start_ms <= due < end_ms:
            for key in (top, "*"):
                rows[key]["due"] += 1
                rows[key]["replied"] += replied_at is not None and replied_at < end_ms
                rows[key]["replied_in_time"] += replied_at is not None and replied_at <= due
                rows[key]["closed"] += closed_at is not None and closed_at < end_ms
                rows[key]["overdue"] += not (replied_at is not None and replied_at <= due)
                rows[key]["callbacks"] += bool(satisfaction)
                rows[key]["satisfied"] += satisfaction in ("satisfied", "basically_satisfied")
    return rows
