"""F3 单位 — the unit lookup, and the same finder as a modal picker (``UnitPicker``) for forms.

The list follows every key: ``Desk.lookup_units_ranked`` runs on the UI thread (well under a millisecond
once the index is warm; ``Directory.warm``, the desk's usage counts and the answers to every one- and
two-letter query are worked out in a thread worker on mount). Each key repaints only the result rows: at
most LIMIT of them (the list is taller, so no scrollbar comes and goes and no layout pass is needed), each
drawn once from plain rich Text as one Strip (rows cached across keys); the duty card with its open-ticket
count is read in a worker after a pause in the keys and painted without a layout pass. Measured key to
repaint: tests/bench/bench_lookup_keys.py.
Everything from the directory is shown as plain text, never as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.strip import Strip
from textual.widgets.option_list import Option

from hotline_tui.domain.permissions import role_may

from screens.frame import DeskScreen
from screens.text import one_line

LIMIT = 8  # at most: the best few are what an operator picks from (top-5 accuracy is 100% on the evaluation set), and each shown row costs paint time per key
CARD_AFTER = 0.15  # seconds: while the query is typed the card waits for a pause in the keys; it does not compete with the list
COUNT_WAIT = 0.05  # seconds: an open-ticket count slower than this is painted after the card, not with it
CARD_LABELS = (("duties", "职责"), ("workflow", "流程"), ("materials", "材料"), ("time_limit", "时限"), ("contact", "联系"))
HINT = "↑/↓ 移动  Enter 选用  Tab 到列表后 c 复制 / o 未办结工单  Esc 清空/返回"
NO_GOOD_MATCH = "没有合适的单位"  # the first line when no unit matches the query well


def result_row(m: dict[str, Any]) -> Text:
    """One result: name, full path, why it matched — plain text. A match that merely looks or sounds like
    the query is dimmed and says 相近."""
    weak = m.get("good") is False
    row = Text(no_wrap=True, overflow="ellipsis", style="dim" if weak else "")
    row.append(one_line(m.get("name", "")), style="" if weak else "bold")
    row.append("  ")
    row.append(one_line(m.get("path", "")), style="dim")
    reason = one_line(m.get("reason", "")) + (" · 相近" if weak else "")
    if reason:
        row.append("  ")
        row.append(reason, style="italic")
    return row


def no_good_match_row(matches: list[dict[str, Any]]) -> Text:
    """The line above the results when no unit matches the query well."""
    routed = any(m.get("route") for m in matches)
    tail = "派单目录建议如下" if routed else "以下仅字音相近"
    return Text(f"{NO_GOOD_MATCH} · {tail}", style="bold yellow", no_wrap=True, overflow="ellipsis")


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
    out.append(f"\n{one_line(card['path'])}\n", style="dim")
    if card.get("dispatch") and card["dispatch"] != card["code"]:
        out.append(f"派单至 {one_line(card.get('dispatch_name') or card['dispatch'])}\n", style="dim")
    out.append("\n")
    for key, label in CARD_LABELS:
        value = one_line(card.get(key) or "") or "—"
        out.append(f"{label} ", style="bold")
        out.append(value + "\n")
    if card.get("published"):  # the unit's cadre published it (any desk, synced)
        who = " · ".join(one_line(card.get(k) or "") for k in ("updated", "updated_by") if card.get(k))
        out.append(f"版本 {card.get('version', '')} · 发布 {who}\n", style="dim")
    elif card.get("generic"):
        out.append("(本单位无专门职责清单, 以上为同级通用清单)\n", style="dim italic")
    elif card.get("updated") or card.get("updated_by"):
        who = " · ".join(one_line(card.get(k) or "") for k in ("updated", "updated_by") if card.get(k))
        out.append(f"更新 {who}\n", style="dim")
    out.append("\n")
    if isinstance(count, dict):
        out.append(f"未办结工单 {count['open']}", style="bold")
        if "lead" in count and count["open"]:
            out.append(f" (主办 {count['lead']}, 协办 {count['open'] - count['lead']})")
        if count["overdue"]:
            out.append(f" 超期 {count['overdue']}", style="bold red")
        out.append("    [o 查看]")
    else:
        out.append(f"未办结工单 {count or '…'}", style="dim")
    return out


class ResultList(OptionList):
    """The result rows: an OptionList (same API and messages) whose rows are one line each and are drawn
    from plain rich Text, cached by (row, unit, text, style, width) across keys, instead of laying out
    Content for every option on every key; styles are looked up once per repaint, not once per line.
    Overrides OptionList's line bookkeeping and line rendering (Textual is pinned exactly)."""

    MAX_CACHED = 600

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._row_strips: dict[tuple, Strip] = {}
        self._frame: tuple | None = None

    def show(self, options: list[Option], highlight: int | None = None) -> None:
        """Replace the rows like ``set_options`` and highlight one, but repaint only the lines whose row
        changed (typing on into the same name keeps most rows), not the whole list."""
        if self.scroll_offset.y or not self.is_mounted:  # scrolled by hand: the plain way
            self.set_options(options)
            if highlight is not None:
                self.highlighted = highlight
            return
        before = [(o.id, str(o.prompt), o.disabled) for o in self._options]
        old_highlight = self.highlighted
        self._options.clear()
        self._id_to_option.clear()
        self._option_to_index.clear()
        self._line_cache.clear()
        self._option_render_cache.clear()
        for i, option in enumerate(options):
            self._options.append(option)
            self._option_to_index[option] = i
            if option.id is not None:
                self._id_to_option[option.id] = option
        self._update_lines()
        after = [(o.id, str(o.prompt), o.disabled) for o in options]
        changed = {i for i in range(max(len(before), len(after)))
                   if i >= len(before) or i >= len(after) or before[i] != after[i]}
        if old_highlight != highlight:
            changed.update(i for i in (old_highlight, highlight) if i is not None)
        self.set_reactive(OptionList.highlighted, highlight)
        for i in changed:
            self.refresh_line(i)
        if highlight is not None and not options[highlight].disabled:
            self.post_message(self.OptionHighlighted(self, options[highlight], highlight))

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        n = len(self.options)
        if len(cache.lines) != n:  # every row is one line: no measuring
            cache.lines[:] = [(i, 0) for i in range(n)]
            cache.heights.clear()
            cache.heights.update((i, 1) for i in range(n))
            cache.index_to_line.clear()
            cache.index_to_line.update((i, i) for i in range(n))
        region = self.scrollable_content_region
        # as tall as the view until the rows outgrow it: the size (and so the layout) stays put from key to key
        size = Size(region.width, max(n, region.height))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def render_lines(self, crop):
        self._update_lines()
        self._frame = (self.scrollable_content_region.width, self.get_visual_style("option-list--option"),
                       self.get_visual_style("option-list--option", "option-list--option-highlighted"),
                       self.get_visual_style("option-list--option", "option-list--option-disabled"))
        try:
            return super(OptionList, self).render_lines(crop)  # ScrollView's: render_line per visible line
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        frame = getattr(self, "_frame", None)
        if frame is None:
            return super().render_line(y)
        width, normal, highlighted, disabled = frame
        index = self.scroll_offset.y + y
        options = self._options
        if index >= len(options):
            return Strip.blank(width, normal.rich_style)
        option = options[index]
        style = disabled if option.disabled else highlighted if index == self.highlighted else normal
        prompt = option.prompt
        key = (index, option.id, str(prompt), style, width)
        strip = self._row_strips.get(key)
        if strip is None:
            text = prompt if isinstance(prompt, Text) else Text(str(prompt))
            segments = [Segment(" ")] + [seg for seg in text.render(self.app.console) if seg.text != "\n"]
            # one Strip, not one per step (each Strip builds its own caches): crop/pad to the width, then
            # the row style under the text's own styles and the option index as meta on top
            segments = Segment.adjust_line_length(segments, width)
            strip = Strip(list(Segment.apply_style(segments, style.rich_style, Style.from_meta({"option": index}))), width)
            if len(self._row_strips) > self.MAX_CACHED:
                self._row_strips.clear()
            self._row_strips[key] = strip
        return strip


