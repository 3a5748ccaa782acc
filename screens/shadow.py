"""F7 体悟 — the visiting cadre's shadow shift (接线体悟).

Beside an operator, the cadre sees what the operator is typing (read-only, polled about once a second from the
store they share), their own unit's duty card, their unit's open requests (overdue first, one keyset page at a
time through the one ticket list), and the calls heard on this shift. S starts a shift, E ends it, T takes the
next call on F2 (我当接线员, with the operator's confirmation), W and P open the commitment (不解决找我) and
duty-card forms, Enter opens the ticket under the cursor in F4.

A desk whose person is not a cadre gets one line saying F7 is the visiting cadre's, and nothing else; the
facade refuses them too.
"""

from __future__ import annotations

import importlib
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from hotline_tui.domain.permissions import role_may

from screens.frame import DeskScreen
from screens.open_ticket import open_in_ticket_area
from screens.shadow_panels import call_row, card_text, card_title, head_text, live_text, unit_row
from screens.shift_forms import EndShiftConfirm, StartShiftForm, TakeCallConfirm
from screens.text import one_line
from screens.ticket_list import TicketList, list_bindings

POLL_S = 1.0
NOT_CADRE = "F7 接线体悟是挂职干部 (处级干部接线体悟) 的区域: 本台角色为 {role}, 这里没有可看的内容。"


class UnitOpenList(TicketList):
    """The cadre's unit's open requests, by deadline: the overdue first."""

    BINDINGS = list_bindings("shadow_unit", letters=False)

    def __init__(self, **kw) -> None:
        super().__init__(self.load, unit_row, backwards=False, empty="本单位没有未办结工单。", **kw)

    def load(self, desk, way: str, key, limit: int) -> list[dict]:
        unit = desk.settings.unit or ""
        if not unit:
            return []
        rows = desk.unit_open_tickets(unit, limit=limit, before=tuple(key) if way == "after" else None, order="due")
        for row in rows:
            row["key"] = (row["due_key"], row["number"])
        return rows


class ShiftCallList(TicketList):
    """The calls heard on this shift, newest first (those the cadre took marked 我接)."""

    BINDINGS = list_bindings("shadow_calls", letters=False)

    def __init__(self, **kw) -> None:
        super().__init__(self.load, call_row, backwards=False, empty="本班次还没有来电。", **kw)

    def load(self, desk, way: str, key, limit: int) -> list[dict]:
        rows = desk.shift_calls(limit=limit, before=tuple(key) if way == "after" else None)
        for row in rows:
            row["key"] = (row["registered_ms"], row["number"])
        return rows


