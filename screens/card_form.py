"""A unit's cadre publishes the unit's duty card (职责清单、工作流程、所需材料、办理时限、联系方式): F3's ``p``, and F7's.

``CardForm(code)`` is a ``ModalScreen[dict | None]``: it reads the unit's current card (the newest published
one, else the shipped one) in a worker, prefills the five fields and shows its version; F10 publishes through
``Desk.publish_card(code, fields, based_on=that version)`` in a worker and dismisses with the card as published
(None on Esc). A card someone else published meanwhile is refused by the core with who and when; every other
refusal (not this unit's cadre, an empty card, escapes, too long) is shown in the form with the text kept.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from hotline_tui.errors import HotlineError

from screens.text import one_line

FIELDS = (("duties", "职责清单", True), ("workflow", "工作流程", True), ("materials", "所需材料", True),
          ("time_limit", "办理时限", False), ("contact", "联系方式", False))
KEYS = "Tab 下一项   F10 或 ctrl+s 发布   Esc 取消"


class CardForm(ModalScreen[dict | None]):
    DEFAULT_CSS = """
    CardForm { align: center middle; background: $background 60%; }
    #card-form { width: 90; max-width: 98%; height: auto; max-height: 100%; border: thick $accent;
                 background: $surface; padding: 0 1; }
    #card-title { height: 1; }
    #card-about { height: 1; color: $text-muted; }
    #card-fields { height: auto; max-height: 17; }
    #card-fields Label { color: $text-muted; }
    #card-fields TextArea { height: 4; }
    #card-fields Input { height: 3; }
    #card-error { height: auto; min-height: 1; max-height: 2; }
    #card-keys { height: 1; }
    """
    BINDINGS = [
        Binding("f10", "save", "发布", id="card.save"),
        Binding("ctrl+s", "save", "发布", show=False, id="card.save_alt"),
        Binding("escape", "cancel", "取消", id="card.cancel"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.version: int | None = None  # the version the text was read from (None: not read yet)
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="card-form"):
            yield Static(Text(f"发布职责清单 · {one_line(self.code)}", style="bold"), id="card-title")
            yield Static(Text("读取当前清单…", style="dim"), id="card-about")
            with VerticalScroll(id="card-fields"):
                for name, label, multiline in FIELDS:
                    yield Label(label)
                    if multiline:
                        yield TextArea(id=f"card-{name}", soft_wrap=True, tab_behavior="focus")
                    else:
                        yield Input(id=f"card-{name}", max_length=200)
            yield Static("", id="card-error")
            yield Static(Text(KEYS, style="dim"), id="card-keys")

    def on_mount(self) -> None:
        self.query_one("#card-duties", TextArea).focus()
        self._read()

    @work(thread=True, exclusive=True, group="card-read")
    def _read(self) -> None:
        desk = getattr(self.app, "desk", None)
        try:
            if desk is None:
                raise RuntimeError("工单库正在打开, 请稍候")
            card = desk.unit_card(self.code)
            why_not = desk.may_publish_card(self.code) if card is not None else f"no unit {self.code!r}"
        except (HotlineError, RuntimeError) as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self._prefill, card, why_not)

    def _prefill(self, card: dict[str, Any] | None, why_not: str | None) -> None:
        if card is not None:
            self.query_one("#card-title", Static).update(
                Text(one_line(f"发布职责清单 · {card['name']} ({card['code']})"), style="bold"))
            for name, _, multiline in FIELDS:
                value = str(card.get(name) or "")
                widget = self.query_one(f"#card-{name}")
                if multiline:
                    widget.load_text(value)
                else:
                    widget.value = one_line(value)
            self.version = int(card.get("version") or 0)
            about = (f"当前版本 {self.version} · {card.get('updated', '')} {card.get('updated_by', '')} 发布"
                     if card.get("published") else f"当前版本 {self.version} (目录自带"
                     + (", 同级通用清单" if card.get("generic") else "") + ") · 发布后为版本 1")
            self.query_one("#card-about", Static).update(Text(one_line(about), style="dim"))
        if why_not:
            self.show_error(f"不能发布: {why_not}")

    def values(self) -> dict[str, str]:
        out = {}
        for name, _, multiline in FIELDS:
            widget = self.query_one(f"#card-{name}")
            out[name] = widget.text if multiline else widget.value
        return out

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "card-contact":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self._busy:
            return
        if self.version is None:
            self.show_error("当前清单还未读出, 请稍候再发布")
            return
        self._busy = True
        self.show_error("")
        self.query_one("#card-keys", Static).update(Text("发布中…", style="dim"))
        self._save(self.values(), self.version)

    @work(thread=True, exclusive=True, group="card-save")
    def _save(self, fields: dict[str, str], based_on: int) -> None:
        desk = getattr(self.app, "desk", None)
        try:
            card = desk.publish_card(self.code, fields, based_on=based_on)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        except Exception as exc:  # an unexpected failure is still explained, never silent
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self.dismiss, card)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.show_error(message)
        self.query_one("#card-keys", Static).update(Text(KEYS, style="dim"))

    def show_error(self, message: str) -> None:
        self.query_one("#card-error", Static).update(Text(one_line(message), style="bold red") if message else "")

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)
