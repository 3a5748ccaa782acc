"""A scrolling view of pre-built lines through Textual's line API: only visible lines are rendered.

Used for the ticket timeline (hundreds of events stay instant) and as the base of the recent list.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def text_strip(text: Text, console, style: Style | None = None) -> Strip:
    segments = [s for s in text.render(console) if s.text != "\n"]
    strip = Strip(segments)
    return strip.apply_style(style) if style else strip


class LineView(ScrollView, can_focus=True):
    """Lines of rich Text (plain, never markup), rendered one visible line at a time."""

    BINDINGS = [
        Binding("home", "scroll_home", "首条", show=False, id="lines.home"),
        Binding("end", "scroll_end", "末条", show=False, id="lines.end"),
    ]

    DEFAULT_CSS = """
    LineView { background: $surface; }
    """

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def set_lines(self, lines: list[Text], *, scroll_end: bool = False) -> None:
        self._lines = list(lines)
        self._strips.clear()
        width = max((line.cell_len for line in self._lines), default=0)
        self.virtual_size = Size(width, len(self._lines))
        if scroll_end:
            self.scroll_end(animate=False, immediate=True)
        self.refresh()

    def add_lines(self, lines: list[Text]) -> None:
        self._lines.extend(lines)
        width = max([self.virtual_size.width, *(line.cell_len for line in lines)])
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def line_style(self, index: int) -> Style | None:
        return None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            strip = text_strip(self._lines[index], self.app.console)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[index] = strip
        extra = self.line_style(index)
        out = strip.crop_extend(scroll_x, scroll_x + width, None).apply_style(base)
        if extra is None:
            return out
        return Strip(Segment.apply_style(list(out), post_style=extra), out.cell_length)
