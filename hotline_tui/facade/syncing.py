"""Sync with the hub from the desk (the F9 key) as plain calls."""

from __future__ import annotations

from typing import Any, Callable

Progress = Callable[[str, int, int], None]  # (push | pull, events in the page, cursor after it)


class SyncPart:
    """Mixed into ``services.Desk``."""

    def sync_now(self, progress: Progress | None = None) -> dict[str, Any]:
        """One sync (pull, push, pull) with the configured hub, as a plain dict:
        {hub (password hidden), sent, accepted, received, applied, tickets (numbers that changed here),
        started_over, ms, warning (None, or a line to show: another desk uses this desk's code)}. The first sync
        with a hub enrolls this desk's code there (sync/enroll.py). Raises HubError when there is no hub, or it
        is down, slow or refuses (a code another desk holds: nothing pushed, pulled or written); every
        page applied before the failure stays applied and the next sync resumes after it."""
        from hotline_tui.privacy.reseal import json_sealer
        from hotline_tui.sync.engine import sync_with

        seal = json_sealer(lambda: self.sealer)  # only sealed callers go to (and come from) the hub
        report = sync_with(self.store, self.settings.hub, now_ms=self._now(), progress=progress, desk=self.settings.desk,
                           by=self.settings.operator, config=str(self.settings.config_file), seal=seal)
        if report.applied:
            self.store.optimize()  # many tickets may have come: the planner's statistics follow
        return {"hub": report.hub, "sent": report.sent, "accepted": report.accepted, "received": report.received,
                "applied": report.applied, "tickets": sorted(report.tickets), "started_over": report.started_over,
                "ms": round(report.ms, 1), "warning": report.warning()}

    def _hub(self, url: str | None):
        from hotline_tui.sync.hub import HubError, open_hub

        url = url or self.settings.hub
        if not url:
            raise HubError("no hub configured (set [sync] hub in the config or HOTLINE_HUB, or pass --hub)")
        return open_hub(url)

    def enroll_desk(self, hub: str | None = None, *, reclaim: bool = False, new_id: bool = False) -> dict[str, Any]:
        """Enroll this desk's code ([desk] code) with the hub (``hub`` or the configured one): {hub, code,
        desk_id, since_ms, by, new}. Enrolling again is harmless. Raises CodeTaken (a HubError) when another
        desk holds the code, HubError when the hub is down; then nothing is written here."""
        from hotline_tui.sync.enroll import enroll

        handle = self._hub(hub)
        try:
            done = enroll(self.store, handle, self.settings.desk, by=self.settings.operator, now_ms=self._now(),
                          config=str(self.settings.config_file), reclaim=reclaim, new_id=new_id)
        finally:
            handle.close()
        return {"hub": done.hub, "code": done.code, "desk_id": done.desk_id, "since_ms": done.since_ms, "by": done.by,
                "new": done.new}

    def desk_status(self, hub: str | None = None) -> dict[str, Any]:
        """{desk_id, code, hub, enrolled (None: no hub), since_ms, held_by_other, codes (this desk's at the hub)}."""
        from hotline_tui.sync.enroll import status

        if not (hub or self.settings.hub):
            return status(self.store, None, self.settings.desk)
        handle = self._hub(hub)
        try:
            return status(self.store, handle, self.settings.desk)
        finally:
            handle.close()
