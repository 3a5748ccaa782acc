"""What this desk's store has dispatched before: lead units by category and district over recent days.

One aggregate query over the tickets registered in the window (the ``ix_ticket_registered`` index bounds
it); the result is small (categories × districts × units) and is kept by the caller, not re-read per call.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

WINDOW_DAYS = 30
DAY_MS = 86_400_000

SQL = ("SELECT category, substr(place, 1, 6) AS district, lead_unit, COUNT(*) AS n FROM ticket"
       " WHERE registered_ms >= :since"
       " GROUP BY category, district, lead_unit")


@dataclass
class Learned:
    """Counts of lead units: by (category label, district code) and by category label alone."""

    days: int = WINDOW_DAYS
    by_district: dict[tuple[str, str], Counter] = field(default_factory=dict)
    by_category: dict[str, Counter] = field(default_factory=dict)
    categories: Counter = field(default_factory=Counter)  # tickets per category label (dispatched or not)
    tickets: int = 0  # tickets with a category in the window

    def units(self, category: str, district: str | None) -> Counter:
        if district:
            hit = self.by_district.get((category, district))
            if hit:
                return hit
        return self.by_category.get(category, Counter())


def district_of(prefix: str | None) -> str | None:
    """NBS codes: a community or street code starts with its district's six digits."""
    return prefix if prefix and len(prefix) == 6 and prefix.isdigit() else None


def read_learned(conn, now_ms: int, days: int = WINDOW_DAYS) -> Learned:
    """``conn``: a SQLAlchemy connection to the store."""
    from sqlalchemy import text

    out = Learned(days=days)
    for category, prefix, lead, n in conn.execute(text(SQL), {"since": now_ms - days * DAY_MS}):
        if not category:
            continue
        n = int(n)
        out.categories[category] += n
        out.tickets += n
        if not lead:
            continue
        district = district_of(prefix)
        if district:
            out.by_district.setdefault((category, district), Counter())[lead] += n
        out.by_category.setdefault(category, Counter())[lead] += n
    return out
