"""What an import changes in a store's directory: units added, renamed, moved and removed, by code.

Tickets and usage hang on unit codes, so an update keeps them: a unit whose code stays is the same unit
whatever its new name or parent. A removed unit whose name comes back under another code is reported as a
code change, since its tickets stay on the old code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hotline_tui.directory.model import CARD_FIELDS

SHOWN = 8  # names listed per kind of change; the count says the rest


@dataclass
class ImportReport:
    units: int = 0
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old name, new name)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old parent, new parent)
    removed: list[tuple[str, str]] = field(default_factory=list)
    recoded: list[tuple[str, str, str]] = field(default_factory=list)  # (old code, new code, name)
    catalogue: int = 0  # dispatch-catalogue entries applied
    catalogue_dropped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"added {len(self.added)}, renamed {len(self.renamed)}, moved {len(self.moved)}, "
               f"removed {len(self.removed)}"]
        for label, rows in (("added", [f"{c} {n}" for c, n in self.added]),
                            ("renamed", [f"{c} {a} → {b}" for c, a, b in self.renamed]),
                            ("moved", [f"{c} {a} → {b}" for c, a, b in self.moved]),
                            ("removed", [f"{c} {n}" for c, n in self.removed])):
            if rows:
                more = f" … and {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
                out.append(f"  {label}: " + "; ".join(rows[:SHOWN]) + more)
        for old, new, name in self.recoded:
            out.append(f"  code changed? {name}: {old} → {new}; tickets on {old} stay on {old} "
                       f"(keep the old code to keep them attached)")
        out.append(f"dispatch catalogue: {self.catalogue} entries applied"
                   + (f", {len(self.catalogue_dropped)} notes" if self.catalogue_dropped else ""))
        out += [f"  {line}" for line in self.catalogue_dropped[:SHOWN]]
        if len(self.catalogue_dropped) > SHOWN:
            out.append(f"  … and {len(self.catalogue_dropped) - SHOWN} more")
        return out


def compare(previous, records: list[dict]) -> ImportReport:
    """``previous``: the Directory in use before the import (None: nothing to compare with)."""
    report = ImportReport(units=len(records))
    if previous is None:
        return report
    new = {r["code"]: r for r in records}
    for r in records:
        old = previous.get(r["code"])
        if old is None:
            report.added.append((r["code"], r["name"]))
            continue
        if old.name != r["name"]:
            report.renamed.append((r["code"], old.name, r["name"]))
        if (old.parent or None) != (r.get("parent") or None):
            report.moved.append((r["code"], _name(previous, old.parent), _name(previous, r.get("parent"), new)))
    added_by_name = {}
    for code, name in report.added:
        added_by_name.setdefault(name, code)
    for u in previous:
        if u.code not in new:
            report.removed.append((u.code, u.name))
            if u.name in added_by_name:
                report.recoded.append((u.code, added_by_name[u.name], u.name))
    return report


def _name(directory, code: str | None, new: dict | None = None) -> str:
    if not code:
        return "(root)"
    if new is not None and code in new:
        return new[code]["name"]
    unit = directory.get(code)
    return unit.name if unit is not None else code


def stamp_cards(previous, records: list[dict], by: str, today: dt.date | None = None) -> None:
    """A card the file changed (or brought new) without saying when is stamped with today's date and ``by``;
    an unchanged card keeps its earlier stamp."""
    day = (today or dt.date.today()).isoformat()
    for r in records:
        card = r.get("card") or {}
        if not any(card.get(f) for f in CARD_FIELDS) or card.get("updated"):
            continue
        old = previous.get(r["code"]) if previous is not None else None
        if old is not None and all((card.get(f) or "") == getattr(old.card, f) for f in CARD_FIELDS):
            if old.card.updated:
                card["updated"] = old.card.updated
                card["updated_by"] = card.get("updated_by") or old.card.updated_by
            continue
        card["updated"] = day
        card["updated_by"] = card.get("updated_by") or by
        r["card"] = card
