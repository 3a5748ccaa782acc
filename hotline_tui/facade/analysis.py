"""The month's analysis (决策参考) for the command line and F6, as plain values."""

from __future__ import annotations

from typing import Any

from hotline_tui.errors import InputError


class AnalysisPart:
    """Mixed into ``services.Desk``. ``analysis`` reads the store: call it from a worker."""

    def analysis(self, month: str) -> dict[str, Any]:
        """The analysis of ``month`` (``YYYY-MM``): see reports/analysis.py for what it holds. A malformed
        month, one in the future or before any data is an InputError; an empty month gives zeros and empty
        lists, with shares and rates None. Never writes the store (a missing store is not created)."""
        from hotline_tui.reports.analysis import build_analysis
        from hotline_tui.reports.analysis_month import parse_month

        month_ = parse_month(month)
        if not self.settings.store_path.exists():
            raise InputError(f"no store at {self.settings.store_path.name}: nothing to analyse for {month_.label}")
        districts = self.districts()
        with self.store.read() as conn:
            return build_analysis(conn, month_, self._now(), districts, self._place_path)

    def districts(self) -> list[tuple[str, str]]:
        """The city's districts (区市) as (code, name), in code order."""
        return sorted((u.code, u.name) for u in self.directory if u.kind == "district")

    def _place_path(self, code: str) -> str:
        try:
            path = self.directory.path_text(code)
        except Exception:  # a place the directory does not know is shown by its code
            return code
        return path.split(" › ", 1)[-1] if " › " in path else (path or code)  # without the city itself
