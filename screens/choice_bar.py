"""A choice among a few options, picked by its digit: ``1 投诉  2 咨询  3 建议 …``.

One line where the options fit; in a narrow terminal they wrap onto more lines (an option is never cut),
so every option stays visible.

A digit picks and (with ``advance``) moves focus on, so a choice during a call costs one key; ←/→ move,
Enter moves on, Backspace clears when the choice may be empty.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceBar(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceBar { height: auto; width: 1fr; }
    ChoiceBar:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "上一项", show=False),
        Binding("right", "move(1)", "下一项", show=False),
        Binding("backspace", "clear", "清除", show=False),
    ]

    value: reactive[str] = reactive("", always_update=True)

    class Changed(Message):
        def __init__(self, bar: ChoiceBar, value: str) -> None:
            super().__init__()
            self.bar = bar
            self.value = value

        @property
        def control(self) -> ChoiceBar:
            return self.bar

    def __init__(self, options: dict[str, str], value: str = "", *, advance: bool = True, allow_empty: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = dict(options)
        self.codes = list(self.options)
        self.advance = advance
        self.allow_empty = allow_empty
        self.set_reactive(ChoiceBar.value, value)

    def _items(self) -> list[Text]:
        items = []
        for i, code in enumerate(self.codes, 1):
            label = f"{i} {self.options[code]}"
            if code == self.value:
                items.append(Text(f"[{label}]", style="bold reverse"))
            else:
                items.append(Text(f" {label} ", style="dim" if self.value else ""))
        return items

    def lines(self, width: int) -> list[Text]:
        """The options flowed onto lines of ``width`` cells, one space between them."""
        lines = [Text(no_wrap=True, overflow="ellipsis")]
        for item in self._items():
            line = lines[-1]
            if line.cell_len and line.cell_len + 1 + item.cell_len > width:
                line = Text(no_wrap=True, overflow="ellipsis")
                lines.append(line)
            elif line.cell_len:
                line.append(" ")
            line.append_text(item)
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n", no_wrap=True).join(self.lines(self.content_size.width or 1_000))

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def choose(self, code: str) -> None:
        self.value = code if code in self.options else ""

    def on_key(self, event: events.Key) -> None:
        from screens.key_order import pass_on

        if pass_on(self, event):
            return
        if event.key == "enter":  # at once, so keys typed right after it go to the next field
            event.stop()
            event.prevent_default()
            self.screen.focus_next()
            return
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.codes):
                event.stop()
                event.prevent_default()
                self.value = self.codes[index]
                hook = getattr(self.screen, "choice_made", None)
                # at once, so the fields this choice shows are where focus goes next; True = focus was placed
                if hook is not None and hook(self):
                    return
                if self.advance:
                    self.screen.focus_next()

    def action_move(self, step: int) -> None:
        if not self.codes:
            return
        at = self.codes.index(self.value) if self.value in self.codes else (-1 if step > 0 else 0)
        self.value = self.codes[(at + step) % len(self.codes)]

    def action_clear(self) -> None:
        if self.allow_empty:
            self.value = ""
