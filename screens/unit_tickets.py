"""A unit's open tickets (lead or assist), newest first, one keyset page at a time; Enter opens one in F4.

Pushed from F3 单位 by ``o``. Rows come from ``Desk.unit_open_tickets`` in a thread worker (never OFFSET,
never every row in memory); overdue tickets are marked; callers' phones arrive masked. A cadre may list only
their own unit's tickets: the facade refuses any other, and the refusal is shown here as text.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import STATES, label
from hotline_tui.errors import HotlineError

from screens.frame import DeskScreen
from screens.lines import LineView
from screens.text import fit, one_line

PAGE = 100
CURSOR = Style(reverse=True)
ROLE_TEXT = {"lead": "主办", "assist": "协办"}
TITLE = "↑↓/j k 移动  PgUp/PgDn 翻页  Enter 在 F4 打开  Esc 返回"


def due_text(row: dict) -> Text:
    """超期 N 天 (red) / 剩 N 个工作日 / 今日到期 / — without a deadline."""
    left = row.get("workdays_left")
    if row.get("due_ms") is None or left is None:
        return Text(fit("—", 14), style="dim")
    if row.get("overdue"):
        late = f"超期 {-left} 个工作日" if left < 0 else "已超期"
        return Text(fit(late, 14), style="bold red")
    return Text(fit("今日到期" if left == 0 else f"剩 {left} 个工作日", 14), style="yellow" if left <= 1 else "")


def row_text(row: dict, unit_name) -> Text:
    line = Text(no_wrap=True)
    line.append("⚠ " if row.get("overdue") else "  ", style="bold red")
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(format_local(row["registered_ms"], "%m-%d %H:%M"), 13), style="cyan")
    line.append(fit(label(STATES, row["state"]), 10))
    line.append(fit(ROLE_TEXT.get(row.get("role") or "", row.get("role") or ""), 6))
    line.append_text(due_text(row))
    if row.get("role") == "assist":
        line.append(fit("主办 " + one_line(unit_name(row.get("lead_unit")) or "-"), 20), style="dim")
    line.append(fit(one_line(row.get("caller_phone") or ""), 13), style="dim")
    line.append(one_line(row.get("summary") or ""))
    return line


class UnitTicketList(LineView):
    """Rows arrive a page at a time; moving near the end asks for the next page."""

    BINDINGS = [
        Binding("down,j", "move(1)", "下", show=False, id="unit_tickets.down"),
        Binding("up,k", "move(-1)", "上", show=False, id="unit_tickets.up"),
        Binding("pagedown", "page(1)", "下页", show=False, id="unit_tickets.pagedown"),
        Binding("pageup", "page(-1)", "上页", show=False, id="unit_tickets.pageup"),
        Binding("home", "first", "首条", show=False, id="unit_tickets.home"),
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


class UnitTicketsScreen(DeskScreen):
    """未办结工单 of one unit. Enter switches to F4 with the ticket open; Esc goes back to F3."""

    MODE = "lookup"
    DEFAULT_CSS = """
    UnitTicketsScreen #unit-tickets-title { height: 2; padding: 0 1; }
    UnitTicketsScreen #unit-tickets-list { height: 1fr; border: round $primary-darken-1; }
    UnitTicketsScreen #unit-tickets-list:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("enter", "open", "在 F4 打开", id="unit_tickets.open"),
        Binding("escape", "back", "返回", id="unit_tickets.back"),
    ]

    def __init__(self, code: str, name: str = "") -> None:
        super().__init__(name="unit-tickets")
        self.code = code
        self.unit_label = name or code
        self._before: tuple[int, str] | None = None
        self._done = False
        self._loading = False
        self.refused: str | None = None

    def compose_body(self) -> ComposeResult:
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"{one_line(self.unit_label)} 未办结工单", style="bold")
        head.append(f"  {one_line(self.code)}  (主办或协办, 新→旧; ⚠ 已超期)\n", style="dim")
        head.append(TITLE, style="dim")
        yield Static(head, id="unit-tickets-title")
        yield UnitTicketList(id="unit-tickets-list")

    def on_mount(self) -> None:
        self.query_one(UnitTicketList).focus()
        self.more()

    def more(self) -> None:
        if self._done or self._loading or self.desk is None:
            return
        self._loading = True
        self._fetch(self._before)

    @work(thread=True, exclusive=True, group="unit-tickets")
    def _fetch(self, before: tuple[int, str] | None) -> None:
        desk = self.desk
        try:
            rows = desk.unit_open_tickets(self.code, limit=PAGE, before=before)
            names: dict[str, str] = {}

            def unit_name(code):
                if code and code not in names:
                    names[code] = desk.unit_name(code)
                return names.get(code, "")

            built = [(r["number"], row_text(r, unit_name)) for r in rows]
            last = (rows[-1]["registered_ms"], rows[-1]["number"]) if rows else None
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # the store may be unavailable: say so, keep the desk up
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._arrived, built, last)

    def _arrived(self, built, last) -> None:
        self._loading = False
        lst = self.query_one(UnitTicketList)
        if last is None or len(built) < PAGE:
            self._done = True
        if last is not None:
            self._before = last
        lst.add_rows(built)
        lst.border_title = f"{len(lst.numbers)} 件" + ("" if self._done else "+")
        if not lst.numbers:
            lst.set_lines([Text("该单位没有未办结工单。", style="dim")])

    def _failed(self, message: str) -> None:
        self._loading = False
        self._done = True
        self.refused = message
        self.query_one(UnitTicketList).set_lines([Text(one_line(message), style="bold red")])
        self.notify(message, title="未办结工单", severity="error", markup=False)

    def action_open(self) -> None:
        lst = self.query_one(UnitTicketList)
        if not lst.numbers:
            return
        number = lst.numbers[lst.cursor]
        self.dismiss(None)
        open_in_ticket_area(self.app, number)

    def action_back(self) -> None:
        self.dismiss(None)


def open_in_ticket_area(app, number: str) -> None:
    """Switch to F4 and open ``number`` there, as if typed into its number box."""
    app.switch_mode("ticket")

    def open_it() -> None:
        for screen in reversed(app.screen_stack):
            if hasattr(screen, "open_ticket"):
                screen.open_ticket(number)
                return

    app.call_later(open_it)
