"""Which row of the ranking a lead unit counts for: a district (区市) for its own units down to the communities,
a municipal unit (市直部门 and the others under the city) for its sub-units and sections."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Top:
    code: str
    name: str
    district: bool


class RollUp:
    def __init__(self, directory) -> None:
        self.directory = directory
        root = next((u for u in directory if u.parent is None), None)
        tops = directory.children(root.code) if root is not None else []
        self.districts = [Top(u.code, u.name, True) for u in tops if u.kind == "district"]
        self.units = [Top(u.code, u.name, False) for u in tops if u.kind != "district"]
        self._tops = {t.code: t for t in (*self.districts, *self.units)}
        self._of: dict[str | None, Top | None] = {}

    def top(self, code: str | None) -> Top | None:
        """The row ``code`` counts for; None for no unit or one the directory does not know."""
        if code in self._of:
            return self._of[code]
        found = None
        if code:
            chain = [*self.directory.ancestors(code), self.directory.get(code)]
            for u in chain:
                if u is not None and u.code in self._tops:
                    found = self._tops[u.code]
                    break
        self._of[code] = found
        return found
