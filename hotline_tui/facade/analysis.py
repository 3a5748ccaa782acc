"""The month's analysis (决策参考) for the command line and F6, as plain values."""

from __future__ import annotations

import threading
from typing import Any

from hotline_tui.errors import InputError

_LOCK = threading.Lock()


class AnalysisPart:
    """Mixed into ``services.Desk``. Both calls read the store: call them from a worker.

    F6 asks for the month without its twelve-month trend first (``with_trend=False``, quick: indexes only),
    then for the trend (``analysis_trend``: twelve months of the monthly ranking's counts). The trend is
    remembered on the Desk until the event log grows, so going back to a month already seen costs nothing."""

    def analysis(self, month: str, with_trend: bool = True) -> dict[str, Any]:
        """The analysis of ``month`` (``YYYY-MM``): see reports/analysis.py for what it holds. A malformed
        month, one in the future or before any data is an InputError; an empty month gives zeros and empty
        lists, with shares and rates None. Never writes the store (a missing store is not created)."""
        from hotline_tui.reports.analysis import build_analysis

        month_ = self._analysis_month(month)
        districts = self.districts()
        with self.store.read() as conn:
            result = build_analysis(conn, month_, self._now(), districts, self._place_path, with_trend=False)
        if with_trend:
            result["trend"] = self.analysis_trend(month)
        return result

    def analysis_trend(self, month: str) -> list[dict[str, Any]]:
        """The twelve months ending with ``month``: requests and the three rates (reports/analysis_rates.py)."""
        from sqlalchemy import text

        from hotline_tui.reports.analysis import build_trend
        from hotline_tui.reports.analysis_month import check_month
        from hotline_tui.reports.analysis_sql import first_registered

        month_ = self._analysis_month(month)
        with self.store.read() as conn:
            check_month(month_, self._now(), first_registered(conn))
            last = conn.execute(text("SELECT max(seq) FROM event")).scalar()
            key = (month_.label, last)
            with _LOCK:
                memo = self.__dict__.setdefault("_trend_memo", {})
                if key in memo:
                    return [dict(r) for r in memo[key]]
            rows = build_trend(conn, month_, rules=self.report_rules())
        with _LOCK:
            memo = {k: v for k, v in memo.items() if k[1] == last}  # older logs' figures are stale
            memo[key] = rows
            self.__dict__["_trend_memo"] = memo
        return [dict(r) for r in rows]

    def _analysis_month(self, month: str):
        from hotline_tui.reports.analysis_month import parse_month

        month_ = parse_month(month)
        if not self.settings.store_path.exists():
            raise InputError(f"no store at {self.settings.store_path.name}: nothing to analyse for {month_.label}")
        return month_

    def districts(self) -> list[tuple[str, str]]:
        """The city's districts (区市) as (code, name), in code order."""
        return sorted((u.code, u.name) for u in self.directory if u.kind == "district")

    def _place_path(self, code: str) -> str:
        try:
            path = self.directory.path_text(code)
        except Exception:  # a place the directory does not know is shown by its code
            return code
        return path.split(" › ", 1)[-1] if " › " in path else (path or code)  # without the city itself
