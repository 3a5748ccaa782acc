"""F5's filter line at work: each edit read in a worker (its explanation, or its fault shown at its column),
a filter that reads listed and counted, completion asked for as it is typed, the hints under the line."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.widgets import Label, Static

from hotline_tui.errors import HotlineError
from hotline_tui.query.presets import PRESETS
from hotline_tui.query.syntax import QueryError

from screens.filter_line import FilterLine
from screens.frame import DeskScreen
from screens.text import one_line
from screens.ticket_list import TicketList


class SuperviseFilter(DeskScreen):
    """The filter part of SuperviseScreen (a screen class, so that its @on handlers are Textual's)."""

    # --- the filter ----------------------------------------------------------------------------------
    def apply(self, text: str, *, remember: bool = True) -> None:
        """Read ``text``; when it reads, list it (the faults are shown otherwise and the list stays)."""
        if self.desk is None:
            return
        self._generation += 1
        self._read(self.desk, text, self._generation, remember)

    @work(thread=True, exclusive=True, group="supervise-read")
    def _read(self, desk, text: str, generation: int, remember: bool) -> None:
        try:
            explained = desk.explain_filter(text)
        except QueryError as exc:
            self.app.call_from_thread(self._fault, exc, generation)
            return
        except HotlineError as exc:
            self.app.call_from_thread(self._fault, exc, generation)
            return
        self.app.call_from_thread(self._listed, text, explained, generation)
        if remember:
            try:
                desk.remember_filter(text)
            except HotlineError:
                pass  # the list works; only the restart would not come back to it

    def _fault(self, exc: HotlineError, generation: int) -> None:
        if generation != self._generation:
            return
        line = self.query_one(FilterLine)
        if isinstance(exc, QueryError):
            line.show_fault((exc.pos, exc.end))
            note = line.caret_line(line.size.width)
            note.append(f" 第 {exc.pos + 1} 列: {exc.message}", style="bold red")
        else:
            line.show_fault(None)
            note = Text(one_line(str(exc)), style="bold red")
        note.pad_left(self.query_one("#filter-label", Label).size.width)
        self.query_one("#filter-note", Static).update(note, layout=False)

    def _listed(self, text: str, explained: list[str], generation: int) -> None:
        if generation != self._generation:
            return
        self.query_one(FilterLine).show_fault(None)
        self.query_one("#filter-note", Static).update(Text("  " + (" · ".join(explained) or "全部工单"), style="dim"), layout=False)
        if text != self.filter_text or not self.query_one(TicketList).rows:
            self.filter_text = text
            self.all_marked = False
            self._listing += 1
            self.query_one(TicketList).clear_marks()
            self.query_one(TicketList).reload()
            self._count()
        self._show_hints()

    @on(FilterLine.Changed, "#filter")
    def _typed(self, event: FilterLine.Changed) -> None:
        line = self.query_one(FilterLine)
        line.typed()
        self.apply(event.value, remember=False)
        self._complete(self.desk, event.value, line.cursor_position)

    @on(FilterLine.Submitted, "#filter")
    @on(FilterLine.Leave)
    def _done_typing(self, event) -> None:
        value = self.query_one(FilterLine).value
        self.apply(value)
        self.query_one(TicketList).focus()

    @on(FilterLine.Wanted)
    def _take_completion(self) -> None:
        line = self.query_one(FilterLine)
        if not line.take_completion():
            self.query_one(TicketList).focus()

    @work(thread=True, exclusive=True, group="supervise-complete")
    def _complete(self, desk, text: str, cursor: int) -> None:
        if desk is None:
            return
        try:
            completion = desk.filter_completion(text, cursor)
        except HotlineError:
            return
        self.app.call_from_thread(self._show_completion, text, completion)

    def _show_completion(self, text: str, completion) -> None:
        line = self.query_one(FilterLine)
        if line.value != text or line.cycling:  # stale, or Tab is going through the choices of the one shown
            return
        line.completion = completion
        self._show_hints()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_hints()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_hints()

    def _show_hints(self) -> None:
        line = self.query_one(FilterLine)
        hints = Text(no_wrap=True, overflow="ellipsis")
        if line.has_focus:
            choices = line.completion.choices if line.completion is not None else []
            if choices:
                hints.append(" Tab ", style="bold reverse")
                for c in choices:
                    hints.append(f" {c.insert}", style="bold")
                    hints.append(f" {one_line(c.label)[:16]} ", style="dim")
            else:
                hints.append(" Enter 到列表  ↓ 到列表  Tab 补全", style="dim")
        else:
            narrow = self.size.width < 100
            for p in PRESETS:
                active = self.filter_text.strip() == p.filter
                hints.append(f" {p.key}", style="bold reverse" if active else "bold")
                hints.append((p.short or p.name) if narrow else p.name, style="reverse" if active else "")
        self.query_one("#filter-hints", Static).update(hints, layout=False)

    # --- the count -----------------------------------------------------------------------------------
    def _count(self) -> None:
        self.total = None
        self._show_count("计数中…")
        self._count_rows(self.desk, self.filter_text, self._listing)

    @work(thread=True, exclusive=True, group="supervise-count")
    def _count_rows(self, desk, text: str, generation: int) -> None:
        try:  # a count of a filter already typed past stops at once: it would only slow the next list
            n = desk.query_count(text, stop=lambda: generation != self._listing)
        except HotlineError as exc:
            self.app.call_from_thread(self._show_count, "计数失败", generation, str(exc))
            return
        if n is not None:
            self.app.call_from_thread(self._counted, n, generation)

    def _counted(self, n: int, generation: int) -> None:
        if generation == self._listing:
            self.total = n
            self._show_count(f"{n:,} 件")
            self._show_preview()

    def _show_count(self, text: str, generation: int | None = None, error: str | None = None) -> None:
        if generation is not None and generation != self._listing:
            return
        self.query_one("#filter-count", Static).update(Text(text, style="bold"))
        if error:
            self.notify(error, title="计数", severity="error", markup=False)
