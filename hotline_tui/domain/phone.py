"""Caller phone numbers: recognise mainland mobiles and Qingdao (0532) landlines, normalise, mask."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_QD_LANDLINE = re.compile(r"^0532([2-9]\d{7})$")
_LOCAL_LANDLINE = re.compile(r"^[2-9]\d{7}$")
_OTHER_LANDLINE = re.compile(r"^0[1-9]\d{1,2}[2-9]\d{6,7}$")


@dataclass(frozen=True)
class Phone:
    number: str  # normalised: 11-digit mobile, or 0532XXXXXXXX, or another area's landline
    kind: str  # mobile | landline_qd | landline_other

    @property
    def label(self) -> str:
        return {"mobile": "手机", "landline_qd": "青岛座机", "landline_other": "外地座机"}[self.kind]


def parse_phone(raw: str) -> Phone | None:
    """Recognise a number as typed (+86, spaces, dashes and a local 8-digit landline accepted)."""
    s = _SEPARATORS.sub("", raw or "")
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if _MOBILE.match(s):
        return Phone(s, "mobile")
    m = _QD_LANDLINE.match(s)
    if m:
        return Phone(s, "landline_qd")
    if _LOCAL_LANDLINE.match(s):
        return Phone("0532" + s, "landline_qd")
    if _OTHER_LANDLINE.match(s):
        return Phone(s, "landline_other")
    return None


def mask_phone(number: str | None) -> str:
    """138****1234 for a mobile; 0532****5678 for a landline; keeps the first and last digits only."""
    if not number:
        return ""
    if len(number) == 11 and number.startswith("1"):
        return number[:3] + "****" + number[-4:]
    if len(number) > 8:
        return number[:4] + "****" + number[-4:]
    return "****" + number[-2:]
