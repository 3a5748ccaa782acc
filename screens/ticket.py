"""F4 工单: open a ticket by number, see its header and whole timeline, act on it by single keys."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from hotline_tui.domain.actions import SPECS
from hotline_tui.errors import HotlineError

from screens.action_form import ActionForm
from screens.frame import DeskScreen
from screens.lines import LineView
from screens.ticket_page import TicketPage, build_page

SHARED_W = ("answer", "commit")  # one key, w: a cadre's commitment, the others' direct answer
NO_TICKET = "先打开一个工单: ctrl+o 输入编号, 或 / 最近工单"


def _act_bindings() -> list[Binding]:
    return [Binding(spec.key, f"act('{name}')", spec.label, id=f"ticket.{name}") for name, spec in SPECS.items()]


class Timeline(LineView):
    """Every event of the ticket, oldest first; one line each."""


class TicketScreen(DeskScreen):
    MODE = "ticket"
    BINDINGS = [
        # priority: acted on as the key is read, so a number typed right after it goes into the box
        # instead of reaching the old focus, where its letters would be action keys
        Binding("ctrl+o", "focus_number", "编号", id="ticket.number", priority=True),
        # priority: "/" is never part of a ticket number, so it opens the list even from the number box
        Binding("slash", "recent", "最近工单", id="ticket.recent", priority=True),
        Binding("ctrl+l", "recent", "最近工单", show=False, id="ticket.recent_alt"),
        Binding("ctrl+r", "reload", "刷新", id="ticket.reload"),
        Binding("escape", "back", "返回", id="ticket.back"),
        Binding("h", "reveal", "查看号码", id="ticket.reveal"),  # the full number, with a reason (audited)
        *_act_bindings(),
    ]

    def __init__(self) -> None:
        super().__init__(name="ticket")
        self.page: TicketPage | None = None
        self._wanted: str | None = None
        self.back_to: str | None = None  # the area a ticket was opened from (Esc goes back there)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="ticket-bar"):
            yield Label("工单编号 ", id="number-label")
            yield Input(id="number", placeholder="例如 QD-A01-20261125-0001, Enter 打开;  ctrl+l 最近工单")
        yield Static(Text(NO_TICKET, style="dim"), id="ticket-header")
        yield Timeline(id="timeline")

    # --- loading ---------------------------------------------------------------------------------
    @on(Input.Submitted, "#number")
    def _number_entered(self, event: Input.Submitted) -> None:
        number = event.value.strip().upper()
        if number:
            self.open_ticket(number)

    def open_ticket(self, number: str) -> None:
        if self.desk is None:
            self.notify("工单库正在打开, 请稍候再按 Enter", severity="warning")
            return
        self.query_one("#number", Input).value = number
        self._wanted = number
        self._load(number)

    @work(thread=True, exclusive=True, group="ticket-load")
    def _load(self, number: str) -> None:
        desk = self.desk
        try:
            page = build_page(desk.show(number), desk)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="打开工单", severity="error", markup=False)
            return
        self.app.call_from_thread(self._show_page, page)

    def _show_page(self, page: TicketPage) -> None:
        if page.number != self._wanted:
            return  # a slower, earlier load finishing after a newer one: keep the newer
        self.page = page
        self.query_one("#ticket-header", Static).update(page.header)
        timeline = self.query_one(Timeline)
        timeline.border_title = f"时间线 · {len(page.timeline)} 条"
        timeline.set_lines(page.timeline, scroll_end=True)
        if self.focused is None or isinstance(self.focused, Input):
            timeline.focus()
        self.refresh_bindings()

    # --- keys ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            name = str(parameters[0])
            if name in SHARED_W and self._w_is(name) is False:
                return False  # w is the commitment (不解决找我) for a cadre, answering (直接答复) for the others
            return self.refusal(name) is None or None
        if action == "reload":
            return self.page is not None or None
        if action == "reveal":
            return self.refusal("reveal") is None or None
        if action == "back":
            return self.back_to is not None
        return True

    def _w_is(self, name: str) -> bool:
        cadre = getattr(getattr(self.desk, "settings", None), "role", "") == "cadre"
        return (name == "commit") == cadre

    def refusal(self, name: str) -> str | None:
        if self.page is None:
            return NO_TICKET
        return self.page.allowed.get(name, f"unknown action {name}")

    def on_key(self, event: events.Key) -> None:
        """A dimmed action key is explained, never silently ignored."""
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled or active.node is not self:
            return
        action = active.binding.action
        if action == "reveal":
            event.stop()
            event.prevent_default()
            self.notify(self.refusal("reveal") or "", title="不能查看号码", severity="warning", markup=False)
        elif action.startswith("act("):
            name = action[5:-2]
            event.stop()
            event.prevent_default()
            self.notify(self.refusal(name) or "", title=f"不能{SPECS[name].label}", severity="warning", markup=False)

    def action_act(self, name: str) -> None:
        page, desk = self.page, self.desk
        if page is None or desk is None:
            return
        number = page.number
        if name == "commit":
            self._commit(number)
            return

        def submit(fields):
            return desk.act(number, name, fields)

        def done(fields: dict | None) -> None:
            if fields is not None:
                self.notify(f"{SPECS[name].label} 已记录", title=number, markup=False)
                self.open_ticket(number)

        self.app.push_screen(ActionForm(SPECS[name], number, submit), done)

    def _commit(self, number: str) -> None:
        """不解决找我: the cadre's own form (screens/commit_form.py), shared with F7."""
        from screens.commit_form import CommitForm

        def done(fields: dict | None) -> None:
            if fields is not None:
                self.notify(f"不解决找我 已记录: {fields.get('due', '')} 前办结", title=number, markup=False)
                self.open_ticket(number)

        self.app.push_screen(CommitForm(number), done)

    def action_reveal(self) -> None:
        page, desk = self.page, self.desk
        if page is None or desk is None:
            return
        from screens.reveal_form import RevealForm

        number = page.number
        self.app.push_screen(RevealForm(number, lambda reason: desk.reveal(number, reason)))

    def action_focus_number(self) -> None:
        box = self.query_one("#number", Input)
        self.set_focus(box)  # at once (widget.focus() waits for the queue), for the keys typed next
        box.select_all()

    def action_back(self) -> None:
        """Esc: back to the list the ticket was opened from, at the same place."""
        if self.back_to is not None:
            mode, self.back_to = self.back_to, None
            self.app.switch_mode(mode)

    def action_reload(self) -> None:
        if self.page is not None:
            self.open_ticket(self.page.number)

    def refresh_after_sync(self, tickets: set[str]) -> None:
        """Sync changed these tickets: show the open (or awaited) one again."""
        number = self.page.number if self.page is not None else self._wanted
        if number in tickets:
            self.open_ticket(number)

    def action_recent(self) -> None:
        from screens.recent import RecentScreen

        def chosen(number: str | None) -> None:
            if number:
                self.open_ticket(number)

        self.app.push_screen(RecentScreen(), chosen)
