"""A new request as the operator (or a script) gives it: checked field by field before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hotline_tui.domain.phone import parse_phone
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.vocabulary import CHANNELS, NATURES, URGENCIES
from hotline_tui.errors import InputError

FIELDS = {
    "caller_phone", "caller_name", "anonymous", "confidential", "channel", "nature", "category",
    "place", "address", "description", "urgency", "handling",
}
HANDLING_MODES = {"dispatch": {"lead", "assist", "note"}, "answer": {"answer"}, "transfer": {"to", "note"}}
CATEGORY_SEPARATORS = ("›", ">", "/")


@dataclass
class IntakeDraft:
    register: dict[str, Any]
    handling: tuple[str, dict[str, Any]] | None = None  # (action, fields) to take right after registering
    units: list[str] = field(default_factory=list)  # unit codes that must exist


def _choice(value: Any, table: dict[str, str], name: str, default: str | None = None) -> str:
    if value is None or value == "":
        if default is None:
            raise InputError(f"{name} is required (one of: {', '.join(table)})")
        return default
    if not isinstance(value, str):
        raise InputError(f"{name} must be text, not {type(value).__name__}")
    if value in table:
        return value
    by_label = {label: code for code, label in table.items()}
    if value in by_label:
        return by_label[value]
    raise InputError(f"{name} {value[:40]!r} is not one of: {', '.join(table)}")


def _bool(value: Any, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(f"{name} must be true or false, not {type(value).__name__}")
    return value


def parse_category(value: Any, separators: tuple[str, ...] = CATEGORY_SEPARATORS) -> list[str]:
    """Up to 3 levels, from a list or from text like 'a › b › c' split at the first separator found."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        parts = [value]
        for sep in separators:
            if sep in value:
                parts = value.split(sep)
                break
    elif isinstance(value, list):
        parts = value
    else:
        raise InputError(f"category must be a list of up to 3 levels or text like 'a › b › c', not {type(value).__name__}")
    parts = [clean_text(p, "category", kind="line") for p in parts]
    parts = [p for p in parts if p]
    if len(parts) > 3:
        raise InputError("category has at most 3 levels")
    return parts


def parse_intake(data: Any) -> IntakeDraft:
    if not isinstance(data, dict):
        raise InputError(f"a ticket must be a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise InputError(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")
    anonymous = _bool(data.get("anonymous"), "anonymous")
    confidential = _bool(data.get("confidential"), "confidential")
    raw_phone = clean_text(data.get("caller_phone"), "caller_phone", kind="line")
    phone = ""
    if raw_phone:
        parsed = parse_phone(raw_phone)
        if parsed is None:
            raise InputError(f"caller_phone {raw_phone[:20]!r} is not a mobile or landline number")
        phone = parsed.number
    elif not anonymous:
        raise InputError("caller_phone is required unless the caller is anonymous")
    register = {
        "caller_phone": phone,
        "caller_name": clean_text(data.get("caller_name"), "caller_name", kind="line"),
        "anonymous": anonymous,
        "confidential": confidential,
        "channel": _choice(data.get("channel"), CHANNELS, "channel", default="hotline"),
        "nature": _choice(data.get("nature"), NATURES, "nature"),
        "category": parse_category(data.get("category")),
        "address": clean_text(data.get("address"), "address", kind="line"),
        "description": clean_text(data.get("description"), "description", kind="description", required=True),
        "urgency": _choice(data.get("urgency"), URGENCIES, "urgency", default="normal"),
    }
    units: list[str] = []
    place = data.get("place")
    if place not in (None, ""):
        register["place"] = clean_text(place, "place", kind="line")
        units.append(register["place"])
    draft = IntakeDraft(register=register, units=units)
    handling = data.get("handling")
    if handling is not None:
        if not isinstance(handling, dict):
            raise InputError("handling must be an object like {\"mode\": \"dispatch\", \"lead\": CODE}")
        mode = handling.get("mode")
        if mode not in HANDLING_MODES:
            raise InputError(f"handling.mode must be one of: {', '.join(HANDLING_MODES)}")
        extra = sorted(set(handling) - HANDLING_MODES[mode] - {"mode"})
        if extra:
            raise InputError(f"handling ({mode}) does not take {extra[0]!r}")
        fields = {k: v for k, v in handling.items() if k != "mode"}
        draft.handling = (mode, fields)
    return draft
