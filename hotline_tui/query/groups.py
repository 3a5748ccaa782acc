"""Counts of a filter's tickets by group, rolled up to what a supervisor compares: districts (区市) by the
request's place, the units under the city (each district's own units count for the district, a municipal
department's sub-units for the department) by the lead unit, and categories by their first two levels.
Each group carries the filter term that drills into it."""

from __future__ import annotations

from typing import Any

from hotline_tui.query.syntax import quote_value

SEP = " › "


def roll_up(counted: list[tuple[Any, int]], by: str, directory) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for value, n in counted:
        key, label, term = _group(value, by, directory)
        g = groups.setdefault(key, {"key": key, "label": label, "count": 0, "filter": term})
        g["count"] += n
    return sorted(groups.values(), key=lambda g: (-g["count"], g["key"]))


def _group(value, by: str, directory) -> tuple[str, str, str]:
    if by == "category":
        if not value:
            return "", "未分类", "category:none"
        parts = str(value).split(SEP)[:2]
        path = SEP.join(parts)
        return path, path, f"category:{quote_value(path)}"
    if not value:
        return "", "未填地点" if by == "district" else "未派单", "place:none" if by == "district" else "unit:none"
    code = str(value)
    if by == "unit":
        chain = [*directory.ancestors(code), directory.get(code)]
        chain = [u for u in chain if u is not None]
        top = chain[1] if len(chain) > 1 and chain[0].parent is None else (chain[-1] if chain else None)
        if top is None:
            return code, code, f"unit:{quote_value(code)}"
        return top.code, top.name, f"unit:{quote_value(top.code)}"
    unit = directory.get(code)
    return code, unit.name if unit is not None else code, f"place:{quote_value(code)}"
