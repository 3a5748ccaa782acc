"""Which units should take a request: the category's handler rule at the place's level, the dispatch
catalogue's duty keywords, and what the desk dispatched such requests to before, each with its reason.

"小事不出街道": a rule of "street" goes to the place's street, "d:XXX" to the place's district department,
and only without a place to the city department; among equal scores the lower level comes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.directory.model import LEVEL_RANK
from hotline_tui.routing.places import Where

RULE = 50.0  # the category's handler rule, times the category's share
LEARNED = 35.0  # the desk's earlier dispatches, times the unit's share of them, times the category's share
DUTY = 18.0  # a duty keyword of the dispatch catalogue (+1 per character, up to 6)
LOCAL_STREET, LOCAL_DISTRICT = 4.0, 2.0  # the place itself, when nothing better is known
MAX_REASONS = 3


@dataclass
class Candidate:
    code: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str) -> None:
        self.score += points
        if reason and reason not in self.reasons:
            self.reasons.append(reason)


def resolve_handler(rule: str, where: Where, directory, district_departments: dict[str, str]) -> str | None:
    """The unit a category's rule names for this place (None when it names none that exists)."""
    if rule == "street":
        return where.street or where.district
    if rule.startswith("d:"):
        suffix = rule[2:]
        if where.district and directory.get(f"{where.district}-{suffix}") is not None:
            return f"{where.district}-{suffix}"
        code = district_departments.get(suffix)
        return code if code and directory.get(code) is not None else None
    return rule if directory.get(rule) is not None else None


def rank_units(directory, where: Where, categories: list[tuple], duty_hits: dict[str, list[str]], learned,
               district_departments: dict[str, str], limit: int) -> list[dict]:
    """``categories``: [(Category, share)] with shares summing to at most 1."""
    found: dict[str, Candidate] = {}

    def cand(code: str) -> Candidate:
        if code not in found:
            found[code] = Candidate(code)
        return found[code]

    for cat, share in categories:
        code = resolve_handler(cat.handler, where, directory, district_departments)
        if code is not None:
            cand(code).add(RULE * share, f"分类「{cat.path[2]}」")
        if learned is None:
            continue
        counts = learned.units(cat.label, where.district)
        total = sum(counts.values())
        for unit, n in counts.most_common(6):
            if not _fits(directory, unit, where):
                continue
            cand(unit).add(LEARNED * share * n / total, f"本台近{learned.days}天 {n} 次")
    for code, words in duty_hits.items():
        cand(code).add(DUTY + min(len(words[0]), 6), f"派单目录「{words[0]}」")
    if where.street:
        cand(where.street).add(LOCAL_STREET, "")
    if where.district:
        cand(where.district).add(LOCAL_DISTRICT, "")

    out = []
    for c in found.values():
        unit = directory.get(c.code)
        if unit is None:
            continue
        reasons = c.reasons[:MAX_REASONS]
        if _local(unit, where):
            reasons.append("属地" if reasons else ("属地街道" if unit.kind == "street" else "属地区（市）"))
        out.append((c, unit, " + ".join(reasons)))
    out.sort(key=lambda t: (-round(t[0].score, 1), LEVEL_RANK.get(t[1].level, 9), t[1].code))
    return [{"code": u.code, "name": u.name, "path": directory.path_text(u.code), "kind": u.kind,
             "level": u.level, "score": round(min(c.score, 100.0), 1), "reason": reason}
            for c, u, reason in out[:limit]]


def _local(unit, where: Where) -> bool:
    return bool((where.street and unit.code == where.street)
                or (where.district and (unit.code == where.district or unit.area == where.district)))


def _fits(directory, code: str, where: Where) -> bool:
    """A learned unit may be suggested here: a street only if it is the place's, a district's department only
    if it serves the place's district."""
    unit = directory.get(code)
    if unit is None:
        return False
    if unit.kind in ("street", "community"):
        return code == where.street
    if unit.kind == "district" or unit.area is not None:
        return where.district is not None and (unit.area or unit.code) == where.district
    return True
