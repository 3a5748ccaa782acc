"""Where a request is: the place's street and district from its unit code, or named in the description."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    street: str | None = None  # unit code of the street (街道/镇)
    district: str | None = None  # unit code of the district (区/市)
    named: str = ""  # the place's name as found in the text ("" when given as a code)


class Places:
    """Street and district names of the directory, for finding a place named in a description."""

    def __init__(self, directory):
        self.directory = directory
        names: dict[str, tuple[str, str]] = {}  # name → (kind, code); ambiguous names dropped
        dup: set[str] = set()
        for u in directory:
            if u.kind not in ("district", "street", "community"):
                continue
            keys = {u.name, *u.short_names, *u.old_names}
            if u.kind == "district" and len(u.name) >= 3 and u.name[-1] in "区市":
                keys.add(u.name[:-1])  # 李沧区 → 李沧, 胶州市 → 胶州 (新区 keeps its name)
            if u.kind == "community" and not u.name.endswith(("社区", "村")):
                continue
            for k in keys:
                if len(k) < (2 if u.kind == "district" else 3):
                    continue
                if k in names and names[k][1] != u.code:
                    dup.add(k)
                names[k] = (u.kind, u.code)
        for k in dup:
            del names[k]
        by_first: dict[str, list[str]] = {}
        for k in sorted(names, key=lambda k: (-len(k), k)):
            by_first.setdefault(k[0], []).append(k)
        self._names = names
        self._by_first = by_first

    def of_code(self, code: str | None) -> Where:
        """The street and district a unit code belongs to (a community's street, a street's district …)."""
        d = self.directory
        unit = d.get(code) if isinstance(code, str) and code else None
        if unit is None:
            return Where()
        street = district = None
        chain = [unit, *reversed(d.ancestors(unit.code))]
        for u in chain:
            if u.kind == "street" and street is None:
                street = u.code
            if u.kind == "district" and district is None:
                district = u.code
        if district is None and unit.area:
            district = unit.area
        return Where(street, district)

    def in_text(self, text: str) -> Where:
        """The most precise place the text names: a community or street (and so its district), or a district."""
        best: dict[str, str] = {}
        for ch in set(text):
            for k in self._by_first.get(ch, ()):
                if k in text:
                    kind, code = self._names[k]
                    if kind not in best:
                        best[kind] = code
        for kind in ("community", "street", "district"):
            code = best.get(kind)
            if code is None:
                continue
            where = self.of_code(code)
            district = best.get("district")
            if kind != "district" and district and where.district != district:
                continue  # a street of another district: trust the district the caller named
            unit = self.directory.get(code)
            return Where(where.street, where.district, unit.name if unit else "")
        return Where()
