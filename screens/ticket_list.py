"""One list of tickets of any length: the supervisors' workbench (F5), F4's recent list and F3's tickets of a unit.

The list holds a window of rows around the cursor (at most ``KEEP``), asked for one keyset page at a time in a
worker thread (never OFFSET, never every row in memory), and draws only the visible lines through Textual's
line API. Moving near either end of the window asks for the next page ahead of the cursor, so line, page, Home
and End stay instant on a store of millions; Home and End on a window that does not reach that end fetch the
list's first or last page (a source that can only go forward moves End as far as it has read).

The screen gives a ``fetch(desk, way, key, limit)`` (``way``: first | after | before | last; ``key``: the
``key`` of the row to page from) that runs in the worker and returns plain dicts with at least ``number``
and ``key``, and a ``draw(row, width)`` that turns one into a line of Text for the width at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from screens.lines import text_strip

PAGE = 100
KEEP = 600  # rows held at most; the far side is let go as the cursor travels
AHEAD = 2  # screens of rows kept loaded ahead of the cursor
CURSOR = Style(reverse=True)
CURSOR_UNFOCUSED = Style(underline=True)
MARK = "●"

Fetch = Callable[[Any, str, tuple | None, int], list[dict]]
Draw = Callable[[dict, int], Text]


def list_bindings(area: str, *, letters: bool = True) -> list[Binding]:
    """The list's keys, with ids ``area.down`` and so on for the keymap; ``letters``: j and k move too (not
    where those letters are the area's action keys)."""
    return [
        Binding("down,j" if letters else "down", "move(1)", "下", show=False, id=f"{area}.down"),
        Binding("up,k" if letters else "up", "move(-1)", "上", show=False, id=f"{area}.up"),
        Binding("pagedown", "page(1)", "下页", show=False, id=f"{area}.pagedown"),
        Binding("pageup", "page(-1)", "上页", show=False, id=f"{area}.pageup"),
        Binding("home", "first", "首条", show=False, id=f"{area}.home"),
        Binding("end", "last", "末条", show=False, id=f"{area}.end"),
    ]


