"""F3 单位 — the unit lookup, and the same finder as a modal picker (``UnitPicker``) for forms.

The list follows every key: ``Desk.lookup_units`` runs on the UI thread (well under a millisecond once the
index is warm; ``Directory.warm`` runs in a thread worker on mount). The open-ticket count is a store read,
so it runs in a worker. Everything from the directory is shown as plain text, never as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.frame import DeskScreen
from screens.text import one_line

LIMIT = 30
CARD_LABELS = (("duties", "职责"), ("workflow", "流程"), ("materials", "材料"), ("time_limit", "时限"), ("contact", "联系"))
HINT = "↑/↓ 移动  Enter 选用  Tab 到列表后 c 复制 / o 未办结工单  Esc 清空/返回"


def result_row(m: dict[str, Any]) -> Text:
    """One result: name, full path, why it matched — plain text."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(one_line(m.get("name", "")), style="bold")
    row.append("  ")
    row.append(one_line(m.get("path", "")), style="dim")
    reason = one_line(m.get("reason", ""))
    if reason:
        row.append("  ")
        row.append(reason, style="italic")
    return row


def card_text(card: dict[str, Any] | None, count: dict[str, int] | None | str) -> Text:
    """The duty card: missing fields are "—", never invented; then the open-ticket count."""
    if card is None:
        return Text("未选中单位")
    out = Text()
    out.append(one_line(card["full_name"]), style="bold")
    out.append(f"  {one_line(card['code'])}\n", style="dim")
    out.append(f"级别 {one_line(card['kind'])}")
    if card.get("parent"):
        out.append(f" · 上级 {one_line(card['parent'])}")
    out.append(f"\n{one_line(card['path'])}\n\n", style="dim")
    for key, label in CARD_LABELS:
        value = one_line(card.get(key) or "") or "—"
        out.append(f"{label} ", style="bold")
        out.append(value + "\n")
    if card.get("generic"):
        out.append("(本单位无专门职责清单, 以上为同级通用清单)\n", style="dim italic")
    out.append("\n")
    if isinstance(count, dict):
        out.append(f"未办结工单 {count['open']}", style="bold")
        if count["overdue"]:
            out.append(f" (超期 {count['overdue']})", style="bold red")
        out.append("    [o 查看]")
    else:
        out.append(f"未办结工单 {count or '…'}", style="dim")
    return out


