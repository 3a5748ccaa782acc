"""The standard exchange on the facade: the Open311 export and the CSV import of historical tickets.
Both read or write the whole store: call them from a worker or the command line, never the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from hotline_tui.domain.permissions import refused
from hotline_tui.errors import DomainError, InputError


class ExchangePart:
    """Mixed into ``services.Desk``."""

    def export_open311(self, out: IO[str], since: str | None = None) -> dict[str, int]:
        """Write the Open311 GeoReport v2 document (hotline_tui/exchange/open311.py) to ``out``; ``since``
        keeps the requests changed at or after that date-time. Returns {services, requests}."""
        from hotline_tui.exchange import open311
        from hotline_tui.exchange.when import parse_when

        why = refused(self.settings.role, "export")
        if why:
            raise DomainError(why)
        since_ms = None
        if since is not None:
            since_ms = parse_when(since)
            if since_ms is None:
                raise InputError(f"--since {since[:30]!r} is not a date or date-time like 2026-11-01 or 2026-11-01T08:00+08:00")
        d = self.directory

        def place_path(code: str) -> list[str]:
            unit = d.get(code)
            return [] if unit is None else [a.name for a in d.ancestors(code)] + [unit.name]

        requests = open311.Requests(self.unit_name, place_path)
        with self.store.read() as conn:
            return open311.write(conn, out, since_ms=since_ms, now_ms=self._now(), jurisdiction=self.settings.city_code,
                                 requests=requests)

    def import_csv(self, path: str, *, encoding: str | None = None, dry_run: bool = False,
                   progress: Callable[[int], None] | None = None) -> Any:
        """Import historical tickets (hotline_tui/exchange/csv_import.py): an ImportResult, or ImportRefused
        (an InputError holding every error by line) with nothing written."""
        from pathlib import Path

        from hotline_tui.exchange.csv_import import import_csv
        from hotline_tui.exchange.csv_rows import Setting

        why = refused(self.settings.role, "import")
        if why:
            raise DomainError(why)
        setting = Setting(unit_code=self._unit_resolver(), unit_name=self.unit_name, unit_exists=self.unit_exists,
                          policy=self.policy, desk=self.settings.desk, operator=self.settings.operator,
                          now_ms=self._now(), source=Path(path).name, seal=self.sealer.seal_caller)
        return import_csv(self.store, path, setting, encoding=encoding, dry_run=dry_run, progress=progress)

    def _unit_resolver(self) -> Callable[[str], str | None]:
        """A unit's code from its code or its exact name (or full name); a name several units share is refused."""
        from hotline_tui.exchange.csv_rows import RowError

        d = self.directory
        by_name: dict[str, list[str]] = {}
        for unit in d:
            for name in {unit.name, unit.full_name} - {""}:
                by_name.setdefault(name, []).append(unit.code)

        def resolve(value: str) -> str | None:
            if self.unit_exists(value):
                return value
            codes = by_name.get(value)
            if not codes:
                return None
            if len(codes) > 1:
                raise RowError(f"{value!r} names {len(codes)} units ({', '.join(codes[:4])}): give the unit's code")
            return codes[0]

        return resolve