class TicketList(Widget, can_focus=True):
    DEFAULT_CSS = """
    TicketList { height: 1fr; background: $surface; }
    """

    class Highlighted(Message):
        """The cursor is on ``row`` (None: the list is empty)."""

        def __init__(self, ticket_list: TicketList, row: dict | None) -> None:
            super().__init__()
            self.ticket_list, self.row = ticket_list, row

        @property
        def control(self) -> TicketList:
            return self.ticket_list

    class Loaded(Message):
        """A page arrived (maybe empty); ``ticket_list.rows`` holds the window."""

        def __init__(self, ticket_list: TicketList) -> None:
            super().__init__()
            self.ticket_list = ticket_list

        @property
        def control(self) -> TicketList:
            return self.ticket_list

    class Failed(Message):
        """The fetch raised ``error``; the list keeps what it had."""

        def __init__(self, ticket_list: TicketList, error: Exception) -> None:
            super().__init__()
            self.ticket_list, self.error = ticket_list, error

        @property
        def control(self) -> TicketList:
            return self.ticket_list

    def __init__(self, fetch: Fetch, draw: Draw, *, backwards: bool = True, marks: bool = False,
                 empty: str = "没有工单。", limit: int = PAGE, on_move: Callable[[dict | None], None] | None = None,
                 **kw) -> None:
        super().__init__(**kw)
        self.fetch, self.draw, self.backwards, self.marks, self.limit = fetch, draw, backwards, marks, limit
        self.on_move = on_move  # called as the cursor moves, in the same frame as the list (Highlighted comes later)
        self.empty_text = empty
        self.rows: list[dict] = []
        self.cursor = 0
        self.view_top = 0
        self.at_start = self.at_end = False
        self.base: int | None = 0  # the list position of rows[0], when known
        self.marked: set[str] = set()
        self.note: Text | None = None  # shown in place of the rows (a refusal, an error)
        self._loading: set[str] = set()
        self._generation = 0
        self._strips: dict[tuple[str, int], Strip] = {}
        self._started = False

    # --- what the screen reads ------------------------------------------------------------------------
    @property
    def row(self) -> dict | None:
        return self.rows[self.cursor] if self.rows else None

    @property
    def number(self) -> str | None:
        row = self.row
        return row["number"] if row else None

    @property
    def numbers(self) -> list[str]:
        """The tickets the window holds, in the list's order."""
        return [r["number"] for r in self.rows]

    def shown(self) -> list[str]:
        """What the list shows as text: its note, the empty text, or every row of the window as drawn."""
        if self.note is not None:
            return [self.note.plain]
        if not self.rows:
            return [self.empty_text] if self._started and not self._loading else []
        width = max(self.size.width, 40)
        return [self.draw(row, width).plain for row in self.rows]

    @property
    def list_position(self) -> int | None:
        """The cursor's place in the whole list (0 = first), when known."""
        return None if self.base is None or not self.rows else self.base + self.cursor

    @property
    def fetching(self) -> bool:
        return bool(self._loading)

    # --- loading --------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if getattr(self.app, "desk", None) is not None:
            self.reload()

    def reload(self, *, keep_place: bool = False) -> None:
        """List from the first page again (``keep_place``: from the row under the cursor, when there is one)."""
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        self._started = True
        anchor = self.row if keep_place and self.rows else None
        self._generation += 1
        self._loading.clear()
        self._strips.clear()
        self.note = None
        if anchor is None:
            self.rows, self.cursor, self.view_top, self.base = [], 0, 0, 0
            self.at_start, self.at_end = False, False
            self._request("first", None, replace=True)
        else:  # the page from the row the cursor was on (itself included: fetched "after" the row before it)
            self._request("from", anchor, replace=True)
        self.refresh()

    def ensure_started(self) -> None:
        """Load the first page if nothing was asked for yet (the desk opened after the list was mounted)."""
        if not self._started:
            self.reload()

    def show_note(self, text: Text) -> None:
        """Show ``text`` instead of rows and ask for no more (a refusal, a filter that cannot be read)."""
        self._generation += 1
        self._loading.clear()
        self.rows, self.cursor, self.view_top = [], 0, 0
        self.at_start = self.at_end = True
        self.note = text
        self.refresh()

    def _request(self, way: str, anchor: dict | None, replace: bool = False) -> None:
        if way in self._loading:
            return
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        self._loading.add(way)
        self._fetch(desk, way, anchor, self._generation, replace)

    @work(thread=True, group="ticket-list")
    def _fetch(self, desk, way: str, anchor: dict | None, generation: int, replace: bool) -> None:
        try:
            if way == "from":
                rows = self.fetch(desk, "before", anchor["key"], 1)
                before = rows[0]["key"] if rows else None
                rows = self.fetch(desk, "after" if before is not None else "first", before, self.limit)
            else:
                rows = self.fetch(desk, way, anchor["key"] if anchor else None, self.limit)
        except Exception as exc:  # the store may be unavailable or refuse: the screen says so, the desk stays up
            self.app.call_from_thread(self._failed, exc, way, generation)
            return
        self.app.call_from_thread(self._arrived, rows, way, generation, replace, anchor)

    def _arrived(self, rows: list[dict], way: str, generation: int, replace: bool, anchor: dict | None) -> None:
        if generation != self._generation:  # listed again meanwhile: this page belongs to the old list
            return
        self._loading.discard(way)
        full = len(rows) >= self.limit
        height = max(1, self.size.height)
        shown = [r["number"] for r in self.rows[self.view_top:self.view_top + height]]
        if replace:
            self.rows, self.view_top = list(rows), 0
            if way == "last":
                self.at_start, self.at_end = not full, True
                self.base = 0 if not full else None
                self.cursor = max(0, len(rows) - 1)
            elif way == "from":
                self.at_start, self.at_end = False, not full
                self.base = None
                keep = next((i for i, r in enumerate(rows) if anchor and r["number"] == anchor["number"]), 0)
                self.cursor, self.view_top = keep, keep
            else:
                self.at_start, self.at_end, self.base, self.cursor = True, not full, 0, 0
        elif way == "after":
            known = {r["number"] for r in self.rows[-self.limit:]}
            self.rows.extend(r for r in rows if r["number"] not in known)
            self.at_end = not full
            self._trim_start()
        elif way == "before":
            known = {r["number"] for r in self.rows[:self.limit]}
            fresh = [r for r in rows if r["number"] not in known]
            self.rows[:0] = fresh
            self.cursor += len(fresh)
            self.view_top += len(fresh)
            if self.base is not None:
                self.base = max(0, self.base - len(fresh))
            self.at_start = not full
            if self.at_start:
                self.base = 0
            self._trim_end()
        self._scroll_to_cursor()
        self.post_message(self.Loaded(self))
        if replace or shown != [r["number"] for r in self.rows[self.view_top:self.view_top + height]]:
            self.refresh()  # a page that lands out of sight, ahead of the cursor, changes nothing on screen
            self._moved()
        self._prefetch()

    def _failed(self, error: Exception, way: str, generation: int) -> None:
        if generation != self._generation:
            return
        self._loading.discard(way)
        self.post_message(self.Failed(self, error))

    def _trim_start(self) -> None:
        extra = len(self.rows) - KEEP
        if extra > 0 and self.cursor - extra >= 0:
            for r in self.rows[:extra]:
                self._forget(r["number"])
            del self.rows[:extra]
            self.cursor -= extra
            self.view_top = max(0, self.view_top - extra)
            self.at_start = False
            if self.base is not None:
                self.base += extra

    def _trim_end(self) -> None:
        extra = len(self.rows) - KEEP
        if extra > 0 and self.cursor < len(self.rows) - extra:
            for r in self.rows[-extra:]:
                self._forget(r["number"])
            del self.rows[-extra:]
            self.at_end = False

    def _forget(self, number: str) -> None:
        for key in [k for k in self._strips if k[0] == number]:
            del self._strips[key]

    def _prefetch(self) -> None:
        """Keep AHEAD screens of rows loaded on both sides of the cursor."""
        if not self.rows or self.note is not None:
            return
        ahead = max(self.size.height, 10) * AHEAD
        if not self.at_end and len(self.rows) - self.cursor <= ahead:
            self._request("after", self.rows[-1])
        if self.backwards and not self.at_start and self.cursor <= ahead:
            self._request("before", self.rows[0])

    # --- the cursor -----------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.set_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.set_cursor(self.cursor + step * max(1, self.size.height - 1))

    def action_first(self) -> None:
        if self.at_start or not self.backwards and self.base == 0:
            self.set_cursor(0)
        else:
            self.reload()

    def action_last(self) -> None:
        if self.at_end or not self.backwards:
            self.set_cursor(len(self.rows) - 1)
            return
        self._generation += 1
        self._loading.clear()
        self._strips.clear()
        self._request("last", None, replace=True)

    def set_cursor(self, index: int) -> None:
        if not self.rows:
            return
        old, self.cursor = self.cursor, max(0, min(index, len(self.rows) - 1))
        if old == self.cursor:
            self._prefetch()
            return
        self._scroll_to_cursor()
        self.refresh()
        self._moved()
        self.call_after_refresh(self._prefetch)  # once the move is painted: a page read meanwhile would slow it

    def _moved(self) -> None:
        if self.on_move is not None:
            self.on_move(self.row)
        self.post_message(self.Highlighted(self, self.row))

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.size.height)
        if self.cursor < self.view_top:
            self.view_top = self.cursor
        elif self.cursor >= self.view_top + height:
            self.view_top = self.cursor - height + 1
        self.view_top = max(0, min(self.view_top, max(0, len(self.rows) - 1)))

    def on_resize(self) -> None:
        self._scroll_to_cursor()
        self._prefetch()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- marks ----------------------------------------------------------------------------------------
    def toggle_mark(self) -> None:
        number = self.number
        if number is None:
            return
        self.marked.symmetric_difference_update({number})
        self._forget(number)
        self.refresh()

    def clear_marks(self) -> None:
        self.marked.clear()
        self._strips.clear()
        self.refresh()

    # --- drawing --------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self.note is not None or (not self.rows and not self._loading):
            if y == 0:
                waiting = "正在打开工单库…" if not self._started else self.empty_text
                note = self.note or Text(waiting, style="dim")
                return text_strip(note, self.app.console).crop_extend(0, width, None).apply_style(base)
            return Strip.blank(width, base)
        index = self.view_top + y
        if index >= len(self.rows):
            if index == len(self.rows) and self._loading:
                return text_strip(Text("  …", style="dim"), self.app.console).crop_extend(0, width, None).apply_style(base)
            return Strip.blank(width, base)
        row = self.rows[index]
        key = (row["number"], width)
        strip = self._strips.get(key)
        if strip is None:
            line = Text(no_wrap=True)
            if self.marks:
                line.append(MARK if row["number"] in self.marked else " ", style="bold yellow")
            line.append_text(self.draw(row, width - (1 if self.marks else 0)))
            strip = text_strip(line, self.app.console)
            if len(self._strips) > 4 * KEEP:
                self._strips.clear()
            self._strips[key] = strip
        out = strip.crop_extend(0, width, None).apply_style(base)
        if index != self.cursor:
            return out
        style = CURSOR if self.has_focus else CURSOR_UNFOCUSED
        return Strip(Segment.apply_style(list(out), post_style=style), out.cell_length)
