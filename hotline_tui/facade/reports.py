"""The monthly ranking (月通报) for ``hotline report`` and F6: computed from the store, or the published one.

A published month is frozen: its report is the one stored in the publication event, whatever events of the
month arrive later; ``recompute`` computes it afresh beside it to show what would change."""

from __future__ import annotations

from typing import Any

from hotline_tui.domain.permissions import refused
from hotline_tui.errors import DomainError, InputError


class ReportsPart:
    """Mixed into ``services.Desk``; every method reads or writes the store (call it from a worker)."""

    def report_rules(self):
        from hotline_tui.reports.formulas import load_rules

        return load_rules(self.settings.config_file)

    def report_month(self, text: str):
        """The month ``text`` names (YYYY-MM), refused when malformed or not begun yet; touches no store."""
        from hotline_tui.reports.month import parse_month

        return parse_month(text, self._now())

    def _report_store(self, month) -> None:
        """Refuse a month before any data, and a store that holds nothing (never creating one)."""
        from hotline_tui.reports.facts import first_registered
        from hotline_tui.reports.month import this_month

        if not self.settings.store_path.exists():
            raise InputError(f"no store at {self.settings.store_path}: nothing to report")
        with self.store.read() as conn:
            first = first_registered(conn)
        if first is None:
            raise InputError("the store holds no requests yet: nothing to report")
        if month.end_ms <= first:
            raise InputError(f"month {month} is before any data (the first request is of {this_month(first)})")

    def _fresh_report(self, conn, month) -> dict[str, Any]:
        from hotline_tui.reports.monthly import compute
        from hotline_tui.reports.commitments import commitments_by_unit
        from hotline_tui.reports.supervision import supervision_list

        from hotline_tui.reports.published import read_published

        def published(m):
            stored = read_published(conn, str(m))
            return stored["report"] if stored is not None else None

        report = compute(conn, month, self.directory, self.report_rules(), published)
        report["supervision"] = supervision_list(conn, month.start_ms, month.end_ms, self.unit_name)
        report["commitments"] = commitments_by_unit(conn, month.start_ms, month.end_ms, self._now(), self.unit_name)
        return report

    @staticmethod
    def _as_published(stored: dict[str, Any]) -> dict[str, Any]:
        report = dict(stored["report"])
        report["published"] = True
        report["publication"] = {k: stored[k] for k in ("published_ms", "desk", "actor", "id", "count")}
        return report

    def monthly_report(self, text: str, *, fresh: bool = False) -> dict[str, Any]:
        """The month's report: the published one when there is one (``published: true``), else computed now;
        ``fresh`` computes it now even when published (``published: false``)."""
        from hotline_tui.reports.published import read_published

        month = self.report_month(text)
        self._report_store(month)
        with self.store.read() as conn:
            stored = None if fresh else read_published(conn, str(month))
            if stored is not None:
                return self._as_published(stored)
            report = self._fresh_report(conn, month)
        report["published"] = False
        return report

    def report_published(self, text: str) -> dict[str, Any] | None:
        """The month's publication (for F6's first paint), or None; no computation."""
        from hotline_tui.reports.published import read_published

        month = self.report_month(text)
        if not self.settings.store_path.exists():
            return None
        with self.store.read() as conn:
            stored = read_published(conn, str(month))
        return self._as_published(stored) if stored is not None else None

    def report_changes(self, text: str) -> dict[str, Any]:
        """{month, published (bool), changes: [{table, key, name, field, published, now}]}: what recomputing the
        published report would change, row by row (an unpublished month has nothing to compare)."""
        from hotline_tui.reports.diff import report_changes
        from hotline_tui.reports.published import read_published

        month = self.report_month(text)
        self._report_store(month)
        with self.store.read() as conn:
            stored = read_published(conn, str(month))
            if stored is None:
                return {"month": str(month), "published": False, "changes": []}
            fresh = self._fresh_report(conn, month)
        return {"month": str(month), "published": True, "changes": report_changes(stored["report"], fresh)}

    def may_publish_reports(self) -> str | None:
        """None when this desk's role may publish, else why not."""
        return refused(self.settings.role, "report_publish")

    def publish_report(self, text: str, *, recompute: bool = False) -> dict[str, Any]:
        """Publish the month (a ``report_publish`` event that syncs to every desk). Already published: nothing is
        written and the stored report is returned (``status: already``), unless ``recompute``, which publishes
        the report computed now when it differs (``republished``; ``unchanged`` when it does not).
        Returns {status, report, changes}."""
        from hotline_tui.reports.diff import report_changes
        from hotline_tui.reports.month import this_month
        from hotline_tui.reports.published import publish, read_published

        why = self.may_publish_reports()
        if why:
            raise DomainError(why)
        month = self.report_month(text)
        if month >= this_month(self._now()):
            raise InputError(f"month {month} is not over yet: it can be published from {month.next()}-01")
        self._report_store(month)
        with self.store.write() as w:
            stored = read_published(w.conn, str(month))
            if stored is not None and not recompute:
                return {"status": "already", "report": self._as_published(stored), "changes": []}
            fresh = self._fresh_report(w.conn, month)
            changes = report_changes(stored["report"], fresh) if stored is not None else []
            if stored is not None and not changes:
                return {"status": "unchanged", "report": self._as_published(stored), "changes": []}
            publish(w, str(month), fresh, desk=self.settings.desk, actor=self.settings.operator)
            now = read_published(w.conn, str(month))
        return {"status": "republished" if stored is not None else "published", "report": self._as_published(now),
                "changes": changes}

    def report_default_month(self) -> str:
        """The month F6 opens on: the last finished one (no store read)."""
        from hotline_tui.reports.month import this_month

        return str(this_month(self._now()).prev())

    def report_this_month(self) -> str:
        from hotline_tui.reports.month import this_month

        return str(this_month(self._now()))

    def report_months(self) -> list[dict[str, Any]]:
        """The months F6 can show, newest first: [{month, published}] from the first request's to this one."""
        from hotline_tui.reports.facts import first_registered
        from hotline_tui.reports.month import this_month
        from hotline_tui.reports.published import published_months

        if not self.settings.store_path.exists():
            return []
        with self.store.read() as conn:
            first = first_registered(conn)
            done = set(published_months(conn))
        if first is None:
            return []
        out, m, last = [], this_month(first), this_month(self._now())
        while m <= last:
            out.append({"month": str(m), "published": str(m) in done})
            m = m.next()
        return out[::-1]
