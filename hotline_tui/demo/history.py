"""One ticket's life, and one chunk of days of them, made through the domain's rules.

Every step is ``domain.actions.decide`` on the ticket as folded so far, with a fake clock (``Context.now_ms``)
moved forward per step; its events are applied with ``domain.fold.apply``. A step the rules refuse raises,
so a generated history is always one the desk itself could have recorded. Nothing past ``until`` is
recorded: tickets near the end of the window are left open wherever they were.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import random
import uuid
from typing import Any
from dataclasses import dataclass, field

from hotline_tui.demo import taxonomy as tx
from hotline_tui.demo.people import CALLBACK_STAFF, SUPERVISORS, Callers, operators
from hotline_tui.demo.places import BUS, COMPANY, HOSPITALS, TIMES, Places, estate, shop
from hotline_tui.domain.actions import Context, Decision, decide
from hotline_tui.domain.calendar import CHINA, local_date
from hotline_tui.domain.clock import make_hlc
from hotline_tui.domain.events import Event, dump_payload
from hotline_tui.domain.fold import apply, fold
from hotline_tui.domain.intake import parse_intake
from hotline_tui.domain.ticket import Ticket
from hotline_tui.errors import DomainError, InputError
from hotline_tui.store.projection import ticket_row, unit_rows
from hotline_tui.store.search_index import documents

MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000
CHANNEL_WEIGHTS = {"hotline": 85, "message_board": 6, "mailbox": 4, "newspaper": 1.2, "radio_tv": 1.3, "petition": 2.5}
URGENCY_WEIGHTS = {"normal": 0.97, "urgent": 0.025, "emergency": 0.005}
HOUR_WEIGHTS = (1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 4, 8, 10, 10, 8, 5, 6, 9, 9, 8, 7, 5, 5, 4, 3, 2, 1.5)
# Calls that belong to an emergency line: (to, category, description, note), decided before the description.
TRANSFERS = (
    ("110", ("公安政法", "治安管理", "治安问题"), "来电人称{estate}小区{n}号楼楼道内有人打架斗殴，情绪激动，请求处置。", "属警情，已三方转接110处置"),
    ("120", ("卫生健康", "医疗服务", "急救"), "来电人称家中老人在{road}{n}号突发胸闷晕倒，请求急救。", "已转接120急救，并告知来电人保持电话畅通"),
    ("119", ("城乡建设", "燃气", "燃气问题"), "来电人称{estate}小区{n}号楼楼道内冒烟，有焦糊味。", "疑似火情，已转接119"),
    ("122", ("交通运输", "道路交通", "交通事故"), "来电人在{road}与{road2}路口发生两车剐蹭，对方不愿协商。", "属交通事故，已转接122"),
)


class Stop(Exception):
    """The next step would be after the demo's end: leave the ticket where it is."""


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    r = rng.random() * sum(table.values())
    for key, w in table.items():
        r -= w
        if r < 0:
            return key
    return key


