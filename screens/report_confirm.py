"""Publishing a month from F6 asks first: ``PublishConfirm(month, published)`` is a ``ModalScreen[str | None]``
giving "publish", "republish" (a published month recomputed and published again) or None (Esc)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class PublishConfirm(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PublishConfirm { align: center middle; }
    #publish-box { width: 70; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [
        Binding("y,enter", "yes", "确认", id="publish.yes"),
        Binding("n,escape", "no", "取消", id="publish.no"),
    ]

    def __init__(self, month: str, published: bool) -> None:
        super().__init__()
        self.month, self.published = month, published

    def compose(self) -> ComposeResult:
        if self.published:
            text = Text(f"{self.month} 月通报已发布。\n\n按当前数据重新计算并重新发布? 各台同步后都将看到新的版本。\n\n", style="bold")
        else:
            text = Text(f"发布 {self.month} 月通报?\n\n发布后该月数字冻结, 同步到各台; 之后到达的该月事件不改变它。\n\n", style="bold")
        text.append("y / Enter 确认    n / Esc 取消", style="dim")
        with Vertical(id="publish-box"):
            yield Static(text)

    def action_yes(self) -> None:
        self.dismiss("republish" if self.published else "publish")

    def action_no(self) -> None:
        self.dismiss(None)
