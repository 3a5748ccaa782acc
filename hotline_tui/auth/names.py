"""What a user name and a password may be. Checked before anything is hashed, stored or shown."""

from __future__ import annotations

import re

from hotline_tui.domain.text import describe_char
from hotline_tui.errors import InputError

NAME_MAX = 32
PASSWORD_MIN = 8
PASSWORD_MAX = 256  # Argon2 takes any length; a longer one is a paste gone wrong
# letters of any script (王芳, wangfang), digits, and . _ - · inside a name
_NAME = re.compile(r"^[^\W_](?:[\w.·\-]*[^\W_])?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def check_name(value: object) -> str:
    """The user name, stripped; InputError saying what is wrong with it."""
    if not isinstance(value, str):
        raise InputError(f"a user name must be text, not {type(value).__name__}")
    bad = _CONTROL.search(value)
    if bad:
        raise InputError(f"the user name contains {describe_char(bad.group())} at position {bad.start() + 1}")
    name = value.strip()
    if not name:
        raise InputError("give a user name")
    if len(name) > NAME_MAX:
        raise InputError(f"a user name is at most {NAME_MAX} characters (this one has {len(name)})")
    if not _NAME.match(name):
        raise InputError(f"a user name is letters and digits (with . _ - · inside), not {name!r}")
    return name


def check_new_password(value: object, name: str = "") -> str:
    """A password a person chooses: 8 to 256 characters, no control characters, not the name itself."""
    if not isinstance(value, str):
        raise InputError(f"a password must be text, not {type(value).__name__}")
    if not value:
        raise InputError("the password is empty")
    bad = _CONTROL.search(value)
    if bad:
        raise InputError(f"the password contains {describe_char(bad.group())} at position {bad.start() + 1};"
                         " use letters, digits and punctuation")
    if len(value) < PASSWORD_MIN:
        raise InputError(f"the password is too short: at least {PASSWORD_MIN} characters")
    if len(value) > PASSWORD_MAX:
        raise InputError(f"the password is too long: at most {PASSWORD_MAX} characters")
    if name and value.strip().lower() == name.lower():
        raise InputError("the password must not be the user name")
    return value


def shown(value: object, limit: int = 40) -> str:
    """A name as typed, safe to store in an event and print: control characters and escapes spelled out, cut."""
    text = value if isinstance(value, str) else repr(value)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= limit else text[:limit] + "…"
