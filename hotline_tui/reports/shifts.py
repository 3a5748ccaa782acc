"""The year's shadow shifts (接线体悟) for ``hotline report shifts``: each shift's who, when, how long, calls heard
and taken, commitments (不解决找我) made and kept; the cadres of the year against the city's reference figure
(data/shadow_shifts.toml).

A commitment is a ticket event of kind ``commit`` (payload {due_ms, contact}) by the cadre within the shift's
window; it is kept when its ticket was closed by its due time. A store without such events counts 0.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

from hotline_tui.domain.calendar import CHINA
from hotline_tui.store import shifts as shift_store


def year_bounds(year: int) -> tuple[int, int]:
    lo = dt.datetime(year, 1, 1, tzinfo=CHINA)
    hi = dt.datetime(year + 1, 1, 1, tzinfo=CHINA)
    return int(lo.timestamp() * 1000), int(hi.timestamp() * 1000)


def reference() -> dict[str, Any]:
    """The city's reference figure: {cadres, as_of, source}; cadres None when the data file is missing or bad."""
    from hotline_tui.resources import data_dir

    try:
        with (data_dir() / "shadow_shifts.toml").open("rb") as fh:
            ref = tomllib.load(fh).get("reference", {})
    except (OSError, tomllib.TOMLDecodeError, FileNotFoundError):
        return {"cadres": None, "as_of": "", "source": ""}
    cadres = ref.get("cadres")
    ok = isinstance(cadres, int) and not isinstance(cadres, bool) and cadres >= 0
    return {"cadres": cadres if ok else None, "as_of": str(ref.get("as_of") or ""), "source": str(ref.get("source") or "")}


def compute(conn, year: int, now_ms: int) -> dict[str, Any]:
    lo, hi = year_bounds(year)
    rows = []
    listed = list(reversed(shift_store.listed(conn, since_ms=lo, until_ms=hi, limit=1_000_000)))  # oldest first
    windows = []
    for s in listed:
        row = s.to_dict(now_ms)
        end = row["ended_ms"] if row["ended_ms"] is not None else now_ms + 1
        row.update(shift_store.call_counts(conn, s, end))
        row["commitments"] = row["kept"] = 0
        windows.append((s.cadre, s.started_ms, end, row))
        rows.append(row)
    if windows:
        made = shift_store.commitments(conn, sorted({w[0] for w in windows}), min(w[1] for w in windows),
                                       max(w[2] for w in windows) + 1)
        for c in made:
            for cadre, start, end, row in windows:
                if c["actor"] == cadre and start <= c["at_ms"] <= end:
                    row["commitments"] += 1
                    if c["closed_ms"] is not None and (c["due_ms"] is None or c["closed_ms"] <= c["due_ms"]):
                        row["kept"] += 1
                    break
    cadres = sorted({r["cadre"] for r in rows})
    ref = reference()
    return {
        "year": year,
        "shifts": rows,
        "totals": {"shifts": len(rows), "cadres": len(cadres), "minutes": sum(r["minutes"] for r in rows),
                   "heard": sum(r["heard"] for r in rows), "taken": sum(r["taken"] for r in rows),
                   "commitments": sum(r["commitments"] for r in rows), "kept": sum(r["kept"] for r in rows)},
        "reference": ref,
    }