class ShadowScreen(DeskScreen):
    MODE = "shadow"
    DEFAULT_CSS = """
    ShadowScreen #shadow-head { height: 1; padding: 0 1; }
    ShadowScreen #shadow-refused { padding: 1 2; color: $text-muted; }
    ShadowScreen #shadow-top { height: 5; }
    ShadowScreen #shadow-live, ShadowScreen #shadow-card { width: 1fr; height: 5; border: round $primary-darken-1;
        padding: 0 1; }
    ShadowScreen.-wide #shadow-top, ShadowScreen.-wide #shadow-live, ShadowScreen.-wide #shadow-card { height: 8; }
    ShadowScreen #shadow-counts { height: 1; padding: 0 1; }
    ShadowScreen #shadow-unit { height: 1fr; border: round $primary-darken-1; }
    ShadowScreen #shadow-calls { height: 6; border: round $primary-darken-1; }
    ShadowScreen TicketList:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("s", "start", "开始体悟", id="shadow.start"),
        Binding("e", "end", "结束体悟", id="shadow.end"),
        Binding("t", "take_call", "我来接听", id="shadow.take_call"),
        Binding("w", "commit", "不解决找我", id="shadow.commit"),
        Binding("p", "card", "更新职责清单", id="shadow.card"),
        Binding("enter", "open", "在 F4 打开", id="shadow.open"),
        Binding("tab", "switch_list", "切换列表", id="shadow.switch"),
        Binding("escape", "back", "返回 F4", id="shadow.back"),
    ]

    def __init__(self) -> None:
        super().__init__(name="shadow")
        self.status: dict[str, Any] = {"shift": None, "draft": None, "heard": 0, "taken": 0}
        self.card: dict[str, Any] | None = None
        self.counts: dict[str, int] | None = None
        self._polling = False

    @property
    def is_cadre(self) -> bool:
        return role_may(self.app.settings.role, "shift")

    def compose_body(self) -> ComposeResult:
        if not self.is_cadre:
            yield Static(Text(NOT_CADRE.format(role=one_line(self.app.settings.role))), id="shadow-refused")
            return
        yield Static("", id="shadow-head")
        with Horizontal(id="shadow-top"):
            yield Static(live_text(self.status), id="shadow-live")
            yield Static(card_text(None, self.unit), id="shadow-card")
        yield Static("", id="shadow-counts")
        yield UnitOpenList(id="shadow-unit")
        yield ShiftCallList(id="shadow-calls")

    @property
    def unit(self) -> str:
        return self.app.settings.unit or ""

    def on_mount(self) -> None:
        if not self.is_cadre:
            return
        self.query_one("#shadow-live").border_title = "正在受理 (只读)"
        self.query_one("#shadow-card").border_title = "本处室职责清单"
        self.query_one("#shadow-unit").border_title = "本单位未办结 (超期在前)"
        self.query_one("#shadow-calls").border_title = "本班次来电"
        self._show_head()
        self.query_one(UnitOpenList).focus()
        self.watch(self.app, "status", self._desk_status)
        self.set_interval(POLL_S, self._poll)

    def on_screen_resume(self) -> None:
        if self.is_cadre and self.desk is not None:
            self._load_unit()
            self._poll()

    def _desk_status(self, _status=None) -> None:
        """The desk opened (or the header changed): start what waits for it."""
        if self.desk is not None and self.card is None and self.counts is None:
            for tickets in self.query(TicketList):
                tickets.ensure_started()
            self._load_unit()
            self._poll()

    # --- reading (workers) ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="shadow-unit")
    def _load_unit(self) -> None:
        desk = self.desk
        if desk is None or not self.unit:
            return
        card = counts = None
        try:
            card = desk.unit_card(self.unit)
            counts = desk.unit_open_count(self.unit)
        except Exception as exc:  # the store or directory may be unavailable: say so, keep the desk up
            self.app.call_from_thread(self.notify, f"本单位信息读取失败: {exc}", severity="warning", markup=False)
        self.app.call_from_thread(self._unit_loaded, card, counts)

    def _unit_loaded(self, card, counts) -> None:
        self.card, self.counts = card, counts
        box = self.query_one("#shadow-card", Static)
        box.update(card_text(card, self.unit))
        box.border_title = card_title(card)
        self._show_counts()

    def _poll(self) -> None:
        if self.desk is None or self._polling or not self.is_cadre or not self.is_current:
            return  # F7 not on screen: read again when it is (on_screen_resume)
        self._polling = True
        self._poll_worker(self.desk)

    @work(thread=True, exclusive=True, group="shadow-poll")
    def _poll_worker(self, desk) -> None:
        try:
            status = desk.shadow_poll()
        except Exception:
            status = None  # a busy or unavailable store: try again at the next tick
        self.app.call_from_thread(self._polled, status)

    def _polled(self, status: dict[str, Any] | None) -> None:
        self._polling = False
        if status is None:
            return
        before = self.status
        self.status = status
        self._show_head()
        self.query_one("#shadow-live", Static).update(live_text(status))
        self._show_counts()
        old = (before.get("shift") or {}).get("id"), before.get("heard")
        if old != ((status.get("shift") or {}).get("id"), status.get("heard")):
            self.query_one(ShiftCallList).reload()

    def _show_head(self) -> None:
        desk = self.desk
        unit_name = desk.unit_name(self.unit) if desk is not None and self.unit else self.unit
        why = desk.may_shift() if desk is not None else None
        self.query_one("#shadow-head", Static).update(head_text(self.status, unit_name, self.app.settings.operator, why))

    def _show_counts(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        c = self.counts
        if c is not None:
            out.append(f"本单位未办结 {c['open']} 件", style="bold")
            if c.get("overdue"):
                out.append(f" (超期 {c['overdue']})", style="bold red")
        out.append("    Tab 切换列表  Enter 在 F4 打开", style="dim")
        self.query_one("#shadow-counts", Static).update(out)

    # --- actions --------------------------------------------------------------------------------------
    def _desk_or_say(self) -> bool:
        if self.desk is None:
            self.notify("工单库正在打开, 请稍候", severity="warning")
            return False
        return True

    def action_start(self) -> None:
        if not self.is_cadre or not self._desk_or_say():
            return
        if self.status.get("shift"):
            s = self.status["shift"]
            self.notify(f"已在体悟中: 陪同 {s['operator']} ({s['desk']}); 先按 E 结束", severity="warning", markup=False)
            return
        self.app.push_screen(StartShiftForm(self.app.settings.desk), self._changed_shift)

    def action_end(self) -> None:
        if not self.is_cadre or not self._desk_or_say():
            return
        if not self.status.get("shift"):
            self.notify("没有进行中的体悟可结束", severity="warning")
            return
        self.app.push_screen(EndShiftConfirm(self.status["shift"]), self._changed_shift)

    def _changed_shift(self, shift: dict[str, Any] | None) -> None:
        if shift is None:
            return
        if shift["status"] == "open":
            self.notify(f"体悟开始: 陪同 {shift['operator']} ({shift['desk']})", title="F7 体悟", markup=False)
        else:
            self.notify(f"体悟结束: {shift['minutes']} 分钟", title="F7 体悟", markup=False)
        self._poll_now()

    def _poll_now(self) -> None:
        self._polling = False
        self._poll()

    def action_take_call(self) -> None:
        if not self.is_cadre or not self._desk_or_say():
            return
        shift = self.status.get("shift")
        if not shift:
            self.notify("没有进行中的体悟: 先按 S 开始体悟, 再接听", severity="warning")
            return
        self.app.push_screen(TakeCallConfirm(shift, with_password=self.app.desk.signed_in), self._take)

    def _take(self, shift: dict[str, Any] | None) -> None:
        if shift is None:
            return
        app = self.app
        app.switch_mode("intake")

        def start() -> None:
            for screen in reversed(app.screen_stack):
                taking = getattr(screen, "taking", None)
                if taking is not None:
                    taking.start(shift)
                    return

        app.call_later(start)

    def _form(self, module: str, name: str, what: str, *args) -> None:
        """Open a form another part of the desk provides (imported when asked for); say so when it is missing."""
        try:
            form = getattr(importlib.import_module(f"screens.{module}"), name)
        except (ImportError, AttributeError):
            self.notify(f"{what} 尚未接入本台 (screens/{module}.py)", title="F7 体悟", severity="warning", markup=False)
            return
        try:
            self.app.push_screen(form(*args))
        except Exception as exc:  # a form of another shape: say so rather than fail
            self.notify(f"{what} 无法打开: {exc}", title="F7 体悟", severity="error", markup=False)

    def action_commit(self) -> None:
        number = self._focused_number()
        if not number:
            self.notify("先在列表中选中一件工单, 再按 W", severity="warning")
            return
        self._form("commit_form", "CommitForm", "不解决找我", number)

    def action_card(self) -> None:
        if not self.unit:
            self.notify("本单位未设置", severity="warning")
            return
        self._form("card_form", "CardForm", "更新职责清单", self.unit)

    def _focused_number(self) -> str | None:
        focused = self.focused
        tickets = focused if isinstance(focused, TicketList) else None
        if tickets is None:
            found = list(self.query(UnitOpenList))
            tickets = found[0] if found else None
        return tickets.number if tickets is not None else None

    def action_open(self) -> None:
        number = self._focused_number() if self.is_cadre else None
        if number:
            open_in_ticket_area(self.app, number, back_to="shadow")

    def action_switch_list(self) -> None:
        if not self.is_cadre:
            return
        unit, calls = self.query_one(UnitOpenList), self.query_one(ShiftCallList)
        (calls if unit.has_focus else unit).focus()

    def action_back(self) -> None:
        self.app.switch_mode("ticket")

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("start", "end", "take_call", "commit", "card", "open", "switch_list") and not self.is_cadre:
            return False
        return True

    @on(TicketList.Failed)
    def _failed(self, event: TicketList.Failed) -> None:
        event.ticket_list.show_note(Text(one_line(str(event.error)), style="bold red"))

    def refresh_after_sync(self, tickets: set[str]) -> None:
        if self.is_cadre:
            self.query_one(UnitOpenList).reload(keep_place=True)
            self._load_unit()
            self._poll_now()