@dataclass
class World:
    """What every chunk needs: the directory's codes and places, the policy, callers, desks. Built once per process."""

    seed: int
    city: str
    desks: tuple[str, ...]
    expected: int
    places: Places
    names: dict[str, str]
    policy: object
    callers: Callers = field(init=False)
    staff: dict[str, tuple[str, ...]] = field(init=False)
    sealer: Any = None  # privacy.seal.Sealer: every caller is sealed as the desk seals it

    def __post_init__(self) -> None:
        self.callers = Callers(self.seed, self.expected)
        self.staff = {d: operators(d, self.seed) for d in self.desks}
        self._cats_by_month: dict[int, tuple[list[tx.Category], list[float]]] = {}

    @classmethod
    def build(cls, seed: int, city: str, desks: tuple[str, ...], expected: int, directory, policy, sealer=None) -> World:
        """``sealer``: the desk's (privacy.seal.Sealer). Without one (tests, benchmarks), callers are sealed under
        a key made from the seed, so the same seed gives the same data: fit for made-up callers only."""
        if sealer is None:
            from hotline_tui.privacy.seal import Sealer

            sealer = Sealer(hashlib.sha256(f"hotline demo key|{seed}".encode()).digest())
        world = cls(seed, city, desks, expected, Places(directory), {u.code: u.name for u in directory}, policy)
        world.sealer = sealer
        return world

    def unit_exists(self, code: str) -> bool:
        return code in self.names

    def categories(self, month: int) -> tuple[list[tx.Category], list[float]]:
        hit = self._cats_by_month.get(month)
        if hit is None:
            cats = [c for c in tx.CATEGORIES if not c.season or month in tx.SEASON_MONTHS[c.season]]
            hit = (cats, list(itertools.accumulate(c.weight for c in cats)))
            self._cats_by_month[month] = hit
        return hit

    def pick_category(self, rng: random.Random, month: int) -> tx.Category:
        cats, cum = self.categories(month)
        return cats[bisect.bisect(cum, rng.random() * cum[-1])]

    def handler(self, spec: str, place) -> str:
        if spec == "street":
            return place.street_code
        code = f"{place.district_code}-{spec[2:]}" if spec.startswith("d:") else spec
        return code if code in self.names else place.street_code

    def id_base(self, number: str) -> int:
        """74 bits from (seed, ticket number): the same seed gives the same ids, and numbers are unique in a
        store, so appended demo data never reuses an id."""
        return int.from_bytes(hashlib.blake2b(f"{self.seed}|{number}".encode(), digest_size=10).digest(), "big") >> 6

    @staticmethod
    def event_id(base: int, k: int, ms: int) -> str:
        """A UUIDv7 for the ``k``-th event recorded by a ticket's life (``base`` from ``id_base``)."""
        rand = (base + k * 0x9E3779B97F4A7C15) & ((1 << 74) - 1)
        value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | ((rand >> 68) & 0xFFF) << 64 | 0x2 << 62 | (rand & ((1 << 62) - 1))
        return str(uuid.UUID(int=value))


class Life:
    """One ticket being lived through: ``act`` asks the domain, records the events on the fake clock."""

    def __init__(self, world: World, rng: random.Random, number: str, desk: str, until: int, lookup) -> None:
        self.w, self.rng, self.number, self.desk, self.until = world, rng, number, desk, until
        self.t = Ticket(number=number)
        self.id_base = world.id_base(number)
        self.events: list[Event] = []
        self.side: list[Event] = []  # events this ticket's actions made on other tickets (merged_in)
        self.ms = 0
        self.k = 0
        self.lookup = lookup
        self.refused = False

    def office(self, ms: int) -> int:
        """Move a unit's action into office hours on a working day."""
        d = dt.datetime.fromtimestamp(ms / 1000, CHINA)
        if 8 <= d.hour < 18 and self.w.policy.calendar.is_workday(d.date())[0]:
            return ms
        day = d.date() + dt.timedelta(days=1) if d.hour >= 18 else d.date()
        while not self.w.policy.calendar.is_workday(day)[0]:
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(8, 30), CHINA)
        return int(start.timestamp() * 1000) + self.rng.randrange(0, 150) * MINUTE

    def act(self, action: str, fields: dict, actor: str, at: int, role: str = "operator") -> None:
        at = max(at, self.ms + MINUTE)
        if at > self.until:
            raise Stop
        ctx = Context(now_ms=at, policy=self.w.policy, role=role, unit_exists=self.w.unit_exists, get_ticket=self.lookup)
        self.record(decide(self.t, action, fields, ctx), actor, at)

    def record(self, decision: Decision, actor: str, at: int) -> None:
        for i, (number, kind, payload) in enumerate(decision.events):
            e = Event(id=self.w.event_id(self.id_base, self.k, at), ticket=number, hlc=make_hlc(at, i),
                      desk=self.desk, actor=actor, kind=kind, payload=payload)
            self.k += 1
            if number == self.number:
                apply(self.t, e)
                self.events.append(e)
            else:
                self.side.append(e)
        self.ms = at


