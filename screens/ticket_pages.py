"""A list of tickets, one keyset page at a time (never OFFSET, never every row in memory); the F4 recent list and
F3's unit tickets are built on it.

The screen gives a loader, ``load(desk, before, limit)``: up to ``limit`` rows (dicts with at least ``number`` and
``registered_ms``) after the key ``before`` (the last row's ``(registered_ms, number)`` of the page before, None
for the first page), asked of the Desk facade. It runs in a thread worker, as does ``row_text(row, unit_name)``,
which draws one row. Moving near the end asks for the next page. A screen subclasses ``TicketPages`` with its own
``BINDINGS = page_bindings("area")`` (keymap ids stay per area) and hears ``Loaded`` and ``Failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message

from screens.lines import LineView

PAGE = 100
CURSOR = Style(reverse=True)

Key = tuple[int, str]
Loader = Callable[[Any, Key | None, int], list[dict]]
RowText = Callable[[dict, Callable[[str | None], str]], Text]


def page_bindings(area: str) -> list[Binding]:
    """The list's keys, with ids ``area.down`` and so on for the keymap."""
    return [
        Binding("down,j", "move(1)", "下", show=False, id=f"{area}.down"),
        Binding("up,k", "move(-1)", "上", show=False, id=f"{area}.up"),
        Binding("pagedown", "page(1)", "下页", show=False, id=f"{area}.pagedown"),
        Binding("pageup", "page(-1)", "上页", show=False, id=f"{area}.pageup"),
        Binding("home", "first", "首条", show=False, id=f"{area}.home"),
    ]


class TicketPages(LineView):
    """Rows arrive a page at a time; the border title counts them (``+`` while more may come)."""

    class Loaded(Message):
        """A page arrived (it may be empty); ``pages.numbers`` holds every ticket listed so far."""

        def __init__(self, pages: TicketPages) -> None:
            super().__init__()
            self.pages = pages

        @property
        def control(self) -> TicketPages:
            return self.pages

    class Failed(Message):
        """The loader or a row raised ``error``; the list keeps what it had."""

        def __init__(self, pages: TicketPages, error: Exception) -> None:
            super().__init__()
            self.pages, self.error = pages, error

        @property
        def control(self) -> TicketPages:
            return self.pages

    def __init__(self, load: Loader, row_text: RowText, *, limit: int = PAGE, **kw) -> None:
        super().__init__(**kw)
        self.load, self.row_text, self.limit = load, row_text, limit
        self.numbers: list[str] = []
        self.cursor = 0
        self.done = False
        self._before: Key | None = None
        self._loading = False
        self._generation = 0  # bumped by reload: a page asked for before it is dropped when it lands

    @property
    def number(self) -> str | None:
        """The ticket under the cursor."""
        return self.numbers[self.cursor] if self.numbers else None

    # --- loading ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.more()

    def more(self) -> None:
        desk = getattr(self.app, "desk", None)
        if self.done or self._loading or desk is None:
            return
        self._loading = True
        self._fetch(desk, self._before, self._generation)

    def reload(self) -> None:
        """List again from the first page."""
        self.numbers.clear()
        self.cursor = 0
        self.set_lines([])
        self._before, self.done, self._loading = None, False, False
        self._generation += 1
        self.more()

    def end(self, line: Text) -> None:
        """Ask for no more pages and show ``line`` in place of the rows (an empty list, a refusal)."""
        self.done = True
        self.set_lines([line])

    @work(thread=True, exclusive=True, group="ticket-pages")
    def _fetch(self, desk, before: Key | None, generation: int) -> None:
        try:
            rows = self.load(desk, before, self.limit)
            names: dict[str, str] = {}

            def unit_name(code):
                if code and code not in names:
                    names[code] = desk.unit_name(code)
                return names.get(code, "")

            built = [(r["number"], self.row_text(r, unit_name)) for r in rows]
            last = (rows[-1]["registered_ms"], rows[-1]["number"]) if rows else None
        except Exception as exc:  # the store may be unavailable or refuse: the screen says so, the desk stays up
            self.app.call_from_thread(self._failed, exc, generation)
            return
        self.app.call_from_thread(self._arrived, built, last, generation)

    def _arrived(self, built: list[tuple[str, Text]], last: Key | None, generation: int) -> None:
        if generation != self._generation:  # listed again meanwhile: this page belongs to the old list
            return
        self._loading = False
        if last is None or len(built) < self.limit:
            self.done = True
        if last is not None:
            self._before = last
        self.numbers.extend(n for n, _ in built)
        self.add_lines([t for _, t in built])
        self.border_title = f"{len(self.numbers)} 件" + ("" if self.done else "+")
        self.post_message(self.Loaded(self))

    def _failed(self, error: Exception, generation: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.post_message(self.Failed(self, error))

    # --- the cursor ------------------------------------------------------------------------------
    def line_style(self, index: int) -> Style | None:
        return CURSOR if index == self.cursor and self.has_focus else None

    def action_move(self, step: int) -> None:
        self.set_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.set_cursor(self.cursor + step * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.set_cursor(0)

    def set_cursor(self, index: int) -> None:
        if not self.numbers:
            return
        old, self.cursor = self.cursor, max(0, min(index, len(self.numbers) - 1))
        top, height = self.scroll_offset.y, self.size.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self._strips.pop(old, None)
        self.refresh()
        if self.cursor >= len(self.numbers) - height:
            self.more()

    def on_focus(self) -> None:
        self.refresh()
