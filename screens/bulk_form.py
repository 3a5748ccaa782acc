"""The form of one action on several tickets (F5): the same fields as the action's own form, under a line
that says how many tickets it will touch and which it leaves out and why. Submitting records them all in
one transaction (``Desk.bulk_act``), all of their events or none."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from screens.action_form import ActionForm
from screens.text import one_line


def plan_text(plan: dict[str, Any]) -> Text:
    allowed, refused = plan["allowed"], plan["refused"]
    text = Text()
    text.append(f"将{plan['label']} {len(allowed):,} 件工单", style="bold")
    for why, numbers in refused.items():
        text.append(f"\n不含 {len(numbers):,} 件: {one_line(why)}", style="yellow")
    return text


class BulkForm(ActionForm):
    """``ModalScreen[dict | None]``: dismissed with the fields sent once every ticket has the action."""

    def __init__(self, spec: Any, plan: dict[str, Any], submit) -> None:
        super().__init__(spec, f"{len(plan['allowed']):,} 件工单", submit)
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(f"{self.spec.label} · 批量", style="bold"), id="form-title")
            yield Static(plan_text(self.plan), id="bulk-plan")
            with VerticalScroll(id="form-fields"):
                for f in self.spec.fields:
                    yield Label(Text(f.label + ("" if f.required else " (可选)")))
                    yield self._field_widget(f)
            yield Static("", id="form-error")
            yield Static(Text("Enter 下一项 / 提交   ctrl+s 或 F8 提交   Esc 取消", style="dim"), id="form-keys")
