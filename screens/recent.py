"""Recent tickets, newest first, one keyset page at a time (never OFFSET, never every row in memory)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import STATES, label

from screens.frame import DeskScreen
from screens.lines import LineView
from screens.text import fit, one_line

PAGE = 100
TITLE = "最近工单 (新→旧)   ↑↓/j k 移动  PgUp/PgDn 翻页  Enter 打开  Esc 返回"
CURSOR = Style(reverse=True)


def row_text(row: dict, unit_name) -> Text:
    line = Text(no_wrap=True)
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(format_local(row["registered_ms"], "%m-%d %H:%M"), 13), style="cyan")
    line.append(fit(label(STATES, row["state"]), 10))
    line.append(fit(one_line(unit_name(row.get("lead_unit")) or "-"), 18))
    line.append(one_line(row.get("summary") or ""))
    return line


class RecentList(LineView):
    """Rows arrive a page at a time; moving near the end asks for the next page."""

    BINDINGS = [
        Binding("down,j", "move(1)", "下", show=False, id="recent.down"),
        Binding("up,k", "move(-1)", "上", show=False, id="recent.up"),
        Binding("pagedown", "page(1)", "下页", show=False, id="recent.pagedown"),
        Binding("pageup", "page(-1)", "上页", show=False, id="recent.pageup"),
        Binding("home", "first", "首条", show=False, id="recent.home"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.numbers: list[str] = []
        self.cursor = 0

    def line_style(self, index: int) -> Style | None:
        return CURSOR if index == self.cursor and self.has_focus else None

    def add_rows(self, rows: list[tuple[str, Text]]) -> None:
        self.numbers.extend(n for n, _ in rows)
        self.add_lines([t for _, t in rows])

    def action_move(self, step: int) -> None:
        self.set_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.set_cursor(self.cursor + step * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.set_cursor(0)

    def set_cursor(self, index: int) -> None:
        if not self.numbers:
            return
        old, self.cursor = self.cursor, max(0, min(index, len(self.numbers) - 1))
        top, height = self.scroll_offset.y, self.size.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self._strips.pop(old, None)
        self.refresh()
        if self.cursor >= len(self.numbers) - height:
            self.screen.more()

    def on_focus(self) -> None:
        self.refresh()


class RecentScreen(DeskScreen):
    """Returns the chosen ticket number (or None) to the screen that pushed it."""

    MODE = "ticket"
    BINDINGS = [
        Binding("enter", "open", "打开", id="recent.open"),
        Binding("escape", "back", "返回", id="recent.back"),
    ]

    def __init__(self) -> None:
        super().__init__(name="recent")
        self._before: tuple[int, str] | None = None
        self._done = False
        self._loading = False

    def compose_body(self) -> ComposeResult:
        yield Static(Text(TITLE, style="dim"), id="recent-title")
        yield RecentList(id="recent-list")

    def on_mount(self) -> None:
        self.query_one(RecentList).focus()
        self.more()

    def more(self) -> None:
        if self._done or self._loading or self.desk is None:
            return
        self._loading = True
        self._fetch(self._before)

    @work(thread=True, exclusive=True, group="recent")
    def _fetch(self, before: tuple[int, str] | None) -> None:
        desk = self.desk
        try:
            rows = desk.list_tickets(limit=PAGE, before=before)
            names: dict[str, str] = {}

            def unit_name(code):
                if code and code not in names:
                    names[code] = desk.unit_name(code)
                return names.get(code, "")

            built = [(r["number"], row_text(r, unit_name)) for r in rows]
            last = (rows[-1]["registered_ms"], rows[-1]["number"]) if rows else None
        except Exception as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._arrived, built, last)

    def _arrived(self, built, last) -> None:
        self._loading = False
        lst = self.query_one(RecentList)
        if last is None or len(built) < PAGE:
            self._done = True
        if last is not None:
            self._before = last
        lst.add_rows(built)
        lst.border_title = f"{len(lst.numbers)} 件" + ("" if self._done else "+")
        if not lst.numbers:
            self.query_one("#recent-title", Static).update(Text("还没有工单。", style="dim"))

    def _failed(self, message: str) -> None:
        self._loading = False
        self.notify(message, title="最近工单", severity="error", markup=False)

    def refresh_after_sync(self, tickets: set[str]) -> None:
        """Sync brought or changed tickets: list again from the newest."""
        lst = self.query_one(RecentList)
        lst.numbers.clear()
        lst.cursor = 0
        lst.set_lines([])
        self.query_one("#recent-title", Static).update(Text(TITLE, style="dim"))
        self._before, self._done, self._loading = None, False, False
        self.more()

    def action_open(self) -> None:
        lst = self.query_one(RecentList)
        if lst.numbers:
            self.dismiss(lst.numbers[lst.cursor])

    def action_back(self) -> None:
        self.dismiss(None)
