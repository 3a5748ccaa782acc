"""Saving a dispatch with no lead unit chosen: take a suggested unit in one key, or go back.

``DispatchConfirm(suggestions)`` is a ``ModalScreen[str | None]``: Enter takes the first suggestion,
1/2/3 take that one, Esc returns None and the form is as it was.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from screens.text import one_line


class DispatchConfirm(ModalScreen[str | None]):
    DEFAULT_CSS = """
    DispatchConfirm { align: center middle; }
    #confirm-box { width: 90; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [
        Binding("enter", "take(1)", "派单至建议1", id="confirm.take1"),
        Binding("escape", "back", "返回", id="confirm.back"),
    ]

    def __init__(self, suggestions: list[dict[str, Any]]) -> None:
        super().__init__()
        self.suggestions = suggestions[:3]

    def compose(self) -> ComposeResult:
        out = Text("未选主办单位。派单至:\n\n", style="bold")
        for i, s in enumerate(self.suggestions, 1):
            out.append(f" {i} ", style="bold reverse" if i == 1 else "bold")
            out.append(f" {one_line(s.get('name', ''))}", style="bold" if i == 1 else "")
            out.append(f"  {one_line(s.get('path', ''))}", style="dim")
            reason = one_line(s.get("reason") or "")
            if reason:
                out.append(f"  {reason}", style="italic")
            out.append("\n")
        out.append("\nEnter 派单至 1   2/3 派单至该单位   Esc 返回表单", style="dim")
        with Vertical(id="confirm-box"):
            yield Static(out)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123":
            index = int(event.character)
            if index <= len(self.suggestions):
                event.stop()
                self.action_take(index)

    def action_take(self, index: int) -> None:
        self.dismiss(self.suggestions[index - 1]["code"])

    def action_back(self) -> None:
        self.dismiss(None)
