"""The caller's privacy at the desk: sealing what is written, revealing a number with a reason, sealing an
old store or hub. See hotline_tui/privacy/ for the key and the sealing itself."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable

from hotline_tui.errors import DomainError, InputError, NotFound

REVEAL_FIELDS = {"phone": "caller_phone", "name": "caller_name"}
AUDIT_FAMILY = "audit"  # `hotline audit` reads ~audit/YYYY-MM (month in China's time)


def audit_month(now_ms: int) -> str:
    from hotline_tui.domain.calendar import local_date

    return local_date(now_ms).strftime("%Y-%m")


class PrivacyPart:
    """Mixed into ``services.Desk``."""

    @cached_property
    def sealer(self):
        """This desk's sealer under the city's key; the key is made and written into the config first when
        there is none (InputError when the config cannot take it)."""
        from hotline_tui.privacy.keys import ensure_key
        from hotline_tui.privacy.seal import Sealer

        return Sealer(ensure_key(self.settings.config_file, self.settings.privacy_key))

    def reading_sealer(self):
        """The sealer when this desk has a key, else None (reading never makes a key)."""
        if "sealer" in self.__dict__:
            return self.__dict__["sealer"]
        from hotline_tui.privacy.keys import configured_key
        from hotline_tui.privacy.seal import Sealer

        key = configured_key(self.settings.config_file, self.settings.privacy_key)
        if key is None:
            return None
        sealer = self.__dict__["sealer"] = Sealer(key)
        return sealer

    def caller_key_of(self, number: str) -> str | None:
        """The keyed hash of a normalised number, or None when the desk has no key (then nothing is sealed)."""
        sealer = self.reading_sealer()
        return sealer.caller_key(number) if sealer is not None else None

    def seal_decision(self, decision):
        """The decision with every caller in its events sealed (register, add_call): what is written never
        holds a number or name in clear. A number added to a call is checked and normalised first."""
        from hotline_tui.domain.phone import parse_phone
        from hotline_tui.privacy.seal import is_clear

        if not any(is_clear(p) for _, _, p in decision.events):
            return decision
        events = []
        for number, kind, payload in decision.events:
            if is_clear(payload):
                if kind == "add_call":
                    parsed = parse_phone(payload["caller_phone"]) if isinstance(payload.get("caller_phone"), str) else None
                    if payload.get("caller_phone") and parsed is None:
                        raise InputError(f"caller_phone {str(payload['caller_phone'])[:20]!r} is not a mobile or landline number")
                    payload = {**payload, "caller_phone": parsed.number} if parsed else payload
                payload = self.sealer.seal_caller(payload)
            events.append((number, kind, payload))
        decision.events[:] = events
        return decision

    # --- revealing -------------------------------------------------------------------------------
    def reveal(self, number: str, reason: str, field: str = "phone") -> dict[str, Any]:
        """The caller's full number (or name) of one ticket, for a stated reason; writes a ``reveal`` audit
        event on ``~audit/YYYY-MM`` in the same transaction. Refused (nothing written) without a reason, to
        a visiting cadre always, and for a caller who asked for confidentiality (保密) to anyone but the
        operator who registered the call. Returns {number, field, value, reason}."""
        from hotline_tui.domain.permissions import refused
        from hotline_tui.domain.text import clean_text
        from hotline_tui.store import streams

        if not isinstance(number, str) or not number.strip():
            raise InputError("which ticket? give its number")
        if field not in REVEAL_FIELDS:
            raise InputError(f"reveal the caller's phone or name, not {str(field)[:20]!r}")
        reason = clean_text(reason, "reason", kind="line")
        if not reason:
            raise InputError("a reason is required to reveal a caller's number (it is kept in the audit log)")
        why = refused(self.settings.role, "reveal")
        if why:
            raise DomainError(why)
        number = number.strip()
        with self.store.write() as w:
            t = w.ticket(number)
            if t is None:
                raise NotFound(f"no ticket {number}")
            why = self.reveal_refusal(t)
            if why:
                raise DomainError(why)
            name = REVEAL_FIELDS[field]
            sealed, shown = getattr(t, name + "_enc"), getattr(t, name)
            if sealed:
                value = self.sealer_for_reveal().open(name, sealed)
            elif shown and "*" not in shown:
                value = shown  # an old store not sealed yet (`hotline store seal`)
            else:
                raise DomainError(f"{number} holds no caller's {field} to reveal")
            month = audit_month(self._now())
            w.record_stream(streams.key(AUDIT_FAMILY, month), "reveal", {"ticket": number, "reason": reason, "field": field},
                            desk=self.settings.desk, actor=self.settings.operator)
        return {"number": number, "field": field, "value": value, "reason": reason}

    def reveal_refusal(self, t) -> str | None:
        """Why this viewer may not reveal ``t``'s caller, or None (the reason is asked for separately)."""
        from hotline_tui.domain.permissions import refused

        why = refused(self.settings.role, "reveal")
        if why:
            return why
        if t.confidential and t.registered_by != self.settings.operator:
            return (f"the caller of {t.number} asked for confidentiality (保密): only the operator who registered"
                    " the call may reveal it")
        if not (t.caller_phone or t.caller_name) or t.anonymous and not t.caller_phone_enc:
            return f"{t.number} has no caller's number (anonymous)"
        return None

    def sealer_for_reveal(self):
        sealer = self.reading_sealer()
        if sealer is None:
            raise DomainError("this desk has no privacy key ([privacy] key in the config): it cannot open a sealed"
                              " number; get the city's key from the config the desks share")
        return sealer

    # --- sealing what is already stored ------------------------------------------------------------
    def seal_store(self, batch: int = 5000, progress: Callable[[int, int, int], None] | None = None) -> dict[str, int]:
        """Seal every caller the store holds in clear (events and tickets), a batch per transaction,
        resumable; then checkpoint and VACUUM so the old bytes leave the file. {events, tickets, batches}."""
        from hotline_tui.privacy.reseal import seal_store

        return seal_store(self.store, self.sealer, batch=batch, progress=progress)

    def seal_hub(self, url: str | None = None, batch: int = 5000,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Seal every caller a hub holds in clear (its events' payloads), a batch per hub transaction."""
        from hotline_tui.privacy.reseal import seal_hub

        return seal_hub(url or self.settings.hub, self.sealer, batch=batch, progress=progress)
