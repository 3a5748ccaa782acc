"""A unit's open tickets (lead or assist), newest first, one keyset page at a time; Enter opens one in F4.

Pushed from F3 单位 by ``o``. Rows come from ``Desk.unit_open_tickets`` in a thread worker through the one ticket
list (never OFFSET, never every row in memory; this source pages forward only, so End goes as far as has been
read); overdue tickets are marked; callers' phones arrive masked. A cadre may list only their own unit's tickets:
the facade refuses any other, and the refusal is shown here as text.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import STATES, label
from hotline_tui.errors import HotlineError

from screens.frame import DeskScreen
from screens.open_ticket import open_in_ticket_area
from screens.text import fit, one_line
from screens.ticket_list import TicketList, list_bindings

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


def draw(row: dict, width: int) -> Text:
    line = Text(no_wrap=True)
    line.append("⚠ " if row.get("overdue") else "  ", style="bold red")
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(format_local(row["registered_ms"], "%m-%d %H:%M"), 13), style="cyan")
    line.append(fit(label(STATES, row["state"]), 10))
    line.append(fit(ROLE_TEXT.get(row.get("role") or "", row.get("role") or ""), 6))
    line.append_text(due_text(row))
    if row.get("role") == "assist":
        line.append(fit("主办 " + one_line(row.get("lead_name") or "-"), 20), style="dim")
    line.append(fit(one_line(row.get("caller_phone") or ""), 13), style="dim")
    line.append(one_line(row.get("summary") or ""))
    return line


class UnitTicketList(TicketList):
    """One unit's open tickets, newest first."""

    BINDINGS = list_bindings("unit_tickets")

    def __init__(self, code: str, **kw) -> None:
        super().__init__(self.load_unit, draw, backwards=False, empty="该单位没有未办结工单。", **kw)
        self.code = code

    def load_unit(self, desk, way: str, key, limit: int) -> list[dict]:
        rows = desk.unit_open_tickets(self.code, limit=limit, before=tuple(key) if way == "after" else None)
        for row in rows:
            row["key"] = (row["registered_ms"], row["number"])
            row["lead_name"] = desk.unit_name(row.get("lead_unit"))
        return rows


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
        self.refused: str | None = None

    def compose_body(self) -> ComposeResult:
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"{one_line(self.unit_label)} 未办结工单", style="bold")
        head.append(f"  {one_line(self.code)}  (主办或协办, 新→旧; ⚠ 已超期)\n", style="dim")
        head.append(TITLE, style="dim")
        yield Static(head, id="unit-tickets-title")
        yield UnitTicketList(self.code, id="unit-tickets-list")

    def on_mount(self) -> None:
        self.query_one(UnitTicketList).focus()

    @on(TicketList.Loaded)
    def _loaded(self, event: TicketList.Loaded) -> None:
        tickets = event.ticket_list
        tickets.border_title = f"{len(tickets.rows)} 件" + ("" if tickets.at_end else "+")

    def refresh_after_sync(self, tickets: set[str]) -> None:
        """Sync brought or changed tickets: list the unit's open tickets again from the newest."""
        if self.refused is None:
            self.query_one(UnitTicketList).reload()

    @on(TicketList.Failed)
    def _failed(self, event: TicketList.Failed) -> None:
        error = event.error
        # a refusal (a cadre, another unit) is said as it is; the store may be unavailable: say so, keep the desk up
        message = str(error) if isinstance(error, HotlineError) else f"{type(error).__name__}: {error}"
        self.refused = message
        event.ticket_list.show_note(Text(one_line(message), style="bold red"))
        self.notify(message, title="未办结工单", severity="error", markup=False)

    def action_open(self) -> None:
        number = self.query_one(UnitTicketList).number
        if not number:
            return
        self.dismiss(None)
        open_in_ticket_area(self.app, number)

    def action_back(self) -> None:
        self.dismiss(None)
