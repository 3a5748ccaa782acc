"""不解决找我: a cadre puts their name on a request of their unit (F4's ``w``, and F7's).

``CommitForm(number)`` is a ``ModalScreen[dict | None]`` that asks for the promised date, the contact to publish
and a note, saves through ``Desk.act(number, "commit", …)`` in a worker and dismisses with the fields saved
(None on Esc). Whether the person may commit is the facade's answer, shown at the top when they may not; a
refusal or a bad value on saving is shown in the form with everything typed kept.
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

KEYS = "Enter 下一项 / 保存   F10 或 ctrl+s 保存   Esc 取消"


class CommitForm(ModalScreen[dict | None]):
    DEFAULT_CSS = """
    CommitForm { align: center middle; background: $background 60%; }
    #commit-form { width: 76; max-width: 98%; height: auto; max-height: 100%; border: thick $accent;
                   background: $surface; padding: 0 1; }
    #commit-title { height: 1; }
    #commit-about { height: auto; max-height: 3; color: $text-muted; }
    #commit-form Label { color: $text-muted; }
    #commit-form Input { height: 3; }
    #commit-error { height: auto; min-height: 1; }
    #commit-keys { height: 1; }
    """
    BINDINGS = [
        Binding("f10", "save", "保存", id="commit.save"),
        Binding("ctrl+s", "save", "保存", show=False, id="commit.save_alt"),
        Binding("escape", "cancel", "取消", id="commit.cancel"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self._busy = False
        self.refusal: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="commit-form"):
            yield Static(Text(f"不解决找我 · {one_line(self.number)}", style="bold"), id="commit-title")
            yield Static(Text("读取工单…", style="dim"), id="commit-about")
            yield Label("承诺办结日期 (今天起 60 天内)")
            yield Input(id="commit-due", placeholder="YYYY-MM-DD, 如 2026-12-10")
            yield Label("联系方式 (公开给接线员)")
            yield Input(id="commit-contact", placeholder="电话或其他联系方式", max_length=200)
            yield Label("说明 (可选)")
            yield Input(id="commit-note", max_length=2000)
            yield Static("", id="commit-error")
            yield Static(Text(KEYS, style="dim"), id="commit-keys")

    def on_mount(self) -> None:
        self.query_one("#commit-due", Input).focus()
        self._read()

    @work(thread=True, exclusive=True, group="commit-read")
    def _read(self) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            self.app.call_from_thread(self._about, None, "工单库正在打开, 请稍候", None)
            return
        try:
            view = desk.show(self.number)
            today = desk.today()["date"]
        except HotlineError as exc:
            self.app.call_from_thread(self._about, None, str(exc), None)
            return
        t = view.ticket
        current = None
        if t.commit_due_ms is not None:
            current = {"by": t.commit_by, "due": t.commit_due, "contact": t.commit_contact, "note": t.commit_note}
        self.app.call_from_thread(self._about, current, view.allowed.get("commit"), today)

    def _about(self, current: dict[str, Any] | None, refusal: str | None, today: str | None) -> None:
        self.refusal = refusal
        about = Text()
        if current:
            about.append(one_line(f"现有承诺: {current['by']} 承诺 {current['due']} 前办结 · 联系 {current['contact']}"))
            about.append("  (保存即替换)", style="dim")
            self._prefill(current)
        elif today:
            about.append(f"今天 {today}; 到期未办结即列入「承诺未兑现」", style="dim")
        self.query_one("#commit-about", Static).update(about)
        if refusal:
            self.show_error(f"不能承诺: {refusal}")

    def _prefill(self, current: dict[str, Any]) -> None:
        for name in ("due", "contact", "note"):
            box = self.query_one(f"#commit-{name}", Input)
            if not box.value and current.get(name):
                box.value = str(current[name])

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("due", "contact", "note"):
            value = self.query_one(f"#commit-{name}", Input).value.strip()
            if value:
                out[name] = value
        return out

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "commit-note":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.show_error("")
        self.query_one("#commit-keys", Static).update(Text("保存中…", style="dim"))
        self._save(self.values())

    @work(thread=True, exclusive=True, group="commit-save")
    def _save(self, fields: dict[str, Any]) -> None:
        desk = getattr(self.app, "desk", None)
        try:
            if desk is None:
                raise RuntimeError("工单库正在打开, 请稍候再保存")
            desk.act(self.number, "commit", fields)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        except Exception as exc:  # an unexpected failure is still explained, never silent
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self.dismiss, fields)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.show_error(message)
        self.query_one("#commit-keys", Static).update(Text(KEYS, style="dim"))

    def show_error(self, message: str) -> None:
        self.query_one("#commit-error", Static).update(Text(one_line(message), style="bold red") if message else "")

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)
