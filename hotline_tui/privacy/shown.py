"""How a caller is shown: masks only (138****1234, 张**), never a sealed value or the keyed hash. Light (no
cryptography): every list and the ticket view use it."""

from __future__ import annotations

from typing import Any

from hotline_tui.domain.phone import mask_phone

SEALED_FIELDS = ("caller_key", "caller_phone_enc", "caller_name_enc")
CONFIDENTIAL = "保密"


def mask_name(name: str | None, anonymous: bool = False) -> str:
    """The surname and two stars (张**); '' for no name or an anonymous caller. Already masked stays so."""
    if not name or anonymous:
        return ""
    return name[:1] + "**"


def shown_payload(payload: Any, confidential: bool = False) -> Any:
    """An event's payload as a person sees it: the caller masked (or 保密), sealed values left out."""
    if not isinstance(payload, dict) or not ("caller_phone" in payload or "caller_name" in payload
                                             or any(k in payload for k in SEALED_FIELDS)):
        return payload
    out = {k: v for k, v in payload.items() if k not in SEALED_FIELDS}
    if "caller_phone" in out:
        phone = out["caller_phone"]
        out["caller_phone"] = (CONFIDENTIAL if phone else "") if confidential else mask_phone(str(phone or ""))
    if "caller_name" in out:
        out["caller_name"] = "" if confidential else mask_name(str(out["caller_name"] or ""))
    return out


def shown_state(state: dict[str, Any]) -> dict[str, Any]:
    """A ticket's state as plain values, without the sealed values and the keyed hash."""
    for k in SEALED_FIELDS:
        state.pop(k, None)
    return state
