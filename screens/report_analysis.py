"""F6's analysis tab (决策参考): one month's analysis, given the facade's result (``Desk.analysis``), as text
tables and terminal charts in one scrolling column. It holds plain values only and reads nothing itself:
whoever mounts it calls ``load(desk, month)``, which asks the facade in a thread worker (the month first,
then its twelve-month trend, the slow part) and shows each as it comes; or fetches the result itself and
calls ``show`` (or ``show_error``).

The tables are the very ones the Markdown and xlsx reports print (reports/analysis_tables.py), so the
figures on screen are the report's. Keys: ↑↓ PgUp PgDn Home End scroll (the column takes the focus).
"""

from __future__ import annotations

import re
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from hotline_tui.reports.analysis_tables import cell_text, tables

from screens.report_charts import DistrictBars, RankingBars, TrendLines

_PATH_HEAD = re.compile(r"(?:[^ 、›]+ › )+")  # "城乡建设 › 供热 › " before a category's last level
RATE_LABELS = {"claim_rate": "认领率", "completion_rate": "办结率", "feedback_rate": "反馈率"}


def summary_line(a: dict[str, Any]) -> Text:
    line = Text()
    line.append(f"{a['month']} 决策参考  ", style="bold")
    if not a["tickets"]:
        line.append(f"{a['month']} 没有登记的诉求", style="yellow")
        return line
    line.append(f"诉求 {a['tickets']:,} 件 · 来电 {a['calls']:,} 次")
    before = a["last_month"]["tickets"]
    if before:
        change = (a["tickets"] - before) / before * 100
        line.append(f" · 环比 {change:+.1f}%", style="green" if change <= 0 else "red")
    return line


def short(text: str) -> str:
    """A category or place path as its last level, for the narrow screen (the reports keep whole paths)."""
    return _PATH_HEAD.sub("", text)


def rich_table(t) -> Table:
    out = Table(title=t.title, title_justify="left", expand=True, show_edge=False, pad_edge=False)
    for i, (head, kind) in enumerate(zip(t.header, t.kinds)):
        first = i == 0
        out.add_column(head, justify="left" if kind == "text" else "right", overflow="fold",
                       ratio=None if first or kind != "text" else 3, no_wrap=kind != "text" or first)
    for row in t.rows:
        out.add_row(*(short(cell_text(v, k)) for v, k in zip(row, t.kinds)))
    if not t.rows:
        out.add_row(*(["(无)"] + [""] * (len(t.header) - 1)))
    if t.note:
        out.caption, out.caption_justify = t.note, "left"
    return out


class AnalysisView(VerticalScroll):
    """One month's analysis. ``show(result)`` fills it; before that it says what it waits for."""

    result: dict[str, Any] | None = None  # the month shown (the facade's plain values)

    DEFAULT_CSS = """
    AnalysisView { height: 1fr; }
    AnalysisView > .analysis-summary { height: auto; padding: 0 1; }
    AnalysisView > .analysis-table { height: auto; padding: 0 1; margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("选择月份后显示决策参考", id="analysis-summary", classes="analysis-summary")
        yield DistrictBars(id="chart-districts")
        yield RankingBars(id="chart-categories")
        yield RankingBars(id="chart-keywords")
        yield TrendLines(id="chart-volume")
        yield TrendLines(id="chart-rates")
        yield Static("", id="analysis-tables", classes="analysis-table")

    def load(self, desk, month: str) -> None:
        """Show ``month`` from ``desk`` (the services facade): says so while it works, then the month, then
        its trend; a refusal (bad month, future, before any data) is shown as its one line."""
        self.query_one("#analysis-summary", Static).update(Text(f"{month} 决策参考 计算中…", style="dim"))
        self._fetch(desk, month)

    @work(thread=True, exclusive=True, group="analysis")
    def _fetch(self, desk, month: str) -> None:
        from textual.worker import get_current_worker

        from hotline_tui.errors import HotlineError

        worker = get_current_worker()
        try:
            result = desk.analysis(month, with_trend=False)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.show, result)
            trend = desk.analysis_trend(month)
        except HotlineError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_error, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_trend, trend)

    def show_error(self, message: str) -> None:
        self.query_one("#analysis-summary", Static).update(Text(message, style="bold red"))

    def show(self, a: dict[str, Any]) -> None:
        self.result = a
        self.query_one("#analysis-summary", Static).update(summary_line(a))
        self.query_one("#chart-districts", DistrictBars).show(
            "各区市诉求", [(d["name"], d["tickets"]) for d in a["districts"]])
        self.query_one("#chart-categories", RankingBars).show(
            "主要诉求分类", [(c["category"].split(" › ")[-1], c["tickets"]) for c in a["categories"][:8]])
        self.query_one("#chart-keywords", RankingBars).show(
            "关键词", [(k["word"], k["tickets"]) for k in a["keywords"][:8]])
        self.show_trend(a.get("trend"))

    def show_trend(self, trend: list[dict[str, Any]] | None) -> None:
        """The twelve months (``Desk.analysis_trend``), which may come after the rest; None: still coming."""
        from rich.console import Group

        if self.result is None:
            return  # a trend without its month: nothing to show it with
        a = self.result = {**self.result, "trend": trend}
        volume = self.query_one("#chart-volume", TrendLines)
        rates = self.query_one("#chart-rates", TrendLines)
        if trend is None:
            volume.waiting("近十二个月诉求量")
            rates.waiting("近十二个月三率")
        else:
            months = [r["month"] for r in trend]
            volume.show_volume("近十二个月诉求量", months, [r["tickets"] for r in trend])
            rates.show_rates("近十二个月三率 (%)", months, {label: [r[k] for r in trend] for k, label in RATE_LABELS.items()})
        self.query_one("#analysis-tables", Static).update(Group(*(rich_table(t) for t in tables(a))))
