"""The F4 key that shows the caller's full number: asks why, then shows it here once (the reveal is audited).

``RevealForm(number, reveal)`` is a ``ModalScreen[str | None]``; ``reveal(reason)`` runs in a worker thread
(the ticket screen passes a call to ``Desk.reveal``). A refusal (no reason, a cadre, a confidential caller,
another key) is shown in the form; on success the number is shown in the form until Esc, which dismisses
with the number of the ticket revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from hotline_tui.errors import HotlineError

KEYS = "Enter 查看   Esc 取消"


class RevealForm(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "close", "关闭", id="reveal.close"),
        Binding("f8", "submit", "查看", id="reveal.submit"),
    ]

    def __init__(self, number: str, reveal: Callable[[str], dict[str, Any]]) -> None:
        super().__init__()
        self.number = number
        self._reveal = reveal
        self._busy = False
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(f"查看来电号码 · {self.number}", style="bold"), id="form-title")
            with Vertical(id="form-fields"):
                yield Label(Text("查看原因 (记入审计日志)"))
                yield Input(id="reveal-reason", placeholder="例如: 回访需核对号码", max_length=200)
            yield Static("", id="reveal-value")
            yield Static("", id="form-error")
            yield Static(Text(KEYS, style="dim"), id="form-keys")

    def on_mount(self) -> None:
        self.query_one("#reveal-reason", Input).focus()

    @on(Input.Submitted, "#reveal-reason")
    def _entered(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self._busy or self.shown is not None:
            return
        self._busy = True
        self.show_error("")
        self._run(self.query_one("#reveal-reason", Input).value)

    @work(thread=True, exclusive=True, group="reveal")
    def _run(self, reason: str) -> None:
        try:
            shown = self._reveal(reason)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        except Exception as exc:  # an unexpected failure is still explained, never silent
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self._show, str(shown["value"]))

    def _show(self, value: str) -> None:
        self._busy = False
        self.shown = value
        self.query_one("#reveal-reason", Input).disabled = True
        self.query_one("#reveal-value", Static).update(Text.assemble(("来电号码 ", "bold"), (value, "bold reverse")))
        self.query_one("#form-keys", Static).update(Text("已记入审计日志   Esc 关闭", style="dim"))

    def _failed(self, message: str) -> None:
        self._busy = False
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message, style="bold red") if message else "")

    def action_close(self) -> None:
        if not self._busy:
            self.dismiss(self.number if self.shown is not None else None)
