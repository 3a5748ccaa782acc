"""Check unit records before anything is written: every problem found, each with its line or item number."""

from __future__ import annotations

import re

from hotline_tui.directory.model import CARD_FIELDS, CARD_META, KINDS, LEVELS
from hotline_tui.directory.names import has_control
from hotline_tui.errors import InputError

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 2000
MAX_ERRORS_SHOWN = 8


def _texts(rec: dict):
    for k in ("code", "name", "full_name", "kind", "level", "parent", "area"):
        if rec.get(k):
            yield k, rec[k]
    for k in ("short_names", "old_names", "duties"):
        for v in rec.get(k) or []:
            yield k, v
    for k, v in (rec.get("card") or {}).items():
        yield f"card_{k}", v


def validate_records(records: list[dict], where: list[str]) -> None:
    """Raise InputError listing every problem; ``where[i]`` names record i ("line 7", "item 3")."""
    errors: list[str] = []
    if not records:
        raise InputError("the directory file has no units")
    seen: dict[str, str] = {}
    for rec, at in zip(records, where):
        code = rec.get("code") or ""
        for field_name, value in _texts(rec):
            if not isinstance(value, str):
                errors.append(f"{at}: {field_name} must be text")
            elif has_control(value):
                errors.append(f"{at}: {field_name} contains control characters")
            elif len(value) > MAX_TEXT:
                errors.append(f"{at}: {field_name} is longer than {MAX_TEXT} characters")
        if not isinstance(code, str) or not CODE_RE.match(code):
            errors.append(f"{at}: code {code!r} must be 1-40 letters, digits, '-' or '_'")
        elif code in seen:
            errors.append(f"{at}: duplicate code {code} (first at {seen[code]})")
        else:
            seen[code] = at
        if not (isinstance(rec.get("name"), str) and rec["name"].strip()):
            errors.append(f"{at}: name is empty")
        if rec.get("kind") not in KINDS:
            errors.append(f"{at}: kind {rec.get('kind')!r} is not one of {', '.join(KINDS)}")
        if rec.get("level") not in LEVELS:
            errors.append(f"{at}: level {rec.get('level')!r} is not one of {', '.join(LEVELS)}")
        for k, v in (rec.get("card") or {}).items():
            if k not in CARD_FIELDS + CARD_META:
                errors.append(f"{at}: unknown card field {k!r}")
            elif k == "updated" and isinstance(v, str) and v and not _is_date(v):
                errors.append(f"{at}: card_updated {v!r} is not a date (YYYY-MM-DD)")
    if not errors:
        errors += _check_tree(records, where, seen)
    if errors:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise InputError(f"directory not imported, nothing changed: {shown}{more}")


def _is_date(text: str) -> bool:
    import datetime as dt

    if not DATE_RE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_tree(records: list[dict], where: list[str], codes: dict[str, str]) -> list[str]:
    errors: list[str] = []
    parent_of = {r["code"]: (r.get("parent") or None) for r in records}
    roots = [c for c, p in parent_of.items() if p is None]
    if not roots:
        errors.append("no root unit (one unit must have an empty parent)")
    for rec, at in zip(records, where):
        p = parent_of[rec["code"]]
        if p is not None and p not in parent_of:
            errors.append(f"{at}: parent {p} of {rec['code']} is not in the file")
        a = rec.get("area")
        if a and a not in parent_of:
            errors.append(f"{at}: area {a} of {rec['code']} is not in the file")
    if errors:
        return errors
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root
    for start in parent_of:
        path, node = [], start
        while node is not None and state.get(node) != 2:
            if state.get(node) == 1:
                cycle = path[path.index(node):] + [node]
                errors.append(f"{codes[node]}: parent cycle {' → '.join(cycle)}")
                break
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        for n in path:
            state[n] = 2
    return errors
