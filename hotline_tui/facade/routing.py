"""Routing suggestions for a new request (which category, which units, and why)."""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()  # building the router
_READ = threading.Lock()  # reading the learned counts (a worker and a first call may race)


class RoutingPart:
    """Mixed into ``services.Desk``.

    The router (taxonomy, dispatch catalogue, place names) and the desk's learned counts (one aggregate
    query over the last 30 days of tickets) are built once per Desk: ``warm_routing()`` does both, and is
    meant for a worker; without it the first ``suggest_units`` reads the counts. Every method takes any
    text and never raises on it.
    """

    def warm_routing(self, refresh: bool = False) -> dict[str, int]:
        """Build the router and read the learned counts now; returns {categories, tickets} for a status line."""
        router = self._router()
        with _READ:
            if refresh or router.learned is None:
                router.learned = self._read_learned()
        return {"categories": len(router.taxonomy), "tickets": router.learned.tickets}

    def search_categories(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        """Type-ahead over the taxonomy: [{path, label, score, reason}]; empty text gives the most common
        (this desk's most used once warm_routing has run). Runs on a key press: it never reads the store."""
        return self._router().search_categories(text, limit)

    def suggest_categories(self, description: str, limit: int = 3) -> list[dict[str, Any]]:
        """The categories a description points to: [{path, label, score, reason}], best first."""
        return self._router().suggest_categories(description, limit)

    def suggest_units(self, description: str, place: str | None = None, category: list[str] | str | None = None,
                      limit: int = 3) -> list[dict[str, Any]]:
        """Ranked units {code, name, path, kind, level, score, reason}; [] when there is nothing to go on."""
        router = self._router()
        if router.learned is None:
            try:
                self.warm_routing()
            except Exception:  # a store that cannot be read: suggest from the rules alone, try again later
                pass
        return router.suggest_units(description, place, category, limit)

    # --- building ---------------------------------------------------------------------------------
    def _router(self):
        router = self.__dict__.get("_routing_router")
        if router is None:
            with _LOCK:
                router = self.__dict__.get("_routing_router")
                if router is None:
                    from hotline_tui.routing import Router, load_taxonomy

                    router = Router(load_taxonomy(), self.directory)
                    self.__dict__["_routing_router"] = router
        return router

    def _read_learned(self):
        """Counts from the store; none when the store does not exist yet (reading must not create it)."""
        from hotline_tui.routing.learned import Learned, read_learned

        if not self.settings.store_path.exists():
            return Learned()
        with self.store.read() as conn:
            return read_learned(conn, self._now())
