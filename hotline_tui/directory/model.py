"""The directory's plain values: a unit (承办单位), its duty card, and one lookup match."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("city", "district", "street", "community", "department", "sub_unit", "section", "zone", "central",
         "enterprise", "organ")
LEVELS = ("city", "district", "street", "community")
# "小事不出街道": among equally good matches the lower level wins (smaller rank first). The street is the
# lowest level that takes dispatches, so it comes before a community of the same name (八大关街道 before
# 八大关社区); then districts, then the city.
LEVEL_RANK = {"street": 0, "community": 1, "district": 2, "city": 3}
LEVEL_TEXT = {"city": "市级", "district": "区（市）级", "street": "街道（镇）", "community": "社区（村）"}
KIND_TEXT = {
    "city": "市", "district": "区（市）", "street": "街道（镇）", "community": "社区（村）",
    "department": "部门", "sub_unit": "下属单位", "section": "处室", "zone": "功能区", "central": "驻青单位",
    "enterprise": "企业", "organ": "机关",
}
# Units that serve one district as a city unit's copy (市北区城市管理局, 市北区税务局): their short names and
# catalogue lines also belong to the city unit, which a bare 城管 or 税务局 names.
AREA_COPY_KINDS = ("department", "central")
CARD_FIELDS = ("duties", "workflow", "materials", "time_limit", "contact")
CARD_META = ("updated", "updated_by")  # when the card was last updated (YYYY-MM-DD) and by whom


@dataclass(frozen=True)
class DutyCard:
    """职责清单、工作流程、所需材料、办理时限、联系方式. Empty text means not known, never invented.
    ``updated`` / ``updated_by``: when the card was last updated and by whom."""

    duties: str = ""
    workflow: str = ""
    materials: str = ""
    time_limit: str = ""
    contact: str = ""
    updated: str = ""
    updated_by: str = ""

    def is_empty(self) -> bool:
        return not any((self.duties, self.workflow, self.materials, self.time_limit, self.contact))


@dataclass(frozen=True)
class Unit:
    """One unit a request can be routed to."""

    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    full_name: str = ""
    short_names: tuple[str, ...] = ()
    old_names: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()  # dispatch-catalogue keywords (派单目录)
    area: str | None = None  # the district it serves, when it serves one
    card: DutyCard = field(default_factory=DutyCard)

    @property
    def is_section(self) -> bool:
        """A section (处室) of a department: found and shown, but dispatch goes to its department."""
        return self.kind == "section"


@dataclass(frozen=True)
class Match:
    """One lookup result; ``reason`` says why it matched (拼音, 简称, 职责「占道经营」 …).

    ``good``: whether the match is good enough to be taken as the answer (directory.GOOD_SCORE); a lookup
    whose first match is not good found nothing that matches well. ``dispatch``: the unit a request goes
    to when this one is chosen (a section's department; the unit itself otherwise). ``route``: the match is
    the dispatch catalogue's answer to a query that matched no unit well (派单目录「油烟」)."""

    code: str
    name: str
    path: str
    kind: str
    level: str
    score: float
    reason: str
    good: bool = True
    dispatch: str = ""
    route: bool = False

    def as_dict(self) -> dict:
        out = {"code": self.code, "name": self.name, "path": self.path, "kind": self.kind,
               "level": self.level, "score": round(self.score, 1), "reason": self.reason, "good": self.good,
               "dispatch": self.dispatch or self.code}
        if self.route:
            out["route"] = True
        return out
