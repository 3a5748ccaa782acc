"""Sync with the hub from the desk (the F9 key) as plain calls."""

from __future__ import annotations

from typing import Any, Callable

Progress = Callable[[str, int, int], None]  # (push | pull, events in the page, cursor after it)


class SyncPart:
    """Mixed into ``services.Desk``."""

    def sync_now(self, progress: Progress | None = None) -> dict[str, Any]:
        """One sync (pull, push, pull) with the configured hub, as a plain dict:
        {hub (password hidden), sent, accepted, received, applied, tickets (numbers that changed here),
        started_over, ms, warning (None, or a line to show: another desk uses this desk's code)}. Raises HubError when there is no hub, or it is down, slow or refuses; every
        page applied before the failure stays applied and the next sync resumes after it."""
        from hotline_tui.privacy.reseal import json_sealer
        from hotline_tui.sync.engine import sync_with

        seal = json_sealer(lambda: self.sealer)  # only sealed callers go to (and come from) the hub
        report = sync_with(self.store, self.settings.hub, now_ms=self._now(), progress=progress, desk=self.settings.desk,
                           seal=seal)
        if report.applied:
            self.store.optimize()  # many tickets may have come: the planner's statistics follow
        return {"hub": report.hub, "sent": report.sent, "accepted": report.accepted, "received": report.received,
                "applied": report.applied, "tickets": sorted(report.tickets), "started_over": report.started_over,
                "ms": round(report.ms, 1), "warning": report.warning()}
