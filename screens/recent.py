"""Recent tickets, newest first: the whole store through the one ticket list (a keyset page at a time, never
OFFSET, never every row in memory; End goes to the oldest)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import STATES, label

from screens.frame import DeskScreen
from screens.text import fit, one_line
from screens.ticket_list import TicketList, list_bindings

TITLE = "最近工单 (新→旧)   ↑↓/j k 移动  PgUp/PgDn 翻页  Home/End 首末  Enter 打开  Esc 返回"


def draw(row: dict, width: int) -> Text:
    line = Text(no_wrap=True)
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(format_local(row["registered_ms"], "%m-%d %H:%M"), 13), style="cyan")
    line.append(fit(label(STATES, row["state"]), 10))
    line.append(fit(one_line(row.get("lead_name") or "-"), 18))
    line.append(one_line(row.get("summary") or ""))
    return line


def fetch(desk, way: str, key, limit: int) -> list[dict]:
    """Every ticket, newest first (the filter language's empty filter, sort:new)."""
    kw = {"after": tuple(key)} if way == "after" else {"before": tuple(key)} if way == "before" else {}
    return desk.query_page("", sort="new", last=way == "last", limit=limit, **kw)["rows"]


class RecentList(TicketList):
    """Every ticket in the store, newest first."""

    BINDINGS = list_bindings("recent")

    def __init__(self, **kw) -> None:
        super().__init__(fetch, draw, empty="还没有工单。", **kw)


class RecentScreen(DeskScreen):
    """Returns the chosen ticket number (or None) to the screen that pushed it."""

    MODE = "ticket"
    BINDINGS = [
        Binding("enter", "open", "打开", id="recent.open"),
        Binding("escape", "back", "返回", id="recent.back"),
    ]

    def __init__(self) -> None:
        super().__init__(name="recent")

    def compose_body(self) -> ComposeResult:
        yield Static(Text(TITLE, style="dim"), id="recent-title")
        yield RecentList(id="recent-list")

    def on_mount(self) -> None:
        self.query_one(RecentList).focus()
        # the store may still be opening (a large one takes a while): list as soon as the desk is there
        self.watch(self.app, "status", lambda _status: self.query_one(RecentList).ensure_started(), init=False)

    @on(TicketList.Failed)
    def _failed(self, event: TicketList.Failed) -> None:
        self.notify(str(event.error), title="最近工单", severity="error", markup=False)

    def refresh_after_sync(self, tickets: set[str]) -> None:
        """Sync brought or changed tickets: list again from the newest."""
        self.query_one(RecentList).reload()

    def action_open(self) -> None:
        number = self.query_one(RecentList).number
        if number:
            self.dismiss(number)

    def action_back(self) -> None:
        self.dismiss(None)
