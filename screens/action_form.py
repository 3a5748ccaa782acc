"""The small form an action key opens: exactly the fields its ActionSpec lists.

``ActionForm(spec, number, submit)`` is a ``ModalScreen[dict | None]``: ``submit(fields)`` runs in a
worker thread (the ticket screen passes a call to ``Desk.act``). A refusal or a bad value is shown in
the form with everything typed kept; on success the form dismisses with the fields it sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from hotline_tui.errors import HotlineError

from screens.unit_hook import open_unit_picker

PLACEHOLDERS = {
    "unit": "单位代码, 如 370203021  (ctrl+u 查找单位)",
    "units": "单位代码, 逗号分隔  (ctrl+u 查找单位)",
    "ticket": "工单编号, 如 QD-A01-20261125-0001",
    "int": "整数",
}


class ActionForm(ModalScreen[dict | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "提交", id="form.submit"),
        Binding("f8", "submit", "提交", id="form.submit_f8"),
        Binding("escape", "cancel", "取消", id="form.cancel"),
        # priority: a focused Input would otherwise take ctrl+u as "delete to the start of the line"
        Binding("ctrl+u", "pick_unit", "查找单位", id="form.pick_unit", priority=True),
    ]

    def __init__(self, spec: Any, number: str, submit: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__()
        self.spec = spec
        self.number = number
        self._submit = submit
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(f"{self.spec.label} · {self.number}", style="bold"), id="form-title")
            with VerticalScroll(id="form-fields"):
                for f in self.spec.fields:
                    yield Label(Text(f.label + ("" if f.required else " (可选)")))
                    yield self._field_widget(f)
                if not self.spec.fields:
                    yield Label("此操作无需填写。")
            yield Static("", id="form-error")
            yield Static(Text("Enter 下一项 / 提交   ctrl+s 或 F8 提交   Esc 取消", style="dim"), id="form-keys")

    def _field_widget(self, f: Any):
        wid = f"field-{f.name}"
        if f.kind in ("choice", "bool"):
            return RadioSet(*(RadioButton(text, name=code) for code, text in f.choices.items()), id=wid)
        if f.kind == "int":
            return Input(id=wid, type="integer", placeholder=PLACEHOLDERS["int"])
        return Input(id=wid, placeholder=PLACEHOLDERS.get(f.kind, ""), classes=f"kind-{f.kind}")

    def on_mount(self) -> None:
        self.focus_next()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.spec.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, RadioSet):
                pressed = widget.pressed_button
                if pressed is not None:
                    out[f.name] = pressed.name
            else:
                value = widget.value.strip()
                if value:
                    out[f.name] = value
        return out

    @on(Input.Submitted)
    def _next_or_submit(self, event: Input.Submitted) -> None:
        inputs = [w for w in self.query("#form-fields > *") if w.can_focus]
        if inputs and event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.show_error("")
        self.query_one("#form-keys", Static).update(Text("提交中…", style="dim"))
        self._run(self.values())

    @work(thread=True, exclusive=True, group="act")
    def _run(self, fields: dict[str, Any]) -> None:
        try:
            self._submit(fields)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        except Exception as exc:  # an unexpected failure is still explained, never silent
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self.dismiss, fields)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.show_error(message)
        self.query_one("#form-keys", Static).update(Text("Enter 下一项 / 提交   ctrl+s 或 F8 提交   Esc 取消", style="dim"))

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message, style="bold red") if message else "")

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)

    def action_pick_unit(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or not (focused.has_class("kind-unit") or focused.has_class("kind-units")):
            self.notify("先把光标移到单位栏", severity="warning")
            return
        multiple = focused.has_class("kind-units")

        # the picker starts on what the field holds (its last item, for a list) and the pick replaces it
        kept, _, typed = focused.value.rpartition(",") if multiple else ("", "", focused.value)
        typed = typed.strip()

        def chosen(code: str | None) -> None:
            if code:
                focused.value = f"{kept.rstrip(', ')}, {code}" if kept.strip() else code

        open_unit_picker(self.app, chosen, query=typed)