class UnitFinder(Vertical):
    """Query input, type-ahead result list and the duty-card pane. Posts ``Picked`` on Enter."""

    BINDINGS = [
        Binding("up", "move(-1)", "上", show=False, id="lookup.up"),
        Binding("down", "move(1)", "下", show=False, id="lookup.down"),
        Binding("c", "copy", "复制", id="lookup.copy"),
        Binding("o", "open_tickets", "未办结工单", id="lookup.open"),
    ]

    class Picked(Message):
        def __init__(self, finder: UnitFinder, code: str, name: str) -> None:
            super().__init__()
            self.finder, self.code, self.name = finder, code, name

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.matches: list[dict[str, Any]] = []
        self._ready = False
        self._card_code: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="查找单位: 中文、拼音、首字母、简称、旧称、职责 (如 tdjd、城管、占道经营)", id="lookup-query")
        with Horizontal(id="lookup-body"):
            with Vertical(id="lookup-left"):
                yield OptionList(id="lookup-results")
                yield Static(Text(HINT), id="lookup-hint")
            yield Static(Text("未选中单位"), id="lookup-card")

    @property
    def desk(self):
        return getattr(self.app, "desk", None)

    def on_mount(self) -> None:
        self.query_one("#lookup-query", Input).focus()
        self.watch(self.app, "status", self._desk_changed, init=True)

    def _desk_changed(self, _status=None) -> None:
        if self.desk is not None and not self._ready:
            self._warm(self.desk)

    @work(thread=True, exclusive=True, group="lookup-warm")
    def _warm(self, desk) -> None:
        try:
            desk.directory.warm()
        except Exception as exc:  # no directory: say so, don't crash the area
            self.app.call_from_thread(self._show_status, f"单位目录不可用: {exc}")
            return
        self.app.call_from_thread(self._warmed)

    def _warmed(self) -> None:
        self._ready = True
        self.refresh_results(self.query_one("#lookup-query", Input).value)

    def _show_status(self, message: str) -> None:
        self.query_one("#lookup-card", Static).update(Text(one_line(message)))

    # --- the list ------------------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _changed(self, event: Input.Changed) -> None:
        self.refresh_results(event.value)

    def refresh_results(self, query: str) -> None:
        results = self.query_one("#lookup-results", OptionList)
        if not self._ready or self.desk is None:
            self.matches = []
            results.set_options([Option(Text("单位目录正在打开…", style="dim"), disabled=True)])
            return
        q = query.strip()
        self.matches = self.desk.lookup_units(q, LIMIT) if q else []
        if self.matches:
            results.set_options([Option(result_row(m), id=m["code"]) for m in self.matches])
            results.highlighted = 0
        elif q:
            results.set_options([Option(Text("无匹配单位", style="dim"), disabled=True)])
        else:
            results.clear_options()
        self._show_card()

    @on(OptionList.OptionHighlighted, "#lookup-results")
    def _highlighted(self, _event) -> None:
        self._show_card()

    @on(OptionList.OptionSelected, "#lookup-results")
    def _clicked(self, _event) -> None:
        self.action_pick()

    def selected(self) -> dict[str, Any] | None:
        index = self.query_one("#lookup-results", OptionList).highlighted
        if index is None or not (0 <= index < len(self.matches)):
            return None
        return self.matches[index]

    def action_move(self, step: int) -> None:
        results = self.query_one("#lookup-results", OptionList)
        if not self.matches:
            return
        index = results.highlighted if results.highlighted is not None else -step
        results.highlighted = max(0, min(len(self.matches) - 1, index + step))

    # --- the card ------------------------------------------------------------------------------
    def _show_card(self) -> None:
        m = self.selected()
        pane = self.query_one("#lookup-card", Static)
        if m is None:
            self._card_code = None
            pane.update(Text("未选中单位"))
            return
        if m["code"] == self._card_code:
            return
        self._card_code = m["code"]
        self._card = self.desk.unit_card(m["code"])
        pane.update(card_text(self._card, None))
        self._count(m["code"])

    @work(thread=True, exclusive=True, group="lookup-count")
    def _count(self, code: str) -> None:
        try:
            count: dict[str, int] | str = self.desk.open_ticket_count(code)
        except Exception:  # the store may still be opening; the card still shows
            count = "(工单库不可用)"
        self.app.call_from_thread(self._counted, code, count)

    def _counted(self, code: str, count) -> None:
        if code == self._card_code:
            self._count_value = count
            self.query_one("#lookup-card", Static).update(card_text(self._card, count))

    # --- keys ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        m = self.selected()
        if m is None:
            self.notify("没有选中的单位", severity="warning")
            return
        self.post_message(self.Picked(self, m["code"], m["name"]))

    def check_action(self, action: str, parameters) -> bool | None:
        # c / o are single letters: while the query box has focus they are typed, not actions
        if action in ("copy", "open_tickets") and isinstance(self.app.focused, Input):
            return False
        return True

    def action_copy(self) -> None:
        m = self.selected()
        if m is None:
            return
        self.app.copy_to_clipboard(m["code"])
        self.notify(f"已复制单位代码 {one_line(m['code'])} ({one_line(m['name'])})", markup=False)

    def action_open_tickets(self) -> None:
        m = self.selected()
        if m is None:
            return
        count = getattr(self, "_count_value", None)
        known = f"; 该单位未办结 {count['open']} 件" if isinstance(count, dict) and self._card_code == m["code"] else ""
        self.notify(f"按单位筛选的工单列表尚未实现{known}。可在 F4 工单 按编号打开。", title="o 未办结工单",
                    severity="warning", markup=False)

    def clear(self) -> bool:
        """Esc: clear the query; False when it was already empty."""
        box = self.query_one("#lookup-query", Input)
        if not box.value:
            return False
        box.value = ""
        box.focus()
        return True


class LookupScreen(DeskScreen):
    """F3 单位: find a unit, read its duty card, copy its code."""

    MODE = "lookup"
    CSS_PATH = Path(__file__).with_name("lookup.tcss")
    BINDINGS = [
        Binding("escape", "back", "清空/返回", id="lookup.back"),
    ]

    def compose_body(self) -> ComposeResult:
        yield UnitFinder(id="lookup")

    @on(UnitFinder.Picked)
    def _picked(self, event: UnitFinder.Picked) -> None:
        self.app.copy_to_clipboard(event.code)
        self.notify(f"选用 {one_line(event.name)} · 代码 {one_line(event.code)} 已复制", title="单位", markup=False)

    def action_back(self) -> None:
        finder = self.query_one(UnitFinder)
        if not isinstance(self.focused, Input):
            self.query_one("#lookup-query", Input).focus()
        elif not finder.clear():
            self.notify("F2–F7 切换区域", markup=False)


class UnitPicker(ModalScreen[str | None]):
    """The finder as a modal: Enter returns the unit code, Esc returns None."""

    CSS_PATH = Path(__file__).with_name("lookup.tcss")
    BINDINGS = [Binding("escape", "cancel", "取消", id="picker.cancel")]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text("选择承办单位  (Enter 选用  Esc 取消)"), id="picker-title")
            yield UnitFinder(id="lookup")

    def on_mount(self) -> None:
        if self.initial:
            self.query_one("#lookup-query", Input).value = self.initial

    @on(UnitFinder.Picked)
    def _picked(self, event: UnitFinder.Picked) -> None:
        event.stop()
        self.dismiss(event.code)

    def action_cancel(self) -> None:
        self.dismiss(None)
