"""Sealing a caller: the number as a keyed hash (to find the caller's history) and encrypted (to reveal it
with a reason), shown everywhere else as its mask.

Two subkeys come from the city's key with HKDF-SHA256: one for HMAC-SHA256 (``caller_key``, hex), one for
AES-GCM (``caller_phone_enc`` / ``caller_name_enc``: base64 of a 12-byte nonce and the ciphertext, with the
field's name as associated data, so a sealed name cannot be passed off as a number). A sealed event keeps
``caller_phone`` and ``caller_name`` as their masks (138****1234, 张**), so every reader shows the mask.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline_tui.domain.phone import mask_phone
from hotline_tui.errors import DomainError
from hotline_tui.privacy.shown import SEALED_FIELDS, mask_name

__all__ = ["SEALED_FIELDS", "Sealer", "WrongKey", "is_clear", "mask_name", "may_be_clear"]
_AD = {"caller_phone": b"hotline/caller_phone/v1", "caller_name": b"hotline/caller_name/v1"}
NONCE = 12


class WrongKey(DomainError):
    """A sealed value that this desk's key does not open."""


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


class Sealer:
    """Seals and opens callers' numbers and names under one key."""

    def __init__(self, key: bytes) -> None:
        self._mac = hmac.new(_derive(key, b"hotline caller_key v1"), digestmod=hashlib.sha256)
        self._aead = AESGCM(_derive(key, b"hotline caller_enc v1"))
        self._nonce = hmac.new(_derive(key, b"hotline caller_nonce v1"), digestmod=hashlib.sha256)

    def caller_key(self, number: str) -> str:
        """The keyed hash of a normalised number: the same on every desk that holds the key."""
        mac = self._mac.copy()
        mac.update(number.encode("utf-8"))
        return mac.hexdigest()

    def seal(self, field: str, value: str, context: str | None = None) -> str:
        """``value`` encrypted. The nonce is random; with a ``context`` (demo data, which must come out the same
        for the same seed) it is a keyed hash of the context, field and value (a synthetic nonce: two different
        values never share one)."""
        if context is None:
            nonce = os.urandom(NONCE)
        else:
            mac = self._nonce.copy()
            mac.update("\x00".join((context, field, value)).encode("utf-8"))
            nonce = mac.digest()[:NONCE]
        return base64.b64encode(nonce + self._aead.encrypt(nonce, value.encode("utf-8"), _AD[field])).decode("ascii")

    def open(self, field: str, token: str) -> str:
        try:
            raw = base64.b64decode(token, validate=True)
            if len(raw) <= NONCE:
                raise ValueError("too short")
            return self._aead.decrypt(raw[:NONCE], raw[NONCE:], _AD[field]).decode("utf-8")
        except InvalidTag:
            raise WrongKey(f"the caller's {'number' if field == 'caller_phone' else 'name'} was sealed with another key"
                           " (this desk's [privacy] key is not the one the city's desks share)") from None
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise DomainError("the sealed value is damaged and cannot be opened") from None

    def seal_caller(self, fields: dict[str, Any], context: str | None = None) -> dict[str, Any]:
        """``fields`` (a register or add_call payload) with the caller sealed: the clear number and name
        replaced by their masks, plus caller_key and the encrypted values. Already sealed fields stay."""
        out = dict(fields)
        phone = fields.get("caller_phone")
        if isinstance(phone, str) and phone and "caller_phone_enc" not in fields:
            out["caller_phone"] = mask_phone(phone)
            out["caller_key"] = self.caller_key(phone)
            out["caller_phone_enc"] = self.seal("caller_phone", phone, context)
        name = fields.get("caller_name")
        if isinstance(name, str) and name and "caller_name_enc" not in fields:
            out["caller_name"] = mask_name(name)
            out["caller_name_enc"] = self.seal("caller_name", name, context)
        return out


def is_clear(payload: Any) -> bool:
    """Whether an event's payload holds a caller's number or name not yet sealed."""
    if not isinstance(payload, dict):
        return False
    phone, name = payload.get("caller_phone"), payload.get("caller_name")
    return bool((isinstance(phone, str) and phone and "caller_phone_enc" not in payload)
                or (isinstance(name, str) and name and "caller_name_enc" not in payload))


def may_be_clear(payload_json: str) -> bool:
    """A cheap test on the JSON text before decoding it: only a payload naming a caller can hold one."""
    return '"caller_' in payload_json and ('"caller_phone_enc"' not in payload_json or '"caller_name_enc"' not in payload_json)