class QueryInput(Input):
    """The query box: an Input whose growing text does not ask the whole screen for a layout pass.

    Input sets its virtual size (a layout reactive) on every change of value; the box's own size is fixed
    by CSS, so the new virtual size is set without a layout and only its scroll limits are updated. And
    ``follow`` (the finder's refresh) runs right here, so the echo of the key and the new results are
    painted in the same frame instead of the echo first and the results a frame later, after ``Changed``
    has gone through the message queue."""

    def __init__(self, *args, follow=None, **kw) -> None:
        super().__init__(*args, **kw)
        self.follow = follow

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Input.virtual_size, size)
            self._scroll_update(size)
        self._suggestion = ""
        self.refresh()
        if self.follow is not None and self.is_mounted:
            self.follow(value)
        self.post_message(self.Changed(self, value, None))
        if self._initial_value:
            self.cursor_position = len(self.value)
            self._initial_value = False


class UnitFinder(Vertical):
    """Query input, type-ahead result list and the duty-card pane. Posts ``Picked`` on Enter."""

    BINDINGS = [
        Binding("up", "move(-1)", "上", show=False, id="lookup.up"),
        Binding("down", "move(1)", "下", show=False, id="lookup.down"),
        Binding("c", "copy", "复制", id="lookup.copy"),
        Binding("o", "open_tickets", "未办结工单", id="lookup.open"),
        Binding("p", "publish_card", "发布清单", id="lookup.publish_card"),
    ]

    class Picked(Message):
        def __init__(self, finder: UnitFinder, code: str, name: str) -> None:
            super().__init__()
            self.finder, self.code, self.name = finder, code, name

    class OpenTickets(Message):
        """``o``: the screen around the finder decides whether and how to list the unit's open tickets."""

        def __init__(self, finder: UnitFinder, code: str, name: str) -> None:
            super().__init__()
            self.finder, self.code, self.name = finder, code, name

    class PublishCard(Message):
        """``p``: the unit's cadre publishes its duty card (the screen around the finder opens the form)."""

        def __init__(self, finder: UnitFinder, code: str) -> None:
            super().__init__()
            self.finder, self.code = finder, code

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.matches: list[dict[str, Any] | None] = []  # None: the "no good match" line
        self._ready = False
        self._card_code: str | None = None
        self._shown: str | None = None  # the query the list shows
        self._card_timer = None  # the pending card load while a query is being typed
        self._count_timer = None  # paints the card alone when its open-ticket count is slow

    def compose(self) -> ComposeResult:
        yield QueryInput(follow=self.refresh_results, placeholder="查找单位: 中文、拼音、首字母、简称、旧称、职责 (如 tdjd、城管、占道经营)", id="lookup-query")
        with Horizontal(id="lookup-body"):
            with Vertical(id="lookup-left"):
                yield ResultList(id="lookup-results")
                yield Static(Text(HINT), id="lookup-hint")
            yield Static(Text("未选中单位"), id="lookup-card")

    @property
    def desk(self):
        return getattr(self.app, "desk", None)

    @property
    def waiting(self) -> bool:
        """Whether the card is still to be read or painted (the keys have not paused yet, or its count is slow)."""
        return self._card_timer is not None or self._count_timer is not None

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
        if hasattr(desk, "unit_usage"):
            try:
                desk.unit_usage()  # cached on the Desk; the next keys rank by it
            except Exception:  # ranking without usage is still a ranking
                pass
            else:
                self.app.call_from_thread(self._usage_read)
        if hasattr(desk, "prime_lookups"):
            desk.prime_lookups()  # the first keys of a query are then answered from memory
        freeze = getattr(self.app, "freeze_long_lived", None)
        if freeze is not None:
            freeze()  # the index and those answers live as long as the desk

    def _usage_read(self) -> None:
        box = self.query_one("#lookup-query", Input)
        if box.value.strip():
            self.refresh_results(box.value)

    def _warmed(self) -> None:
        self._ready = True
        self.refresh_results(self.query_one("#lookup-query", Input).value)

    def _show_status(self, message: str) -> None:
        self.query_one("#lookup-card", Static).update(Text(one_line(message)))

    # --- the list ------------------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _changed(self, event: Input.Changed) -> None:
        if event.value != self._shown:  # QueryInput has normally shown it already
            self.refresh_results(event.value)

    def refresh_results(self, query: str) -> None:
        results = self.query_one("#lookup-results", OptionList)
        if not self._ready or self.desk is None:
            self.matches = []
            self._shown = None
            results.set_options([Option(Text("单位目录正在打开…", style="dim"), disabled=True)])
            return
        self._shown = query
        q = query.strip()
        desk = self.desk
        find = getattr(desk, "lookup_units_ranked", None) or desk.lookup_units
        found = find(q, LIMIT) if q else []  # a list shorter than LIMIT rows (a small terminal) scrolls
        if found and (found[0].get("good") is False or found[0].get("route")):
            # nothing matches well: say so on the first line (not selectable), the routes and look-alikes under it
            found = found[:LIMIT - 1]
            self.matches = [None, *found]
            results.show([Option(no_good_match_row(found), disabled=True),
                          *(Option(result_row(m), id=m["code"]) for m in found)], 1)
        elif found:
            self.matches = found
            results.show([Option(result_row(m), id=m["code"]) for m in self.matches], 0)
        elif q:
            self.matches = []
            results.show([Option(Text("无匹配单位", style="dim"), disabled=True)])
        else:
            self.matches = []
            results.show([])
        self._show_card(typing=True)

    @on(OptionList.OptionHighlighted, "#lookup-results")
    def _highlighted(self, _event) -> None:
        if self._card_timer is None:  # moved by hand (a key typed into the query waits for its pause)
            self._show_card()

    @on(OptionList.OptionSelected, "#lookup-results")
    def _clicked(self, _event) -> None:
        self.action_pick()

    def selected(self) -> dict[str, Any] | None:
        index = self.query_one("#lookup-results", OptionList).highlighted
        if index is None or not (0 <= index < len(self.matches)):
            return None
        return self.matches[index]  # None on the "no good match" line

    def action_move(self, step: int) -> None:
        results = self.query_one("#lookup-results", OptionList)
        if not any(self.matches):
            return
        first = 1 if self.matches[0] is None else 0
        index = results.highlighted if results.highlighted is not None else first - step
        results.highlighted = max(first, min(len(self.matches) - 1, index + step))

    # --- the card ------------------------------------------------------------------------------
    def _show_card(self, typing: bool = False) -> None:
        """The card follows the highlight; it is read (with the open-ticket count) in a worker. While the
        query is typed, the read waits until the keys pause for CARD_AFTER."""
        if self._card_timer is not None:
            self._card_timer.stop()
            self._card_timer = None
        m = self.selected()
        if typing and m is not None and m["code"] != self._card_code:
            self._card_timer = self.set_timer(CARD_AFTER, self._typing_paused)
            return
        if m is None:
            if self._card_code is not None or not self.matches:
                self._card_code = None
                self.query_one("#lookup-card", Static).update(Text("未选中单位"), layout=False)
            return
        if m["code"] == self._card_code:
            return
        self._card_code = m["code"]
        self._count_value = None
        self._stop_count_wait()  # the last unit's card is not painted late over this one
        self._load_card(m["code"])

    def _typing_paused(self) -> None:
        self._card_timer = None
        self._show_card()

    @work(thread=True, exclusive=True, group="lookup-card")
    def _load_card(self, code: str) -> None:
        desk = self.desk
        card = desk.unit_card(code)
        self.app.call_from_thread(self._card_read, code, card)
        try:
            count_of = getattr(desk, "unit_open_count", None) or desk.open_ticket_count
            count: dict[str, int] | str = count_of(code)
        except Exception:  # the store may still be opening; the card still shows
            count = "(工单库不可用)"
        self.app.call_from_thread(self._card_ready, code, card, count)

    def _card_read(self, code: str, card) -> None:
        """The card is read; its open-ticket count normally follows at once and both are painted together.
        A count slower than COUNT_WAIT (a busy unit on a big store) lets the card be painted first."""
        if code != self._card_code:
            return
        self._stop_count_wait()
        self._count_timer = self.set_timer(COUNT_WAIT, lambda: self._card_ready(code, card, None))

    def _stop_count_wait(self) -> None:
        timer, self._count_timer = self._count_timer, None
        if timer is not None:
            timer.stop()

    def _card_ready(self, code: str, card, count) -> None:
        if code != self._card_code:  # a late answer for a unit no longer highlighted
            return
        if count is not None:
            self._stop_count_wait()
        else:
            self._count_timer = None
        self._card = card
        if count is not None:
            self._count_value = count
        self.query_one("#lookup-card", Static).update(card_text(card, count), layout=False)

    # --- keys ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        """Picks the unit a request goes to: a section's department (its card stays the section's)."""
        m = self.selected()
        if m is None:
            self.notify("没有选中的单位", severity="warning")
            return
        code = m.get("dispatch") or m["code"]
        name = m["name"] if code == m["code"] else m["path"].split(" › ")[-2]
        self.post_message(self.Picked(self, code, name))

    def check_action(self, action: str, parameters) -> bool | None:
        # c / o are single letters: while the query box has focus they are typed, not actions
        if action in ("copy", "open_tickets", "publish_card") and isinstance(self.app.focused, Input):
            return False
        if action == "publish_card":  # shown to those who may publish a card at all (a cadre, a supervisor)
            settings = getattr(self.desk, "settings", None)
            return settings is not None and role_may(settings.role, "card_publish")
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
            self.notify("没有选中的单位", severity="warning")
            return
        self.post_message(self.OpenTickets(self, m["code"], m["name"]))

    def action_publish_card(self) -> None:
        m = self.selected()
        if m is None:
            self.notify("没有选中的单位", severity="warning")
            return
        self.post_message(self.PublishCard(self, m["code"]))

    def card_published(self, code: str) -> None:
        """The card of ``code`` changed: show it again if it is the one shown."""
        if code == self._card_code:
            self._card_code = None
            self._show_card()

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

    @on(UnitFinder.OpenTickets)
    def _open_tickets(self, event: UnitFinder.OpenTickets) -> None:
        open_unit_tickets(self, event.code, event.name)

    @on(UnitFinder.PublishCard)
    def _publish_card(self, event: UnitFinder.PublishCard) -> None:
        from screens.card_form import CardForm

        why_not = self.desk.may_publish_card(event.code) if self.desk is not None else "工单库正在打开, 请稍候"
        if why_not:
            self.notify(why_not, title="p 发布清单", severity="warning", markup=False)
            return

        def done(card: dict | None) -> None:
            if card is not None:
                self.notify(f"已发布 {one_line(card['name'])} 的职责清单 · 版本 {card['version']}", markup=False)
                event.finder.card_published(event.code)

        self.app.push_screen(CardForm(event.code), done)

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

    @on(UnitFinder.PublishCard)
    def _publish_card(self, event: UnitFinder.PublishCard) -> None:
        event.stop()
        self.notify("选择单位时不发布清单: 在 F3 单位 中按 p", markup=False)

    @on(UnitFinder.OpenTickets)
    def _open_tickets(self, event: UnitFinder.OpenTickets) -> None:
        event.stop()
        self.notify("选择单位时不打开工单列表: 在 F3 单位 中按 o 查看", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_unit_tickets(screen, code: str, name: str) -> None:
    """Push the unit's open-ticket list, unless this desk's person may not see it (a cadre, another unit)."""
    from screens.unit_tickets import UnitTicketsScreen

    desk = getattr(screen.app, "desk", None)
    if desk is None:
        screen.notify("工单库正在打开, 请稍候", severity="warning", markup=False)
        return
    check = getattr(desk, "may_see_unit_tickets", None)
    why_not = check(code) if check is not None else None
    if why_not:
        screen.notify(why_not, title="o 未办结工单", severity="warning", markup=False)
        return
    screen.app.push_screen(UnitTicketsScreen(code, name))
