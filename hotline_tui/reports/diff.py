"""What a recomputation would change in a published report, row by row."""

from __future__ import annotations

from typing import Any

TABLES = (("districts", "unit"), ("units", "unit"), ("channels", "channel"), ("natures", "nature"))
SKIP = {"changes", "name", "score"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-9
    return a == b


def report_changes(published: dict[str, Any], fresh: dict[str, Any]) -> list[dict[str, Any]]:
    """[{table, key, name, field, published, now}] for every value that differs, in table and row order."""
    out: list[dict[str, Any]] = []
    for table, key in TABLES:
        before = {r[key]: r for r in published.get(table, [])}
        for row in fresh.get(table, []):
            old = before.pop(row[key], None)
            if old is None:
                out.append({"table": table, "key": row[key], "name": row.get("name", ""), "field": "(row)",
                            "published": None, "now": "new"})
                continue
            for name, value in row.items():
                if name in SKIP or name == key:
                    continue
                if not _same(old.get(name), value):
                    out.append({"table": table, "key": row[key], "name": row.get("name", ""), "field": name,
                                "published": old.get(name), "now": value})
        for k, old in before.items():
            out.append({"table": table, "key": k, "name": old.get("name", ""), "field": "(row)",
                        "published": "present", "now": None})
    totals_old, totals_new = published.get("totals", {}), fresh.get("totals", {})
    for name, value in totals_new.items():
        if name != "name" and not _same(totals_old.get(name), value):
            out.append({"table": "totals", "key": "", "name": "全市", "field": name,
                        "published": totals_old.get(name), "now": value})
    return out