def _texts(rng: random.Random, place) -> dict[str, object]:
    from hotline_tui.demo.places import ROADS

    roads = ROADS.get(place.district_code, ("人民路",))
    return {
        "road": rng.choice(roads), "road2": rng.choice(roads), "n": rng.randrange(1, 300), "n2": rng.randrange(2, 12),
        "estate": estate(rng), "community": place.community, "street": place.street, "district": place.district,
        "time": rng.choice(TIMES), "money": rng.choice((300, 800, 1500, 2600, 4800, 6000, 12000, 35000, 86000)),
        "bus": rng.choice(BUS), "shop": shop(rng), "company": rng.choice(COMPANY), "days": rng.randrange(2, 20),
        "months": rng.randrange(2, 9), "hospital": rng.choice(HOSPITALS), "unit": rng.randrange(1, 5),
        "floor": rng.randrange(1, 19), "temp": rng.randrange(12, 17), "hours": rng.randrange(2, 9),
        "plate": f"{rng.choice('ABCDTUQ')}{rng.randrange(10000, 99999)}",
    }


@dataclass
class Plan:
    wrong_first: bool = False
    late: bool = False
    stuck: bool = False
    extend: bool = False
    progress: bool = False
    add_call: bool = False
    reply_reject: bool = False
    unresolved: bool = False
    dispute: bool = False
    no_callback: bool = False
    late_claim: bool = False
    bounce: bool = False  # the right unit returns it too, before the centre insists (退单两次以上, 推诿)

    @classmethod
    def roll(cls, rng: random.Random, round_no: int) -> Plan:
        r = rng.random
        scale = 1.0 if round_no == 0 else 0.3
        return cls(wrong_first=r() < 0.08 * scale, late=r() < 0.10 * scale, stuck=r() < 0.004, extend=r() < 0.06 * scale,
                   progress=r() < 0.35, add_call=r() < 0.07 * scale, reply_reject=r() < 0.04, unresolved=r() < 0.12,
                   dispute=r() < 0.05 * scale, no_callback=r() < 0.03, late_claim=r() < 0.05, bounce=r() < 0.15)


def live_ticket(w: World, rng: random.Random, number: str, desk: str, reg_ms: int, until: int,
                recent: list, lookup) -> Life:
    """Register a request and take it as far as its plan and ``until`` allow."""
    life = Life(w, rng, number, desk, until, lookup)
    local = dt.datetime.fromtimestamp(reg_ms / 1000, CHINA)
    cat = w.pick_category(rng, local.month)
    place = w.places.pick(rng)
    channel = _weighted(rng, CHANNEL_W)
    merge_into = None
    if recent and rng.random() < 0.025:  # the same matter again: registered, then merged into the open one
        candidates = [x for x in recent[-60:] if x.t.state not in ("merged", "transferred") and x.t.mode == "dispatch"
                      and (x.t.closed_ms is None or x.t.closed_ms > reg_ms + 30 * MINUTE)]
        same = [x for x in candidates if x.t.category == list(cat.path)] or candidates
        if same:
            merge_into = rng.choice(same)
            place = w.places.by_place(merge_into.t.place) or place
            cat = next((c for c in tx.CATEGORIES if list(c.path) == merge_into.t.category), cat)
    nature = _weighted(rng, cat.natures)
    values = _texts(rng, place)
    description = rng.choice(cat.templates).format_map(values)
    path = list(cat.path)
    transfer = None
    if channel == "hotline" and merge_into is None and rng.random() < 0.02:
        transfer = rng.choice(TRANSFERS)
        path, description, nature = list(transfer[1]), transfer[2].format_map(values), "help"
    phone, name = w.callers.pick(rng)
    anonymous = rng.random() < 0.02
    urgency = "urgent" if rng.random() < cat.urgent else _weighted(rng, URGENCY_WEIGHTS)
    data = {
        "caller_phone": "" if anonymous else phone, "caller_name": "" if anonymous else name, "anonymous": anonymous,
        "confidential": rng.random() < 0.03, "channel": channel, "nature": nature, "category": path,
        "place": place.code, "address": f"{place.district}{place.street}{values['road']}{values['n']}号",
        "description": description, "urgency": urgency,
    }
    draft = parse_intake(data)
    op = rng.choice(w.staff[desk])
    life.record(Decision([(number, "register", w.sealer.seal_caller(draft.register, number))]), op, reg_ms)
    try:
        if transfer is not None:
            life.act("transfer", {"to": transfer[0], "note": transfer[3]}, op, life.ms + rng.randrange(1, 4) * MINUTE)
        else:
            _handle(life, w, rng, cat, place, channel, nature, op, merge_into)
    except Stop:
        pass
    except (DomainError, InputError):  # a step the rules refuse: a generator bug, counted (tests expect none)
        life.refused = True
    return life


