"""The directory's plain values: a unit (承办单位), its duty card, and one lookup match."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("city", "district", "street", "community", "department", "sub_unit", "enterprise", "organ")
LEVELS = ("city", "district", "street", "community")
# "小事不出街道": among equally good matches the lower level wins (smaller rank first). The street is the
# lowest level that takes dispatches, so it comes before a community of the same name (八大关街道 before
# 八大关社区); then districts, then the city.
LEVEL_RANK = {"street": 0, "community": 1, "district": 2, "city": 3}
LEVEL_TEXT = {"city": "市级", "district": "区（市）级", "street": "街道（镇）", "community": "社区（村）"}
KIND_TEXT = {
    "city": "市", "district": "区（市）", "street": "街道（镇）", "community": "社区（村）",
    "department": "部门", "sub_unit": "下属单位", "enterprise": "企业", "organ": "机关",
}
CARD_FIELDS = ("duties", "workflow", "materials", "time_limit", "contact")


@dataclass(frozen=True)
class DutyCard:
    """职责清单、工作流程、所需材料、办理时限、联系方式. Empty text means not known, never invented."""

    duties: str = ""
    workflow: str = ""
    materials: str = ""
    time_limit: str = ""
    contact: str = ""

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


@dataclass(frozen=True)
class Match:
    """One lookup result; ``reason`` says why it matched (拼音, 简称, 职责「占道经营」 …)."""

    code: str
    name: str
    path: str
    kind: str
    level: str
    score: float
    reason: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "path": self.path, "kind": self.kind,
                "level": self.level, "score": round(self.score, 1), "reason": self.reason}
