"""F5 督办: the supervisors' workbench. A filter line (the filter language, read as it is typed, faults shown
in place, completion on Tab, the count beside it), preset views on 1–9 and 0, one long list of tickets, grouped
counts on g, marks and the supervisor's actions on the marked set, saved filters.

The list is ``TicketList`` (one keyset page at a time); every store read runs in a worker through the Desk
facade; the screen keeps its filter, list place and marks while another area is open (Enter opens a ticket in
F4, Esc there comes back here).
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Static

from hotline_tui.domain.actions import SPECS
from hotline_tui.domain.vocabulary import FLAGS, STATES, label
from hotline_tui.errors import HotlineError
from hotline_tui.query.presets import BY_KEY, PRESETS

from screens.filter_line import FilterLine
from screens.open_ticket import open_in_ticket_area
from screens.supervise_actions import SuperviseActions
from screens.supervise_filter import SuperviseFilter
from screens.supervise_rows import draw, header
from screens.text import one_line
from screens.ticket_list import TicketList, list_bindings

BULK = ("urge", "supervise", "list", "escalate")
SORT_CYCLE = ("due", "age", "new", "repeats", "unit")
_SORT_TERM = re.compile(r"(^|\s)sort:\S*")


def with_sort(text: str, sort: str) -> str:
    """``text`` with its sort: term set to ``sort`` (replaced where it is, else added at the end)."""
    if _SORT_TERM.search(text):
        return _SORT_TERM.sub(lambda m: f"{m.group(1)}sort:{sort}", text, count=1)
    return f"{text.rstrip()} sort:{sort}".strip()


class SuperviseScreen(SuperviseFilter, SuperviseActions):
    MODE = "supervise"
    AUTO_FOCUS = "#tickets"  # the list takes the keys; / or f goes to the filter line
    BINDINGS = [
        Binding("slash,f", "edit_filter", "筛选", id="supervise.filter"),
        *(Binding(p.key, f"preset('{p.key}')", p.name, show=False, id=f"supervise.preset{p.key}") for p in PRESETS),
        Binding("enter", "open", "打开", id="supervise.open"),
        Binding("space", "mark", "标记", id="supervise.mark"),
        Binding("a", "mark_all", "全选", id="supervise.mark_all"),
        *(Binding(SPECS[a].key, f"bulk('{a}')", SPECS[a].label, id=f"supervise.{a}") for a in BULK),
        Binding("g", "groups", "分组", id="supervise.groups"),
        Binding("o", "sort", "排序", id="supervise.sort"),
        Binding("w", "save", "存筛选", id="supervise.save"),
        Binding("v", "saved", "已存", id="supervise.saved"),
        Binding("ctrl+r", "reload", "刷新", show=False, id="supervise.reload"),
        Binding("escape", "clear_marks", "取消标记", show=False, id="supervise.clear_marks"),
    ]

    def __init__(self) -> None:
        super().__init__(name="supervise")
        self.filter_text = ""  # the filter the list shows
        self.all_marked = False
        self.total: int | None = None
        self._generation = 0  # of the filter read last (typed, chosen)
        self._listing = 0  # of the list on screen and its count
        self._started = False

    # --- layout --------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield Label("筛选 ", id="filter-label")
            yield FilterLine(id="filter", placeholder="例如 overdue unit:市北区 channel:信访   Tab 补全  Enter 到列表")
            yield Static("", id="filter-count")
        yield Static("", id="filter-note")
        yield Static("", id="filter-hints")
        yield Static("", id="list-header")
        yield SuperviseList(self._fetch_rows, self._draw_row, marks=True, empty="没有符合筛选的工单。", id="tickets",
                            on_move=lambda row: self._show_preview())
        yield Static("", id="preview")

    def on_mount(self) -> None:
        self.watch(self.app, "status", self._desk_maybe_ready, init=True)
        self._show_hints()

    def on_resize(self) -> None:
        self.query_one("#list-header", Static).update(header(self.query_one(TicketList).size.width or self.size.width), layout=False)
        self._show_hints()

    def _desk_maybe_ready(self, _status) -> None:
        if self._started or self.desk is None:
            return
        self._started = True
        self._first_filter(self.desk)

    @work(thread=True, group="supervise-start")
    def _first_filter(self, desk) -> None:
        try:
            text = desk.saved_filters().last
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="已存筛选", severity="warning", markup=False)
            text = None
        self.app.call_from_thread(self._start, PRESETS[0].filter if text is None else text)

    def _start(self, text: str) -> None:
        """The store is open: list the last filter (or the first preset), unless a filter was typed meanwhile."""
        line = self.query_one(FilterLine)
        if line.has_focus or line.value:
            self.apply(line.value, remember=False)
            return
        line.value = text
        self.apply(text, remember=False)
        self.query_one(TicketList).focus()

    # --- the list ------------------------------------------------------------------------------------
    def _fetch_rows(self, desk, way: str, key, limit: int) -> list[dict]:
        text = self.filter_text
        if way == "first":
            page = desk.query_page(text, limit=limit)
        elif way == "last":
            page = desk.query_page(text, last=True, limit=limit)
        elif way == "after":
            page = desk.query_page(text, after=tuple(key), limit=limit)
        else:
            page = desk.query_page(text, before=tuple(key), limit=limit)
        return page["rows"]

    def _draw_row(self, row: dict, width: int) -> Text:
        desk = self.desk
        return draw(row, width, desk._now() if desk is not None else 0)

    @on(TicketList.Loaded)
    def _loaded(self, event: TicketList.Loaded) -> None:
        self.query_one("#list-header", Static).update(header(event.ticket_list.size.width or self.size.width), layout=False)
        self._show_preview()

    @on(TicketList.Failed)
    def _failed(self, event: TicketList.Failed) -> None:
        error = event.error
        message = str(error) if isinstance(error, HotlineError) else f"{type(error).__name__}: {error}"
        self.notify(message, title="督办工作台", severity="error", markup=False)

    def _show_preview(self) -> None:
        tickets = self.query_one(TicketList)
        row = tickets.row
        text = Text(no_wrap=True, overflow="ellipsis")
        where = tickets.list_position
        if self.all_marked:
            text.append(f"已选全部 {self.total:,} 件  " if self.total is not None else "已选全部  ", style="bold yellow")
        elif tickets.marked:
            text.append(f"已标记 {len(tickets.marked):,} 件  ", style="bold yellow")
        if row is None:
            self.query_one("#preview", Static).update(text, layout=False)
            return
        if where is not None:
            text.append(f"{where + 1:,}/{self.total:,}  " if self.total is not None else f"第 {where + 1:,} 件  ", style="dim")
        text.append(row["number"], style="bold")
        text.append(f" {label(STATES, row['state'])} ")
        flags = [label(FLAGS, f) for f in row.get("flags", ())]
        if flags:
            text.append(" ".join(flags) + " ", style="magenta")
        text.append(one_line(row.get("summary") or ""), style="italic")
        self.query_one("#preview", Static).update(text, layout=False)

    def refresh_after_sync(self, tickets: set[str]) -> None:
        """Sync changed tickets: list again from the row under the cursor, and count again."""
        if self.filter_text is not None and self._started:
            self.query_one(TicketList).reload(keep_place=True)
            self._count()

    # --- keys ----------------------------------------------------------------------------------------
    def action_edit_filter(self) -> None:
        line = self.query_one(FilterLine)
        line.focus()
        line.cursor_position = len(line.value)

    def action_preset(self, key: str) -> None:
        preset = BY_KEY[key]
        self.query_one(FilterLine).value = preset.filter
        self.apply(preset.filter)

    def action_sort(self) -> None:
        match = re.search(r"(?:^|\s)sort:(\S*)", self.filter_text)
        current = match.group(1) if match else None
        nxt = SORT_CYCLE[(SORT_CYCLE.index(current) + 1) % len(SORT_CYCLE)] if current in SORT_CYCLE else "due"
        text = with_sort(self.filter_text, nxt)
        self.query_one(FilterLine).value = text
        self.apply(text)

    def action_open(self) -> None:
        number = self.query_one(TicketList).number
        if number:
            open_in_ticket_area(self.app, number, back_to=self.MODE)

    def action_mark(self) -> None:
        tickets = self.query_one(TicketList)
        if self.all_marked:
            self.all_marked = False
        tickets.toggle_mark()
        tickets.action_move(1)
        self._show_preview()

    def action_mark_all(self) -> None:
        self.all_marked = not self.all_marked
        self.query_one(TicketList).clear_marks()
        self._show_preview()

    def action_clear_marks(self) -> None:
        self.all_marked = False
        self.query_one(TicketList).clear_marks()
        self._show_preview()

    def action_reload(self) -> None:
        self.query_one(TicketList).reload(keep_place=True)
        self._count()

    def action_groups(self) -> None:
        from screens.group_view import GroupScreen

        def drill(term: str | None) -> None:
            if term:
                text = f"{self.filter_text} {term}".strip()
                self.query_one(FilterLine).value = text
                self.apply(text)

        self.app.push_screen(GroupScreen(self.filter_text), drill)

    def action_save(self) -> None:
        from screens.saved_filters import SaveFilter

        def saved(name: str | None) -> None:
            if name:
                self.notify(f"已保存为「{name}」", title="筛选", markup=False)

        self.app.push_screen(SaveFilter(self.filter_text), saved)

    def action_saved(self) -> None:
        from screens.saved_filters import SavedFilters

        def chosen(text: str | None) -> None:
            if text is not None:
                self.query_one(FilterLine).value = text
                self.apply(text)

        self.app.push_screen(SavedFilters(), chosen)

class SuperviseList(TicketList):
    BINDINGS = list_bindings("supervise", letters=False)  # j is 移交 here, as on F4
