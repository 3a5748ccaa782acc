"""A cadre's shadow shift (接线体悟): who sits beside which operator at which desk, from when to when.

Pure rules, no storage: a shift is open until it is ended or, never ended, until it expires
``EXPIRY_HOURS`` after it started; an expired shift counts as ended at its expiry and can no longer be acted on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline_tui.domain.text import clean_text
from hotline_tui.errors import InputError

EXPIRY_HOURS = 12
EXPIRY_MS = EXPIRY_HOURS * 3_600_000
NAME_MAX = 40  # a person's name, as the intake form's name field allows
DESK_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")  # as config.py's desk codes


@dataclass(frozen=True)
class Shift:
    id: str
    cadre: str
    unit: str
    desk: str
    operator: str
    started_ms: int
    ended_ms: int | None = None

    def expires_ms(self) -> int:
        return self.started_ms + EXPIRY_MS

    def is_open(self, now_ms: int) -> bool:
        return self.ended_ms is None and now_ms < self.expires_ms()

    def end_ms(self, now_ms: int) -> int | None:
        """When it ended: its end, its expiry when it expired unended, None while open."""
        if self.ended_ms is not None:
            return self.ended_ms
        return None if self.is_open(now_ms) else self.expires_ms()

    def status(self, now_ms: int) -> str:
        """open | ended | expired."""
        if self.ended_ms is not None:
            return "ended"
        return "open" if self.is_open(now_ms) else "expired"

    def to_dict(self, now_ms: int) -> dict[str, Any]:
        end = self.end_ms(now_ms)
        return {"id": self.id, "cadre": self.cadre, "unit": self.unit, "desk": self.desk, "operator": self.operator,
                "started_ms": self.started_ms, "ended_ms": end, "status": self.status(now_ms),
                "minutes": max(0, ((end if end is not None else now_ms) - self.started_ms) // 60_000)}


def person_name(value: object, field: str = "operator") -> str:
    """A person's name as typed: one line, no controls or escapes, 1 to NAME_MAX characters."""
    if isinstance(value, str) and len(value.strip()) > NAME_MAX:
        raise InputError(f"{field} is {len(value.strip())} characters long; a name has at most {NAME_MAX}")
    return clean_text(value, field, kind="line", required=True)


def desk_code(value: object) -> str:
    if not isinstance(value, str):
        raise InputError(f"desk must be text, not {type(value).__name__}")
    code = clean_text(value, "desk", kind="line", required=True).upper()
    if not DESK_CODE_RE.match(code):
        raise InputError(f"desk code {code[:20]!r} must be 2-6 capital letters or digits, starting with a letter")
    return code
