"""F7's small modals: start a shift (the operator and desk sat with), end it (confirm), and the operator's
confirmation of 我当接线员 (their name). Each checks through the facade in a worker and shows a refusal in place;
nothing is written until the facade accepts.

``StartShiftForm`` → ``ModalScreen[dict | None]`` (the started shift); ``EndShiftConfirm`` → the ended shift;
``TakeCallConfirm`` → the open shift once its operator has confirmed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from hotline_tui.errors import HotlineError

from screens.text import one_line

BOX_CSS = """
{cls} {{ align: center middle; }}
{cls} > Vertical {{ width: 72; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }}
{cls} Input {{ width: 100%; }}
{cls} .shift-error {{ color: $error; height: auto; }}
"""


def _problem(exc: Exception) -> str:
    return one_line(str(exc) if isinstance(exc, HotlineError) else f"{type(exc).__name__}: {exc}")


class _ShiftModal(ModalScreen[dict | None]):
    def _refused(self, message: str) -> None:
        self.query_one(".shift-error", Static).update(Text(message))
        self.app.bell()

    def _done(self, shift: dict[str, Any]) -> None:
        self.dismiss(shift)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartShiftForm(_ShiftModal):
    DEFAULT_CSS = BOX_CSS.format(cls="StartShiftForm")
    BINDINGS = [Binding("escape", "cancel", "取消", id="shift_start.cancel")]

    def __init__(self, desk_code: str = "") -> None:
        super().__init__()
        self.desk_code = desk_code

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("开始接线体悟: 陪同哪位接线员, 在哪个台?", style="bold"))
            yield Label("接线员姓名")
            yield Input(id="shift-operator", max_length=40, placeholder="例如 王芳")
            yield Label("台号")
            yield Input(id="shift-desk", max_length=6, placeholder=f"例如 A03; 不填为本台 {self.desk_code}")
            yield Static("", classes="shift-error")
            yield Static(Text("Enter 开始   Esc 取消", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#shift-operator", Input).focus()

    @on(Input.Submitted, "#shift-operator")
    def _next(self) -> None:
        self.query_one("#shift-desk", Input).focus()

    @on(Input.Submitted, "#shift-desk")
    def _submit(self) -> None:
        self._start(self.query_one("#shift-operator", Input).value, self.query_one("#shift-desk", Input).value)

    @work(thread=True, exclusive=True, group="shift-form")
    def _start(self, operator: str, desk: str) -> None:
        try:
            shift = self.app.desk.start_shift(operator, desk or None)
        except Exception as exc:  # a refusal is shown in the form, which stays open
            self.app.call_from_thread(self._refused, _problem(exc))
            return
        self.app.call_from_thread(self._done, shift)


class EndShiftConfirm(_ShiftModal):
    DEFAULT_CSS = BOX_CSS.format(cls="EndShiftConfirm")
    BINDINGS = [
        Binding("enter,y", "end", "结束体悟", id="shift_end.confirm"),
        Binding("escape,n", "cancel", "取消", id="shift_end.cancel"),
    ]

    def __init__(self, shift: dict[str, Any]) -> None:
        super().__init__()
        self.shift = shift

    def compose(self) -> ComposeResult:
        s = self.shift
        with Vertical():
            yield Static(Text(f"结束体悟? 陪同 {one_line(s['operator'])} ({one_line(s['desk'])}), 已 {s['minutes']} 分钟",
                              style="bold"))
            yield Static("", classes="shift-error")
            yield Static(Text("Enter/y 结束   Esc/n 取消", style="dim"))

    def action_end(self) -> None:
        self._end()

    @work(thread=True, exclusive=True, group="shift-form")
    def _end(self) -> None:
        try:
            shift = self.app.desk.end_shift()
        except Exception as exc:
            self.app.call_from_thread(self._refused, _problem(exc))
            return
        self.app.call_from_thread(self._done, shift)


class TakeCallConfirm(_ShiftModal):
    """The operator beside the cadre confirms by typing their name (a password too, once the desk has users)."""

    DEFAULT_CSS = BOX_CSS.format(cls="TakeCallConfirm")
    BINDINGS = [Binding("escape", "cancel", "取消", id="take_call.cancel")]

    def __init__(self, shift: dict[str, Any], with_password: bool = False) -> None:
        super().__init__()
        self.shift = shift
        self.with_password = with_password  # the desk has users (the cadre signed in): the operator's own password too

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"我当接线员: 下一通电话由 {one_line(self.shift['cadre'])} 接听。", style="bold"))
            yield Label(f"请接线员 {one_line(self.shift['operator'])} 输入本人姓名确认")
            yield Input(id="take-call-name", max_length=40)
            if self.with_password:
                yield Label("接线员本人的密码")
                yield Input(id="take-call-password", password=True, max_length=256)
            yield Static("", classes="shift-error", id="take-call-error")
            yield Static(Text("Enter 确认并转到 F2 受理   Esc 取消", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#take-call-name", Input).focus()

    @on(Input.Submitted, "#take-call-name")
    def _submit(self, event: Input.Submitted) -> None:
        if self.with_password:
            self.query_one("#take-call-password", Input).focus()
            return
        self._confirm(event.value, None)

    @on(Input.Submitted, "#take-call-password")
    def _submit_password(self, event: Input.Submitted) -> None:
        self._confirm(self.query_one("#take-call-name", Input).value, event.value)

    @work(thread=True, exclusive=True, group="shift-form")
    def _confirm(self, name: str, password: str | None) -> None:
        try:
            shift = self.app.desk.confirm_take_call(name, password)
        except Exception as exc:
            self.app.call_from_thread(self._refused, _problem(exc))
            return
        self.app.call_from_thread(self._done, shift)
