"""One action on many tickets (the workbench's marked set, ``hotline ticket act`` with several numbers or a
filter): planned first, so the person confirms how many it will touch and why the others are left out,
then recorded in one transaction, all of its events or none."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from hotline_tui.domain.actions import SPECS, decide, refusal
from hotline_tui.domain.permissions import refused as role_refused
from hotline_tui.domain.vocabulary import ACTIONS
from hotline_tui.errors import DomainError, HotlineError, InputError, NotFound

BULK_ACTIONS = ("urge", "supervise", "list", "escalate")
MAX_BULK = 10_000
# our numbers (QD-A01-20261125-0001) and the original numbers of imported tickets (exchange/csv_rows.NUMBER)
_NUMBER = re.compile(r"^(?=(?:[^0-9]*[0-9]){4})[A-Z0-9][A-Z0-9-]{3,39}$")


def new_bulk_id() -> str:
    import uuid

    return uuid.uuid4().hex[:12]


class BulkPart:
    """Mixed into ``services.Desk``; every method reads or writes the store (call it from a worker)."""

    def bulk_numbers(self, text: str) -> list[str]:
        """Every ticket the filter matches, in its order (at most MAX_BULK; more is refused, never cut short)."""
        numbers: list[str] = []
        after = None
        while True:
            page = self.query_page(text, after=after, limit=500)
            numbers += [r["number"] for r in page["rows"]]
            if len(numbers) > MAX_BULK:
                raise InputError(f"the filter matches more than {MAX_BULK:,} tickets; narrow it before acting on them all")
            after = page["next"]
            if after is None:
                return numbers

    def bulk_plan(self, numbers: list[str], action: str) -> dict[str, Any]:
        """{action, label, allowed: [numbers], refused: {why: [numbers]}}: what ``bulk_act`` would do now."""
        numbers = self._bulk_checked(numbers, action)
        ctx = self.context()
        allowed: list[str] = []
        refused: dict[str, list[str]] = defaultdict(list)
        with self.store.read() as conn:
            from hotline_tui.store import projection

            for number in numbers:
                t = projection.read_ticket(conn, number)
                why = f"no ticket {number}" if t is None else refusal(t, action, ctx)
                if why:
                    refused[_reason_group(why)].append(number)
                else:
                    allowed.append(number)
        return {"action": action, "label": ACTIONS[action], "allowed": allowed, "refused": dict(refused)}

    def bulk_act(self, numbers: list[str], action: str, fields: dict[str, Any], actor: str | None = None) -> dict[str, Any]:
        """Perform ``action`` with the same ``fields`` on every ticket, in one transaction: if any of them
        refuses (changed since the plan, say), nothing at all is written and the error names that ticket."""
        numbers = self._bulk_checked(numbers, action)
        events = 0
        bulk = {"id": new_bulk_id(), "count": len(numbers)}  # the audit shows one line a bulk action
        with self.store.write() as w:
            ctx = self.context(w, actor)
            for number in numbers:
                t = w.ticket(number)
                if t is None:
                    raise NotFound(f"no ticket {number}; nothing was written")
                try:
                    decision = self.seal_decision(decide(t, action, fields, ctx))
                except HotlineError as exc:
                    raise type(exc)(f"{number}: {exc}; nothing was written") from None
                self.check_own_unit(t)
                decision.events = [(n, kind, {**payload, "bulk": bulk} if kind == action else payload)
                                   for n, kind, payload in decision.events]
                events += len(w.record(decision, desk=self.settings.desk, actor=actor or self.settings.operator))
        return {"action": action, "tickets": len(numbers), "events": events}

    def _bulk_checked(self, numbers: list[str], action: str) -> list[str]:
        if action not in SPECS:
            raise InputError(f"unknown action {action!r} (actions: {', '.join(SPECS)})")
        why = role_refused(self.settings.role, action)
        if why:
            raise DomainError(why)
        if not isinstance(numbers, list) or not numbers:
            raise InputError("no tickets to act on")
        out = list(dict.fromkeys(str(n).strip().upper() for n in numbers))
        if len(out) > MAX_BULK:
            raise InputError(f"at most {MAX_BULK:,} tickets in one action")
        for n in out:
            if not _NUMBER.match(n):
                raise InputError(f"{n[:40]!r} is not a ticket number like QD-A01-20261125-0001")
        return out


def _reason_group(why: str) -> str:
    """Refusals grouped by kind, not by ticket (a closed ticket's number is not part of the reason)."""
    return re.sub(r"[A-Z]{1,4}-[A-Z0-9]{2,6}-\d{8}-\d+", "…", why)
