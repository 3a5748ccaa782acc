"""Checks on free text that comes from people: size, control characters, terminal escapes.

Text from a caller, a unit or a file is shown on operators' terminals. An escape sequence in it could
move the cursor, retitle the window or worse, so it is refused at the door with a clear reason rather
than silently altered (an operator must know the text was not taken as typed).
"""

from __future__ import annotations

import re
import unicodedata

from hotline_tui.errors import InputError

# C0 controls except TAB and LF, DEL, C1 controls (0x80-0x9f includes the 8-bit CSI 0x9b),
# and the bidirectional overrides that can make text read differently from what it is.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

LIMITS = {
    "description": 4000,
    "text": 2000,
    "line": 200,
}


def printable(value: object) -> str:
    """``value`` on one line for a terminal: controls, escapes and bidi overrides become spaces (text from a
    hub or an old store is shown, never obeyed)."""
    return " ".join(_FORBIDDEN.sub(" ", str(value)).split())


def describe_char(ch: str) -> str:
    if ch == "\x1b":
        return "a terminal escape sequence (ESC)"
    if ch == "\x9b":
        return "a terminal escape sequence (CSI)"
    name = unicodedata.name(ch, None)
    return f"control character U+{ord(ch):04X}" + (f" {name}" if name else "")


def clean_text(value: object, field: str, *, kind: str = "text", required: bool = False, multiline: bool | None = None) -> str:
    """Return ``value`` stripped, or raise InputError naming the field and what is wrong with it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(f"{field} must be text, not {type(value).__name__}")
    limit = LIMITS[kind]
    if multiline is None:
        multiline = kind != "line"
    bad = _FORBIDDEN.search(value)
    if bad:
        raise InputError(f"{field} contains {describe_char(bad.group())} at position {bad.start() + 1}")
    if not multiline and ("\n" in value or "\t" in value):
        raise InputError(f"{field} must be a single line")
    value = value.strip()
    if required and not value:
        raise InputError(f"{field} is required")
    if len(value) > limit:
        raise InputError(f"{field} is {len(value)} characters long; at most {limit} are allowed")
    return value