CHANNEL_W = CHANNEL_WEIGHTS


def _handle(life: Life, w: World, rng: random.Random, cat, place, channel: str, nature: str, op: str, merge_into) -> None:
    t, r = life.t, rng.random
    if merge_into is not None:
        life.act("merge", {"into": merge_into.number}, op, life.ms + rng.randrange(3, 20) * MINUTE)
        return
    if channel == "hotline":
        if cat.answer and nature == "consultation" and r() < 0.75:
            life.act("answer", {"answer": cat.answer}, op, life.ms + rng.randrange(2, 9) * MINUTE)
            if r() < 0.03:
                life.act("add_call", {"text": "来电人再次咨询同一问题"}, op, life.ms + rng.randrange(1, 20) * DAY)
            return
    lead = w.handler(cat.handler, place)
    wrong = w.handler(cat.wrong, place)
    if wrong == lead:
        wrong = place.street_code if lead != place.street_code else f"{place.district_code}-CGJ"
    plan = Plan.roll(rng, 0)
    first = wrong if plan.wrong_first and w.unit_exists(wrong) else lead
    fields = {"lead": first}
    if r() < 0.06 and first != place.street_code:
        fields["assist"] = [place.street_code]
    delay = rng.randrange(2, 15) * MINUTE if channel == "hotline" else life.office(life.ms + rng.randrange(1, 20) * HOUR) - life.ms
    life.act("dispatch", fields, op, life.ms + delay)
    rounds, steps, returned = 0, 0, False
    reply_at: int | None = None
    while steps < 60 and not t.is_final:
        steps += 1
        unit = w.names.get(t.lead_unit or "", t.lead_unit or "承办单位")
        s = t.state
        if s == "dispatched":
            reply_at = None
            if plan.wrong_first and plan.bounce and returned and t.return_count < 2 and t.lead_unit == lead:
                reason = "ownership_unclear"  # the right unit pushes it back too; the centre will insist
                detail = rng.choice(tx.RETURN_DETAILS[reason]).format(right="其他单位")
                life.act("return", {"reason": reason, "detail": detail}, unit, life.office(life.ms + rng.randrange(60, 600) * MINUTE))
                continue
            if plan.wrong_first and not returned and t.lead_unit != lead:
                returned = True
                reason = rng.choice(("not_our_duty", "not_our_duty", "not_our_area", "ownership_unclear"))
                detail = rng.choice(tx.RETURN_DETAILS[reason]).format(right=w.names.get(lead, "相关单位"))
                life.act("return", {"reason": reason, "detail": detail}, unit, life.office(life.ms + rng.randrange(20, 240) * MINUTE))
                continue
            at = life.ms + rng.randrange(10, 300) * MINUTE
            if plan.late_claim and t.claim_due_ms:
                at = t.claim_due_ms + rng.randrange(1, 30) * HOUR
            life.act("claim", {}, unit, life.office(at))
        elif s == "return_review":
            at = life.office(life.ms + rng.randrange(30, 300) * MINUTE)
            if t.lead_unit != lead and r() < 0.85:
                life.act("return_accept", {"lead": lead, "note": f"退单理由成立，改派{w.names.get(lead, lead)}"}, op, at)
            else:
                life.act("return_reject", {"reason": "经核实属于贵单位职责范围，请继续办理"}, op, at)
        elif s == "claimed":
            due = t.due_ms or life.ms + 3 * DAY
            if reply_at is None:
                if plan.stuck:
                    reply_at = due + rng.randrange(60, 400) * DAY
                elif plan.late:
                    reply_at = due + rng.randrange(1, 12) * DAY
                else:
                    reply_at = max(life.ms + HOUR, due - int((due - life.ms) * rng.uniform(0.05, 0.9)))
            ask = life.office(life.ms + rng.randrange(1, max(2, (due - life.ms) // HOUR // 2)) * HOUR)
            if plan.extend and not t.extension_count and t.extension_pending is None and ask + HOUR < due:
                plan.extend = False
                life.act("extend", {"reason": rng.choice(tx.EXTEND_REASONS), "days": rng.randrange(3, 11)}, unit, ask)
                at = life.office(life.ms + rng.randrange(1, 5) * HOUR)
                if r() < 0.85:
                    life.act("extend_approve", {"note": "同意延期"}, op, at)
                    reply_at = max(reply_at, (t.due_ms or due) - rng.randrange(0, 3) * DAY)
                else:
                    life.act("extend_refuse", {"reason": "延期理由不充分，请按期办结"}, op, at)
                continue
            if plan.progress:
                plan.progress = False
                life.act("progress", {"text": rng.choice(tx.PROGRESS_TEXTS)}, unit, life.office(life.ms + (reply_at - life.ms) // 3))
                continue
            if plan.add_call:
                plan.add_call = t.call_count < 3 and (plan.late or plan.stuck) and r() < 0.5  # late: the caller calls again
                life.act("add_call", {"text": rng.choice(tx.ADD_CALL_TEXTS)}, op, life.ms + max(MINUTE, (reply_at - life.ms) // 2))
                continue
            if (plan.late or plan.stuck) and t.due_ms and not t.has("urged"):
                life.act("urge", {"note": "已超期，请抓紧办理"}, op, life.office(t.due_ms + rng.randrange(2, 30) * HOUR))
                boss = rng.choice(SUPERVISORS)
                if r() < 0.4 or plan.stuck:
                    life.act("supervise", {"note": "超期未办结，督办"}, boss, life.office(life.ms + rng.randrange(1, 48) * HOUR), "supervisor")
                    if r() < 0.25 or plan.stuck:
                        life.act("list", {"note": "挂牌督办，限期办结"}, boss, life.office(life.ms + rng.randrange(1, 5) * DAY), "supervisor")
                    if r() < 0.1:
                        life.act("escalate", {"target": rng.choice(("discipline", "media")), "note": "长期推诿不办"},
                                 boss, life.office(life.ms + rng.randrange(1, 5) * DAY), "supervisor")
                continue
            resolved = not plan.unresolved
            fix = rng.choice(cat.fixes)
            answer = rng.choice(tx.REPLY_ANSWERS).format(fix=fix) if resolved else rng.choice(tx.UNRESOLVED_ANSWERS)
            life.act("reply", {"handling": fix if resolved else answer, "answer": answer, "resolved": resolved}, unit, life.office(reply_at))
        elif s == "reply_review":
            at = life.office(life.ms + rng.randrange(20, 360) * MINUTE)
            if plan.reply_reject:
                plan.reply_reject = False
                life.act("reply_reject", {"reason": "答复内容过于简单，未说明具体办理结果"}, op, at)
                reply_at = life.ms + rng.randrange(4, 48) * HOUR
            else:
                life.act("reply_approve", {}, op, at)
        elif s == "awaiting_callback":
            at = life.office(life.ms + rng.randrange(2, 72) * HOUR)
            if plan.no_callback:
                life.act("close", {"note": "三次回访均未接通，按规定办结"}, op, at)
                continue
            says_solved = bool((t.reply or {}).get("resolved"))
            if says_solved and plan.dispute:
                plan.dispute = False
                sat, resolved, note = "unsatisfied", False, "来电人表示问题没有解决，与单位答复不一致"
            elif not says_solved:
                sat, resolved, note = _weighted(rng, {"unsatisfied": 5, "basically_satisfied": 4, "satisfied": 1}), False, "来电人对解释表示理解"
            else:
                sat = _weighted(rng, {"satisfied": 80, "basically_satisfied": 15, "unsatisfied": 5})
                resolved, note = True, ""
            fields = {"satisfaction": sat, "resolved": resolved}
            if note:
                fields["note"] = note
            life.act("callback", fields, rng.choice(CALLBACK_STAFF), at)
            if t.state == "dispatched":  # the domain reopened it (回访不一致, or a listed item unsatisfied)
                rounds += 1
                plan = Plan.roll(rng, rounds)
        elif s == "visited":
            at = life.ms + rng.randrange(10, 240) * MINUTE
            if (t.callback or {}).get("satisfaction") == "unsatisfied" and rounds < 2 and r() < 0.25:
                rounds += 1
                plan = Plan.roll(rng, rounds)
                life.act("reopen", {"reason": "诉求人对办理结果不满意，要求重新办理"}, op, at)
            else:
                life.act("close", {}, op, at)
        else:
            break


@dataclass
class ChunkResult:
    events: list[tuple]
    tickets: list[dict]
    units: list[dict]
    counters: dict[str, int]
    first_day: str
    last_day: str
    refused: int = 0
    docs: list[tuple[str, str]] = field(default_factory=list)  # the full-text index's (ticket, tokens)


def make_chunk(w: World, days: list[tuple[dt.date, int]], bases: dict[str, int], until: int) -> ChunkResult:
    """Tickets for consecutive days (day, count), numbered after ``bases`` ({counter name: value})."""
    rng = random.Random(f"{w.seed}|{days[0][0].isoformat()}")
    lives: dict[str, Life] = {}
    recent: list[Life] = []
    counters: dict[str, int] = {}

    def lookup(number: str):
        life = lives.get(number)
        return life.t if life else None

    for day, count in days:
        start = int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000)
        stamps = sorted(_stamp(rng, start) for _ in range(count))
        ymd = day.strftime("%Y%m%d")
        for ms in stamps:
            if ms > until:
                break
            desk = rng.choice(w.desks)
            name = f"{desk}-{ymd}"
            seq = counters.get(name, bases.get(name, 0)) + 1
            counters[name] = seq
            number = f"{w.city}-{desk}-{ymd}-{seq:04d}"
            life = live_ticket(w, rng, number, desk, ms, until, recent, lookup)
            lives[number] = life
            if life.t.mode == "dispatch":
                recent.append(life)
                if len(recent) > 200:
                    del recent[:100]
            for e in life.side:  # merged_in on the original: its events, then refold in (hlc, id) order
                target = lives[e.ticket]
                target.events.append(e)
                target.t = fold(target.number, target.events)
    events, tickets, units = [], [], []
    for life in lives.values():
        for e in life.events:
            events.append((e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, dump_payload(e.payload)))
        tickets.append(ticket_row(life.t))
        units.extend(unit_rows(life.t))
    refused = sum(life.refused for life in lives.values())
    docs = documents(e for life in lives.values() for e in life.events)
    return ChunkResult(events, tickets, units, counters, days[0][0].isoformat(), days[-1][0].isoformat(), refused, docs)


def _stamp(rng: random.Random, day_start: int) -> int:
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    return day_start + hour * HOUR + rng.randrange(HOUR)


def day_counts(n: int, first: dt.date, last: dt.date, rng: random.Random, calendar) -> list[tuple[dt.date, int]]:
    """Spread ``n`` tickets over the days: fewer at weekends and holidays, more in the heating season."""
    days, weights = [], []
    day = first
    while day <= last:
        w = 1.0 if calendar.is_workday(day)[0] else 0.6
        if day.month in (11, 12, 1, 2, 3):
            w *= 1.15
        elif day.month in (6, 7, 8):
            w *= 1.1
        days.append(day)
        weights.append(w)
        day += dt.timedelta(days=1)
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [int(x) for x in exact]
    rest = n - sum(counts)
    order = sorted(range(len(days)), key=lambda i: (counts[i] - exact[i], rng.random()))
    for i in order[:rest]:
        counts[i] += 1
    return list(zip(days, counts))


def today_of(ms: int) -> dt.date:
    return local_date(ms)
