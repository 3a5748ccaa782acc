"""F6 统计: the monthly ranking (月通报). A month picker (←/→ or [/] the month before/after, m to type YYYY-MM),
tabs for the districts' ranking, the municipal units' ranking, the month's supervision list and the analysis,
whether the month is published, and publishing it (p, with a confirmation; supervisors only).

Every store read runs in a worker through the Desk facade: a published month paints from its publication (one
event read) before anything is computed; an unpublished one is computed (SQL aggregates, well under a second on
a large store) while the screen says so."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static, TabbedContent, TabPane

from hotline_tui.errors import HotlineError
from screens.frame import DeskScreen
from screens.lines import LineView
from screens.report_confirm import PublishConfirm
from screens.report_ranking import (
    commitment_lines,
    formulas_text,
    ranking_header,
    ranking_lines,
    status_text,
    supervision_header,
    supervision_lines,
)

TABS = ("districts", "units", "supervision", "analysis")
TAB_TEXT = {"districts": "1 区市排名", "units": "2 部门排名", "supervision": "3 督办清单", "analysis": "4 决策参考"}


class ReportsScreen(DeskScreen):
    MODE = "reports"
    AUTO_FOCUS = "#view-districts"
    BINDINGS = [
        Binding("left_square_bracket", "month(-1)", "上月", priority=True, id="reports.prev"),
        Binding("right_square_bracket", "month(1)", "下月", priority=True, id="reports.next"),
        Binding("left", "arrow(-1)", "上月", show=False, priority=True, id="reports.prev_arrow"),
        Binding("right", "arrow(1)", "下月", show=False, priority=True, id="reports.next_arrow"),
        Binding("m,slash", "type_month", "输入月份", id="reports.type_month"),
        *(Binding(str(i), f"tab('{t}')", TAB_TEXT[t][2:], show=False, id=f"reports.tab{i}") for i, t in enumerate(TABS, 1)),
        Binding("escape", "leave_box", "返回列表", show=False, id="reports.leave_box"),
        Binding("p", "publish", "发布", id="reports.publish"),
        Binding("r", "recompute", "重算对比", id="reports.recompute"),
        Binding("ctrl+r", "reload", "刷新", show=False, id="reports.reload"),
    ]

    def __init__(self) -> None:
        super().__init__(name="reports")
        self.month: str | None = None
        self.report: dict | None = None
        self._started = False
        self._analysis_shown: str | None = None  # the month the analysis tab holds
        self._first = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="report-bar"):
            yield Label("月份 ", id="report-month-label")
            yield Input(placeholder="YYYY-MM", max_length=7, id="report-month")
            yield Static("", id="report-status")
        with TabbedContent(id="report-tabs"):
            for tab in TABS:
                with TabPane(TAB_TEXT[tab], id=f"tab-{tab}"):
                    if tab == "analysis":
                        yield Vertical(id="analysis-slot")  # its view (five charts) is mounted when first shown
                    else:
                        yield Static("", id=f"head-{tab}", classes="report-head")
                        yield LineView(id=f"view-{tab}", classes="report-view")
        yield Static("", id="report-formulas")

    def on_mount(self) -> None:
        self.watch(self.app, "status", self._desk_maybe_ready, init=True)

    def _desk_maybe_ready(self, _status) -> None:
        if self._started or self.desk is None:
            return
        self._started = True
        self._first = True  # the last finished month; this month instead when the store has no data that old
        self.show_month(self.desk.report_default_month())

    # --- the month ---------------------------------------------------------------------------------
    def show_month(self, month: str) -> None:
        self.month = month
        box = self.query_one("#report-month", Input)
        if not box.has_focus:
            box.value = month
        self._paint_status(None, "读取中…")
        self._load(self.desk, month)
        self._analysis_shown = None
        if self._tab() == "analysis":
            self._show_analysis()

    def _show_analysis(self) -> None:
        """Fill the analysis tab for the month on screen (once per month), when this build has it."""
        if self.month is None or self._analysis_shown == self.month:
            return
        views = self.query("#analysis-view")
        if views:
            view = views.first()
        else:  # first shown: F6 opens without composing the charts (or importing plotext)
            from screens.report_analysis import AnalysisView

            view = AnalysisView(id="analysis-view")
            self.query_one("#analysis-slot", Vertical).mount(view)
        self._analysis_shown = self.month
        self._analysis(self.desk, self.month, view)

    @work(thread=True, exclusive=True, group="reports-analysis")
    def _analysis(self, desk, month: str, view) -> None:
        """The month without its twelve-month trend first (indexes only), then the trend, as the view expects."""
        staged = hasattr(desk, "analysis_trend") and hasattr(view, "show_trend")
        try:
            result = desk.analysis(month, with_trend=False) if staged else desk.analysis(month)
            if month != self.month:
                return
            self.app.call_from_thread(view.show, result)
            if staged:
                trend = desk.analysis_trend(month)
                if month == self.month:
                    self.app.call_from_thread(view.show_trend, trend)
        except HotlineError as exc:
            self.app.call_from_thread(view.show_error, str(exc))

    @on(TabbedContent.TabActivated)
    def _tab_chosen(self, event) -> None:
        if self._tab() == "analysis":
            self._show_analysis()

    @work(thread=True, exclusive=True, group="reports-load")
    def _load(self, desk, month: str, fresh: bool = False) -> None:
        try:
            report = None if fresh else desk.report_published(month)
            if report is None:
                self.app.call_from_thread(self._paint_status, None, "计算中…")
                report = desk.monthly_report(month, fresh=fresh)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, month, str(exc))
            return
        self.app.call_from_thread(self._paint, month, report)

    def _failed(self, month: str, why: str) -> None:
        if month != self.month:
            return
        if self._first and "before any data" in why and month != self.desk.report_this_month():
            self._first = False
            self.show_month(self.desk.report_this_month())
            return
        self._first = False
        self.report = None
        for tab in ("districts", "units", "supervision"):
            self.query_one(f"#view-{tab}", LineView).set_lines([Text(why, style="bold red")])
        self._paint_status(None, why)

    def _paint(self, month: str, report: dict) -> None:
        if month != self.month:
            return  # a later month was asked for meanwhile
        self._first = False
        self.report = report
        self._paint_tables()
        self._paint_status(report)
        self.query_one("#report-formulas", Static).update(formulas_text(report.get("formulas") or {}, report.get("ytd")))

    def _paint_tables(self) -> None:
        if self.report is None:
            return
        cells = max(self.size.width - 4, 40)
        for tab in ("districts", "units"):
            self.query_one(f"#head-{tab}", Static).update(ranking_header(cells))
            self.query_one(f"#view-{tab}", LineView).set_lines(ranking_lines(self.report[tab], cells))
        self.query_one("#head-supervision", Static).update(supervision_header(cells))
        self.query_one("#view-supervision", LineView).set_lines(supervision_lines(self.report.get("supervision") or [], cells)
                                                                + commitment_lines(self.report.get("commitments") or []))

    def _paint_status(self, report: dict | None, note: str = "") -> None:
        self.query_one("#report-status", Static).update(status_text(report, self.month or "", note))

    def on_resize(self) -> None:
        self._paint_tables()

    # --- keys ----------------------------------------------------------------------------------------
    def action_arrow(self, step: int) -> None:
        """← →: the month before/after; in the month box they move its cursor ([ and ] change the month there)."""
        box = self.query_one("#report-month", Input)
        if box.has_focus:
            box.action_cursor_left() if step < 0 else box.action_cursor_right()
            return
        self.action_month(step)

    def action_month(self, step: int) -> None:
        if self.month is None:
            return
        year, month = int(self.month[:4]), int(self.month[5:]) + step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        self.show_month(f"{year:04d}-{month:02d}")

    def action_type_month(self) -> None:
        box = self.query_one("#report-month", Input)
        box.value = ""
        box.focus()

    def action_leave_box(self) -> None:
        """Esc in the month box: back to the list, the box showing the month on screen."""
        box = self.query_one("#report-month", Input)
        if box.has_focus:
            box.value = self.month or ""
            self._focus_view()

    def _focus_view(self) -> None:
        tab = self._tab()
        self.query_one(f"#view-{tab}" if tab != "analysis" else "#report-tabs").focus()

    @on(Input.Submitted, "#report-month")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            self.desk.report_month(text)
        except HotlineError as exc:
            self.notify(str(exc), title="月份", severity="warning", markup=False)
            return
        self._focus_view()
        self.show_month(text)

    def _tab(self) -> str:
        return (self.query_one(TabbedContent).active or "tab-districts")[4:]

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"
        if tab != "analysis":
            self.query_one(f"#view-{tab}", LineView).focus()
        else:
            self._show_analysis()
            views = self.query("#analysis-view")
            if views:
                views.first().focus()

    def action_reload(self) -> None:
        if self.month:
            self.show_month(self.month)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "publish" and self.desk is not None and self.desk.may_publish_reports():
            return None  # dimmed: not a supervisor
        return True

    def on_key(self, event) -> None:
        """The dimmed publish key is explained, never silently ignored."""
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled or active.node is not self or active.binding.action != "publish":
            return
        event.stop()
        event.prevent_default()
        self.notify(self.desk.may_publish_reports() or "", title="不能发布", severity="warning", markup=False)

    def action_publish(self) -> None:
        if self.desk is None or self.month is None:
            return
        why = self.desk.may_publish_reports()
        if why:
            self.notify(why, title="发布", severity="warning", markup=False)
            return
        published = bool(self.report and self.report.get("published"))
        self.app.push_screen(PublishConfirm(self.month, published), self._confirmed)

    def _confirmed(self, choice: str | None) -> None:
        if choice:
            self._publish(self.desk, self.month, choice == "republish")

    @work(thread=True, group="reports-publish")
    def _publish(self, desk, month: str, recompute: bool) -> None:
        try:
            result = desk.publish_report(month, recompute=recompute)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="发布", severity="error", markup=False)
            return
        said = {"published": "已发布", "republished": f"已重新发布 ({len(result['changes'])} 项变化)",
                "unchanged": "重新计算无变化, 未重新发布", "already": "该月已发布, 未改动"}[result["status"]]
        self.app.call_from_thread(self.notify, f"{month} 月通报{said}", title="发布", markup=False)
        self.app.call_from_thread(self._paint, month, result["report"])

    def action_recompute(self) -> None:
        if self.desk is not None and self.month is not None:
            self._changes(self.desk, self.month)

    @work(thread=True, group="reports-changes")
    def _changes(self, desk, month: str) -> None:
        try:
            result = desk.report_changes(month)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="重算", severity="warning", markup=False)
            return
        if not result["published"]:
            text = f"{month} 未发布: 所示即按当前数据计算的结果"
        elif not result["changes"]:
            text = f"{month} 重新计算与已发布的一致"
        else:
            rows = sorted({c["name"] or c["key"] for c in result["changes"]})
            text = f"{month} 重新计算将改变 {len(result['changes'])} 项 ({'、'.join(rows[:6])}{'…' if len(rows) > 6 else ''}); p 可重新发布"
        self.app.call_from_thread(self.notify, text, title="重算对比", markup=False, timeout=8)
