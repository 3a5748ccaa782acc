"""Duty cards a unit's cadre publishes (F3's ``p``, ``hotline directory card-publish``): the newest publication
wins over the shipped card, on every desk that synced it."""

from __future__ import annotations

from typing import Any

from hotline_tui.domain.permissions import refused
from hotline_tui.errors import DomainError, InputError, NotFound


class CardsPart:
    """Mixed into ``services.Desk``; every method reads or writes the store (call it from a worker)."""

    def published_card(self, code: str) -> dict[str, Any] | None:
        """The unit's newest published card {version, fields…, published_by, published_ms, desk}, or None."""
        from hotline_tui.store.duty_cards import read_card

        if not self.settings.store_path.exists():  # reading must not create the store
            return None
        with self.store.read() as conn:
            return read_card(conn, code)

    def may_publish_card(self, code: str) -> str | None:
        """None when this desk's person may publish the unit's card, else why not."""
        role, own = self.settings.role, self.settings.unit
        why = refused(role, "card_publish")
        if why:
            return why
        if role == "cadre":
            if not own:
                return "a cadre's own unit is not set (desk.unit): a cadre publishes only their own unit's card"
            if not self.unit_within(code, own):
                return f"a cadre publishes only their own unit's card ({own}), not {code}'s"
        return None

    def publish_card(self, code: str, fields: Any, based_on: int | None = None,
                     actor: str | None = None) -> dict[str, Any]:
        """Publish the unit's duty card: checked, versioned (the current version + 1), refused when ``based_on``
        (the version the publisher opened) is no longer the current one. Returns the card as ``unit_card``
        gives it. Nothing is written when refused."""
        from hotline_tui.domain.duty_card import check_version, clean_card
        from hotline_tui.store import duty_cards

        if not isinstance(code, str) or not code.strip():
            raise InputError("give a unit code")
        code = code.strip()
        if self.directory.get(code) is None:
            raise NotFound(f"no unit {code[:40]!r}: find it with `hotline lookup`")
        why_not = self.may_publish_card(code)
        if why_not:
            raise DomainError(why_not)
        card = clean_card(fields)
        actor = actor or self.settings.operator
        with self.store.write() as w:
            version = check_version(based_on, duty_cards.read_card(w.conn, code))
            duty_cards.publish(w, code, version, card, desk=self.settings.desk, actor=actor)
        return self.unit_card(code)
