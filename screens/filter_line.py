"""The workbench's filter line: an Input that shows where a filter cannot be read (the faulty characters in
red, a caret under them) and takes completions with Tab (again for the next choice)."""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class _Fault(Highlighter):
    def __init__(self) -> None:
        self.span: tuple[int, int] | None = None

    def highlight(self, text: Text) -> None:
        if self.span is not None:
            start, end = self.span
            text.stylize("bold white on red", start, max(end, start + 1))


class FilterLine(Input):
    """Posts ``Wanted`` when Tab asks for a completion and ``Leave`` when ↓ or Enter moves to the list."""

    BINDINGS = [
        Binding("tab", "complete", "补全", show=False, id="supervise.complete"),
        Binding("down", "leave", "到列表", show=False, id="supervise.to_list"),
    ]

    class Wanted(Message):
        """Tab: put in the next completion."""

    class Leave(Message):
        """Done typing: the list takes the keys."""

    def __init__(self, **kw) -> None:
        self.fault = _Fault()
        super().__init__(highlighter=self.fault, **kw)
        self.completion = None  # query.complete.Completion for the text and cursor, shown by the screen
        self._cycle: tuple[str, int] | None = None  # (the text before the first Tab, the choice put in)
        self._cycle_text: str | None = None  # the text the last Tab left

    def show_fault(self, span: tuple[int, int] | None) -> None:
        if span != self.fault.span:
            self.fault.span = span
            self.refresh()

    def action_complete(self) -> None:
        self.post_message(self.Wanted())

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def take_completion(self) -> bool:
        """Put in the next choice of the current completion; False when there is none."""
        completion = self.completion
        if completion is None or not completion.choices:
            return False
        if self.cycling:
            base, index = self._cycle
            index = (index + 1) % len(completion.choices)
        else:
            base, index = self.value, 0
        text, where = completion.apply(base, completion.choices[index])
        self._cycle = (base, index)
        self._cycle_text = text
        self.value = text
        self.cursor_position = where
        return True

    @property
    def cycling(self) -> bool:
        """Whether the text is what the last Tab left (a Tab now puts in the next choice instead)."""
        return self._cycle is not None and self.value == self._cycle_text

    def typed(self) -> None:
        """The person typed: a Tab after this starts from the first choice again."""
        if not self.cycling:
            self._cycle = None

    def caret_line(self, width: int) -> Text:
        """A line that points at the fault under the text as it shows on screen."""
        if self.fault.span is None:
            return Text("")
        from rich.cells import cell_len

        start, end = self.fault.span
        x = cell_len(self.value[:start]) - self.scroll_offset.x
        w = max(1, cell_len(self.value[start:end]))
        if x < 0 or x >= width:
            return Text("")
        return Text(" " * x + "^" * min(w, width - x), style="bold red")
