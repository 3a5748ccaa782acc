"""F2 受理 — register a request while the caller is still talking.

The form goes in the order of a call (number, name, nature, category, place, address, description,
urgency, handling); Enter and Tab move on, every field also has an alt key. Type-ahead lists serve the
category, place and unit fields (Enter takes the highlighted one). The caller's history fills in a worker
as soon as the number is complete; similar open requests and the suggested units refresh in a worker a
moment after the description, place or category change. ctrl+s or F8 saves; the number is shown for
reading back and the form clears for the next call. Nothing typed is lost by switching areas.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, Vertical
from textual.css.query import NoMatches
from textual.widgets import Checkbox, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from hotline_tui.domain.intake_form import MODES, IntakeValues, check, phone_status, split_codes, to_request
from hotline_tui.domain.vocabulary import CHANNELS, NATURES, TRANSFER_TARGETS, URGENCIES
from hotline_tui.errors import HotlineError

from screens.choice_bar import ChoiceBar
from screens.frame import DeskScreen
from screens.key_order import FormInput, FormTextArea
from screens.intake_confirm import DispatchConfirm
from screens.intake_live import LiveDraft, Taking
from screens.intake_panels import check_text, deadline_text, done_text, history_text, phone_mark, similar_row, suggestion_text
from screens.lookup import result_row
from screens.text import one_line
from screens.unit_hook import open_unit_picker

DEBOUNCE_S = 0.3
MATCH_LIMIT = 5
MATCHED = ("category", "place", "lead", "assist")  # inputs with a type-ahead list


def _while_shown(method):
    """A worker's result delivered after the screen's widgets are gone (the desk closing) is dropped."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except NoMatches:
            return None

    return run


class MatchInput(FormInput):
    """An input whose text is looked up as it is typed; Enter takes the highlighted match."""

    def __init__(self, source: str, **kw: Any) -> None:
        super().__init__(id=source, **kw)
        self.source = source


class SuggestionPicker(Static, can_focus=True):
    """The suggested units; in the Tab order right after the description: 1/2/3 take one, Enter moves on."""

    DEFAULT_CSS = "SuggestionPicker:focus { background: $boost; }"

    def on_key(self, event: events.Key) -> None:
        from screens.key_order import pass_on

        if pass_on(self, event):
            return
        if event.key == "enter":
            event.stop()
            self.screen.focus_next()
        elif event.character and event.character in "123":
            event.stop()
            self.screen.action_accept(int(event.character), move_on=True)


def _row(label: str, *widgets, id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="intake-label"), *widgets, classes="intake-row", id=id)


class IntakeScreen(DeskScreen):
    MODE = "intake"
    CSS_PATH = Path(__file__).with_name("intake.tcss")
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="intake.save", priority=True),
        Binding("f8", "save", "保存", id="intake.save_f8", priority=True),
        Binding("alt+1", "accept(1)", "采用建议1", id="intake.accept1", priority=True),
        Binding("alt+2", "accept(2)", "采用建议2", show=False, id="intake.accept2", priority=True),
        Binding("alt+3", "accept(3)", "采用建议3", show=False, id="intake.accept3", priority=True),
        Binding("alt+r", "repeat", "补充重复件", id="intake.repeat", priority=True),
        Binding("alt+s", "focus_similar", "相似/并单", id="intake.similar", priority=True),
        Binding("ctrl+u", "pick_unit", "查找单位", id="intake.pick_unit", priority=True),
        Binding("alt+i", "insert_card", "插入职责", id="intake.insert_card", priority=True),
        Binding("ctrl+n", "clear", "清空", id="intake.clear", priority=True),
        Binding("alt+p", "jump('phone')", "号码", show=False, id="intake.go_phone", priority=True),
        Binding("alt+n", "jump('name')", "姓名", show=False, id="intake.go_name", priority=True),
        Binding("alt+a", "toggle('anonymous')", "匿名", show=False, id="intake.anonymous", priority=True),
        Binding("alt+b", "toggle('confidential')", "保密", show=False, id="intake.confidential", priority=True),
        Binding("alt+q", "jump('channel')", "渠道", show=False, id="intake.go_channel", priority=True),
        Binding("alt+x", "jump('nature')", "性质", show=False, id="intake.go_nature", priority=True),
        Binding("alt+c", "jump('category')", "分类", show=False, id="intake.go_category", priority=True),
        Binding("alt+l", "jump('place')", "地点", show=False, id="intake.go_place", priority=True),
        Binding("alt+d", "jump('description')", "诉求", show=False, id="intake.go_description", priority=True),
        Binding("alt+j", "jump('urgency')", "紧急", show=False, id="intake.go_urgency", priority=True),
        Binding("alt+m", "jump('mode')", "方式", show=False, id="intake.go_mode", priority=True),
        Binding("up", "match(-1)", show=False),
        Binding("down", "match(1)", show=False),
        Binding("escape", "hide_matches", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(name="intake")
        self.values = IntakeValues()
        self._accepted: dict[str, str] = {}  # source -> the text the input shows for what was chosen
        self._matches: list[dict[str, Any]] = []
        self._match_source = ""
        self._suggestions: list[dict[str, Any]] = []
        self._similar: list[dict[str, Any]] = []
        self._history: dict[str, Any] | None = None
        self._repeats: list[dict[str, Any]] = []
        self._history_phone = ""
        self._touched: set[str] = set()
        self._save_tried = False
        self._busy = False
        self._timer = None
        self._clear_armed = False
        self._warmed = False
        self.live = LiveDraft(self)  # what a cadre beside this operator sees (接线体悟)
        self.taking = Taking(self)  # 我当接线员: a call the cadre takes here

    # --- layout --------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        # In a narrow terminal (Screen.-narrow, see intake.tcss) the body is one scrolling column.
        with Vertical(id="intake-body"):
            yield Static("", id="intake-done", classes="-empty")  # the saved number, to read back
            yield from self._compose_form()

    def _compose_form(self) -> ComposeResult:
        with Horizontal(id="intake-caller"):
            with HorizontalGroup(id="caller-who"):
                yield Label("来电", classes="intake-label")
                yield FormInput(id="phone", placeholder="手机或座机", max_length=24)
                yield Static("", id="phone-mark")
                yield Label("姓名", classes="intake-label")
                yield FormInput(id="name", placeholder="可不填", max_length=40)
            with HorizontalGroup(id="caller-flags"):
                yield Checkbox("匿名 alt+a", id="anonymous")
                yield Checkbox("保密 alt+b", id="confidential")
        yield _row("渠道", ChoiceBar(CHANNELS, "hotline", id="channel"), id="channel-row")
        with Horizontal(id="intake-main"):
            with Vertical(id="intake-left"):
                yield Static(Text("来电历史", style="bold"), classes="panel-title")
                yield Static(history_text(None, []), id="history")
                yield Static(Text("相似未办结 alt+s · Enter 并单", style="bold"), classes="panel-title")
                yield OptionList(id="similar")
            with Vertical(id="intake-form"):
                yield _row("性质", ChoiceBar(NATURES, id="nature"))
                yield _row("分类", MatchInput("category", placeholder="输入分类, 如 占道 / zdjy"), Static("", id="category-path", classes="chosen"))
                yield _row("地点", MatchInput("place", placeholder="街道/社区/区市, 如 台东 / tdjd (ctrl+u 查找)"), Static("", id="place-path", classes="chosen"))
                yield _row("地址", FormInput(id="address", placeholder="门牌、小区、路口 (可不填)", max_length=200))
                yield OptionList(id="matches")
                yield Label("诉求", classes="intake-label")
                yield FormTextArea(id="description", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
                yield SuggestionPicker(suggestion_text([], ""), id="suggestions")
                yield _row("紧急", ChoiceBar(URGENCIES, "normal", id="urgency"))
                yield _row("方式", ChoiceBar(MODES, "dispatch", id="mode"))
                with Horizontal(id="dispatch-row", classes="intake-row"):
                    yield Label("主办", classes="intake-label")
                    yield MatchInput("lead", placeholder="alt+1 采用建议, 或输入查找 (ctrl+u)")
                    yield Label("协办", classes="intake-label", id="assist-label")
                    yield MatchInput("assist", placeholder="单位, 逗号分隔 (ctrl+u)")
                with Vertical(id="answer-box"):
                    yield Label("答复 (alt+i 插入地点单位的职责清单)")
                    yield FormTextArea(id="answer", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
                yield _row("转至", ChoiceBar(TRANSFER_TARGETS, allow_empty=True, id="transfer"), id="transfer-row")
                yield Static(deadline_text(None, "dispatch"), id="deadline")
                yield Static("", id="intake-check")

    def on_mount(self) -> None:
        self.query_one("#matches", OptionList).display = False
        for cb in self.query(Checkbox):
            cb.can_focus = False  # flags have their own keys; Tab stays on the fields of the call
        self.query_one("#channel", ChoiceBar).can_focus = False
        for wid in ("#matches", "#similar"):  # reached by their keys, not by Tab through the call
            self.query_one(wid, OptionList).can_focus = False
        self._show_mode()
        self._recheck()
        self.query_one("#phone", Input).focus()

    def on_screen_resume(self) -> None:
        self._warm()

    # --- reading the form ----------------------------------------------------------------------------
    @on(Input.Changed, "#phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self.values.caller_phone = event.value
        self._update_phone()

    def _update_phone(self) -> None:
        v = self.values
        status, parsed = phone_status(v.caller_phone, v.anonymous)
        self.query_one("#phone-mark", Static).update(phone_mark(status, parsed.label if parsed else ""))
        if parsed is not None and parsed.number != self._history_phone:
            self._history_phone = parsed.number
            self.query_one("#history", Static).update(history_text(None, [], loading=True))
            self._load_history(parsed.number)
        elif parsed is None and self._history_phone:
            self._history_phone, self._history, self._repeats = "", None, []
            self.query_one("#history", Static).update(history_text(None, []))
        self._recheck()

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self.values.caller_name = event.value
        self._recheck()

    @on(Input.Changed, "#address")
    def _address_changed(self, event: Input.Changed) -> None:
        self.values.address = event.value
        self._recheck()

    @on(Checkbox.Changed)
    def _flag_changed(self, event: Checkbox.Changed) -> None:
        setattr(self.values, event.checkbox.id, event.value)
        self._update_phone()

    @on(ChoiceBar.Changed)
    def _choice_changed(self, event: ChoiceBar.Changed) -> None:
        name = event.bar.id
        if name == "channel":
            self.values.channel = event.value or "hotline"
        elif name == "nature":
            self.values.nature = event.value
        elif name == "urgency":
            self.values.urgency = event.value or "normal"
        elif name == "mode":
            self.values.mode = event.value or "dispatch"
            self._show_mode()
        elif name == "transfer":
            self.values.transfer_to = event.value
        self._update_deadline()
        self._recheck()

    def choice_made(self, bar: ChoiceBar) -> bool:
        """Called by a ChoiceBar as a digit picks: a handling mode shows its fields and focus goes to the first."""
        if bar.id != "mode" or not bar.value:
            return False
        self.values.mode = bar.value
        self._show_mode()
        first = {"dispatch": "#lead", "lead_assist": "#lead", "answer": "#answer", "transfer": "#transfer"}[bar.value]
        self.set_focus(self.query_one(first))
        return True

    @on(TextArea.Changed, "#description")
    def _description_changed(self, event: TextArea.Changed) -> None:
        self.values.description = event.text_area.text
        self._recheck()
        self._schedule_suggest()

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        self.values.answer = event.text_area.text
        self._recheck()

    # --- type-ahead lists ----------------------------------------------------------------------------
    @on(Input.Changed, "MatchInput")
    def _match_changed(self, event: Input.Changed) -> None:
        source = event.input.source
        if event.value != event.input.value or event.value == self._accepted.get(source):
            return  # an older keystroke's message, or the text of what was just chosen
        self._accepted.pop(source, None)
        v = self.values
        if source == "category":
            v.category_typed, v.category = event.value, []
            self.query_one("#category-path", Static).update("")
            self._schedule_suggest()
        elif source == "place":
            v.place_typed, v.place = event.value, ""
            self.query_one("#place-path", Static).update("")
            self._schedule_suggest()
        elif source == "lead":
            v.lead = ""
            self._show_suggestions()
        elif source == "assist":
            v.assist = [c for c in split_codes(event.value) if self._unit_known(c)]
        self._search(source, self._query_of(source, event.value))
        self._recheck()

    def _query_of(self, source: str, text: str) -> str:
        if source == "assist":  # the last item of the list is what is being typed
            return split_codes(text)[-1] if split_codes(text) and not text.rstrip().endswith((",", "，", "、")) else ""
        return text.strip()

    def _search(self, source: str, query: str) -> None:
        desk = self.desk
        found: list[dict[str, Any]] = []
        if desk is not None and query:
            try:
                if source == "category":
                    found = desk.search_categories(query, limit=MATCH_LIMIT)
                elif not (source == "assist" and self._unit_known(query)):
                    found = desk.lookup_units(query, limit=MATCH_LIMIT)
            except Exception as exc:  # a lookup must never break typing; say why once
                self.notify(f"查找失败: {exc}", severity="warning", markup=False)
        self._set_matches(source, found)

    def _set_matches(self, source: str, found: list[dict[str, Any]]) -> None:
        self._matches, self._match_source = found, source
        box = self.query_one("#matches", OptionList)
        box.clear_options()
        if found:
            if source == "category":
                box.add_options([Option(Text(one_line(m.get("label", "")) + "  " + one_line(m.get("reason") or ""), no_wrap=True)) for m in found])
            else:
                box.add_options([Option(result_row(m)) for m in found])
            box.highlighted = 0
        box.display = bool(found)

    def action_match(self, step: int) -> None:
        box = self.query_one("#matches", OptionList)
        if not box.display or not self._matches:
            return
        at = box.highlighted if box.highlighted is not None else 0
        box.highlighted = max(0, min(len(self._matches) - 1, at + step))

    def action_hide_matches(self) -> None:
        self._set_matches("", [])

    def _accept_match(self, source: str) -> bool:
        """Take the highlighted match for ``source``; False when there is none."""
        box = self.query_one("#matches", OptionList)
        if self._match_source != source or not self._matches or not box.display:
            return False
        m = self._matches[box.highlighted or 0]
        if source == "category":
            self._set_category(list(m["path"]), m.get("label") or " › ".join(m["path"]))
        elif source == "place":
            self._set_place(m["code"], m.get("name", m["code"]), m.get("path", ""))
        elif source == "lead":
            self._set_lead(m["code"], m.get("name", m["code"]))
        elif source == "assist":
            self._add_assist(m["code"])
        self._set_matches("", [])
        return True

    def _set_input(self, source: str, text: str) -> None:
        self._accepted[source] = text
        self.query_one(f"#{source}", Input).value = text

    def _set_category(self, path: list[str], label: str) -> None:
        self.values.category, self.values.category_typed = path, label
        self._set_input("category", path[-1] if path else "")
        self.query_one("#category-path", Static).update(Text(one_line(label), style="dim"))
        self._schedule_suggest()
        self._recheck()

    def _set_place(self, code: str, name: str, path: str) -> None:
        self.values.place, self.values.place_typed = code, name
        self._set_input("place", name)
        self.query_one("#place-path", Static).update(Text(one_line(path), style="dim"))
        self._schedule_suggest()
        self._recheck()

    def _set_lead(self, code: str, name: str) -> None:
        self.values.lead = code
        self._set_input("lead", name)
        self._show_suggestions()
        self._recheck()

    def _add_assist(self, code: str) -> None:
        field = self.query_one("#assist", Input)
        kept = split_codes(field.value)
        if kept and not field.value.rstrip().endswith((",", "，", "、")):
            kept = kept[:-1]  # the item being typed is replaced by the pick
        codes = [c for c in kept if c != code] + [code]
        self.values.assist = [c for c in codes if self._unit_known(c)]
        self._set_input("assist", ", ".join(codes))
        self._recheck()

    def _unit_known(self, code: str) -> bool:
        desk = self.desk
        try:
            return desk is not None and desk.unit_exists(code)
        except Exception:
            return False

    # --- moving on -------------------------------------------------------------------------------------
    def field_entered(self, field: FormInput) -> None:
        """Enter in a field (called at once by the field): take the highlighted match, or move on."""
        if isinstance(field, MatchInput):
            source = field.source
            if source != self._match_source and field.value.strip() and source not in self._accepted:
                self._search(source, self._query_of(source, field.value))  # typed faster than the list followed
            if self._accept_match(source):
                if source == "assist":
                    return  # stay for another assisting unit
            elif field.value.strip() and source in ("category", "place", "lead") and source not in self._accepted:
                hint = "换个说法" if source == "category" else "换个说法, 或 ctrl+u 查找"
                self.notify(f"没有匹配的项: {hint}", severity="warning")
                return
        self._touched.add(self._field_of(field.id or ""))
        self._recheck()
        self.focus_next()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        wid = getattr(event.widget, "id", None) or ""
        if wid:
            self._touched.add(self._field_of(wid))
        if wid == "similar":
            event.widget.can_focus = False
        if wid in MATCHED:
            self.set_timer(0.05, self._hide_unless_matching)
        self._recheck()

    def _hide_unless_matching(self) -> None:
        focused = self.focused
        if not (isinstance(focused, MatchInput) and focused.source == self._match_source):
            self._set_matches("", [])

    @staticmethod
    def _field_of(wid: str) -> str:
        return {"phone": "caller_phone", "name": "caller_name", "transfer": "transfer_to"}.get(wid, wid)

    def action_jump(self, target: str) -> None:
        try:
            self.set_focus(self.query_one(f"#{target}"))  # at once, so keys typed right after land there
        except Exception:
            pass

    def action_toggle(self, name: str) -> None:
        box = self.query_one(f"#{name}", Checkbox)
        box.value = not box.value

    def action_focus_similar(self) -> None:
        if not self._similar:
            self.notify("没有相似的未办结诉求", severity="information")
            return
        box = self.query_one("#similar", OptionList)
        box.can_focus = True
        self.set_focus(box)
        if box.highlighted is None:
            box.highlighted = 0

    # --- the handling mode -----------------------------------------------------------------------------
    def _show_mode(self) -> None:
        mode = self.values.mode
        self.query_one("#dispatch-row").display = mode in ("dispatch", "lead_assist")
        for wid in ("#assist-label", "#assist"):
            self.query_one(wid).display = mode == "lead_assist"
        self.query_one("#answer-box").display = mode == "answer"
        self.query_one("#transfer-row").display = mode == "transfer"
        self._update_deadline()

    def _update_deadline(self) -> None:
        v, desk = self.values, self.desk
        deadline = None
        if desk is not None and v.nature and v.mode in ("dispatch", "lead_assist"):
            try:
                deadline = desk.intake_deadline(v.nature, v.urgency)
            except Exception:
                deadline = None
        self.query_one("#deadline", Static).update(deadline_text(deadline, v.mode))

    # --- suggestions, similar requests, history (workers) ----------------------------------------------
    def _warm(self) -> None:
        if not self._warmed and self.desk is not None and hasattr(self.desk, "warm_routing"):
            self._warmed = True
            self._warm_worker()

    @work(thread=True, exclusive=True, group="intake-warm")
    def _warm_worker(self) -> None:
        try:
            self.desk.warm_routing()
        except Exception:
            pass  # suggestions then go without this desk's history; they say so in their reasons

    @property
    def waiting(self) -> bool:
        """True while the suggestions wait for a pause in the typing (DEBOUNCE_S)."""
        return self._timer is not None

    def _schedule_suggest(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self._suggest_now)

    def _suggest_now(self) -> None:
        self._timer = None
        v = self.values
        if self.desk is None:
            return
        self._suggest(v.description, v.place or None, list(v.category) or None, self._history_phone)

    @work(thread=True, exclusive=True, group="intake-suggest")
    def _suggest(self, description: str, place: str | None, category: list[str] | None, phone: str) -> None:
        desk = self.desk
        out: dict[str, Any] = {"key": (description, place, tuple(category or ())), "suggestions": [], "similar": [], "repeats": []}
        calls = {
            "suggestions": lambda: desk.suggest_units(description, place=place, category=category, limit=3),
            "similar": lambda: desk.similar_open(description, place=place, category=category, limit=5),
            "repeats": lambda: desk.repeat_candidates(phone, category=category, place=place, description=description) if phone else [],
        }
        for name, call in calls.items():  # each helps on its own; a failure must not stop the call being taken
            try:
                out[name] = call()
            except Exception as exc:
                label = {"suggestions": "建议承办", "similar": "相似诉求", "repeats": "重复件"}[name]
                self.app.call_from_thread(self.notify, f"{label}查询失败: {exc}", severity="warning", markup=False)
        self.app.call_from_thread(self._suggested, out)

    @_while_shown
    def _suggested(self, out: dict[str, Any]) -> None:
        v = self.values
        if out["key"] != (v.description, v.place or None, tuple(v.category)):
            return  # the form moved on; a newer round is coming
        self._suggestions = out["suggestions"]
        self._similar = out["similar"]
        self._repeats = out["repeats"]
        self._show_suggestions()
        box = self.query_one("#similar", OptionList)
        box.clear_options()
        box.add_options([Option(similar_row(s)) for s in self._similar])
        self.query_one("#history", Static).update(history_text(self._history, self._repeats))

    def _show_suggestions(self) -> None:
        self.query_one("#suggestions", SuggestionPicker).update(suggestion_text(self._suggestions, self.values.lead))

    @work(thread=True, exclusive=True, group="intake-history")
    def _load_history(self, phone: str) -> None:
        desk = self.desk
        if desk is None:
            return
        v = self.values
        try:
            history = desk.caller_history(phone)
            repeats = desk.repeat_candidates(phone, category=list(v.category) or None, place=v.place or None, description=v.description)
        except Exception as exc:  # the history helps; its failure must not stop the call being taken
            self.app.call_from_thread(self.notify, f"来电历史查询失败: {exc}", severity="warning", markup=False)
            return
        self.app.call_from_thread(self._history_loaded, phone, history, repeats)

    @_while_shown
    def _history_loaded(self, phone: str, history: dict[str, Any], repeats: list[dict[str, Any]]) -> None:
        if phone != self._history_phone:
            return
        self._history, self._repeats = history, repeats
        self.query_one("#history", Static).update(history_text(history, repeats))

    def action_accept(self, n: int, move_on: bool = False) -> None:
        if n > len(self._suggestions):
            self.notify(f"没有第 {n} 个建议", severity="warning")
            return
        s = self._suggestions[n - 1]
        if self.values.mode not in ("dispatch", "lead_assist"):
            self.query_one("#mode", ChoiceBar).choose("dispatch")
            self.values.mode = "dispatch"  # now, not when the bar's message arrives
            self._show_mode()
        self._set_lead(s["code"], s.get("name", s["code"]))
        if move_on:
            self.focus_next()

    def action_pick_unit(self) -> None:
        focused = self.focused
        source = focused.source if isinstance(focused, MatchInput) and focused.source != "category" else "lead"
        field = self.query_one(f"#{source}", Input)
        typed = self._query_of(source, field.value) if source not in self._accepted else ""

        def chosen(code: str | None) -> None:
            if not code:
                return
            desk = self.desk
            name = desk.unit_name(code) if desk is not None else code
            if source == "place":
                card = desk.unit_card(code) if desk is not None else None
                self._set_place(code, name, (card or {}).get("path", ""))
            elif source == "assist":
                self._add_assist(code)
            else:
                self._set_lead(code, name)

        open_unit_picker(self.app, chosen, query=typed)

    def action_insert_card(self) -> None:
        desk, v = self.desk, self.values
        code = v.place or v.lead or (self._suggestions[0]["code"] if self._suggestions else "")
        card = desk.unit_card(code) if desk is not None and code else None
        if card is None:
            self.notify("先选定地点或承办单位", severity="warning")
            return
        if v.mode != "answer":
            self.query_one("#mode", ChoiceBar).choose("answer")
            v.mode = "answer"  # now, not when the bar's message arrives: a save may come first
            self._show_mode()
        parts = [f"{card['name']}: "]
        for key, label in (("duties", "职责"), ("workflow", "流程"), ("materials", "材料"), ("time_limit", "时限"), ("contact", "联系方式")):
            if card.get(key):
                parts.append(f"{label} {card[key]}; ")
        area = self.query_one("#answer", TextArea)
        area.insert("".join(parts).rstrip("; ") + "。")
        area.focus()

    # --- checking and saving ---------------------------------------------------------------------------
    def _recheck(self) -> dict[str, str]:
        problems = check(self.values, self._unit_known if self.desk is not None else None)
        self.query_one("#intake-check", Static).update(check_text(problems, self._touched, self._save_tried))
        self.live.changed()
        return problems

    def _sync_from_widgets(self) -> None:
        """Take the text fields as they are now (their change messages may still be on the way)."""
        v = self.values
        v.caller_phone = self.query_one("#phone", Input).value
        v.caller_name = self.query_one("#name", Input).value
        v.address = self.query_one("#address", Input).value
        v.description = self.query_one("#description", TextArea).text
        v.answer = self.query_one("#answer", TextArea).text

    def _after_typing(self, callback, *args) -> None:
        """Run ``callback`` once the keys already typed into the focused field have reached it."""
        target = self.focused if self.focused is not None else self
        target.call_later(callback, *args)

    def action_save(self, merge_into: str | None = None) -> None:
        self._after_typing(self._save_checked, merge_into)

    def _save_checked(self, merge_into: str | None = None) -> None:
        self._sync_from_widgets()
        if self._busy:
            return
        if self.desk is None:
            self.notify("工单库正在打开, 请稍候再保存", severity="warning")
            return
        problems = self._recheck()
        if (merge_into is None and set(problems) == {"lead"} and not self.values.lead and self._suggestions
                and self.values.mode == "dispatch"):
            self.app.push_screen(DispatchConfirm(self._suggestions), self._confirmed)
            return
        if merge_into is not None:  # a merged request takes no handling of its own
            problems = {k: m for k, m in problems.items() if k not in ("lead", "assist", "answer", "transfer_to")}
        if problems:
            self._save_tried = True
            self._recheck()
            first = next(iter(problems))
            self.action_jump({"caller_phone": "phone", "caller_name": "name", "transfer_to": "transfer"}.get(first, first))
            self.app.bell()
            return
        data = to_request(self.values)
        if merge_into is not None:
            data.pop("handling", None)
        self._busy = True
        self._show_done(Text("保存中…", style="dim"))
        self._save(data, merge_into, self.taking.taken_by)

    def _confirmed(self, code: str | None) -> None:
        if code is None:
            self.action_jump("lead")
            return
        chosen = next((s for s in self._suggestions if s["code"] == code), {"code": code})
        self._set_lead(code, chosen.get("name", code))
        self._save_checked()

    @work(thread=True, exclusive=True, group="intake-save")
    def _save(self, data: dict[str, Any], merge_into: str | None, taken_by: str | None = None) -> None:
        try:
            number = self.desk.register(data, merge_into=merge_into, taken_by=taken_by)
        except HotlineError as exc:
            self.app.call_from_thread(self._save_failed, str(exc))
        except Exception as exc:  # never silent
            self.app.call_from_thread(self._save_failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self._saved, number, "已受理", f"并入 {merge_into}" if merge_into else "")

    @_while_shown
    def _save_failed(self, message: str) -> None:
        self._busy = False
        self._show_done(Text(f"未保存: {message}", style="bold red"))
        self.app.bell()

    def _show_done(self, text: Text) -> None:
        """The save's outcome (the number to read back), above the form where the next call starts."""
        done = self.query_one("#intake-done", Static)
        done.update(text)
        done.set_class(not text.plain, "-empty")

    @_while_shown
    def _saved(self, number: str, how: str, note: str = "") -> None:
        self._busy = False
        if self.taking.shift is not None:
            note = (note + " 我当接线员").strip()
        self.reset_form()
        self._show_done(done_text(number, how, note))
        self.notify(f"{how} {number} {note}".strip(), title="受理", markup=False)

    @on(OptionList.OptionSelected, "#similar")
    def _merge_selected(self, event: OptionList.OptionSelected) -> None:
        item = self._similar[event.option_index]
        self._save_checked(merge_into=item["number"])

    def action_repeat(self) -> None:
        self._after_typing(self._repeat_checked)

    def _repeat_checked(self) -> None:
        self._sync_from_widgets()
        if not self._repeats:
            self.notify("此来电人没有同一事项的未办结诉求", severity="information")
            return
        if self._busy or self.desk is None:
            return
        text = self.values.description.strip()
        if not text:
            self._touched.add("description")
            self._recheck()
            self.notify("先记录本次来电内容, 再补充到原件", severity="warning")
            self.action_jump("description")
            return
        self._busy = True
        self._add_call(self._repeats[0]["number"], text, self.values.caller_phone)

    @work(thread=True, exclusive=True, group="intake-save")
    def _add_call(self, number: str, text: str, phone: str) -> None:
        try:
            self.desk.add_call(number, text, phone)
        except HotlineError as exc:
            self.app.call_from_thread(self._save_failed, str(exc))
        except Exception as exc:  # never silent
            self.app.call_from_thread(self._save_failed, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self._saved, number, "已补充到原件")

    def action_clear(self) -> None:
        if not self._clear_armed:
            self._clear_armed = True
            self.notify("再按 ctrl+n 清空表单 (未保存的内容将丢弃)", severity="warning", timeout=3)
            self.set_timer(3, self._disarm)
            return
        self._clear_armed = False
        self.reset_form()

    def _disarm(self) -> None:
        self._clear_armed = False

    def reset_form(self) -> None:
        """Empty the form for the next call (after a save, or on ctrl+n twice)."""
        self.values = IntakeValues()
        self.taking.stop()
        self.live.cleared()
        self._accepted.clear()
        self._touched.clear()
        self._save_tried = False
        self._suggestions, self._similar, self._repeats, self._history = [], [], [], None
        self._history_phone = ""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for wid in ("phone", "name", "category", "place", "address", "lead", "assist"):
            self.query_one(f"#{wid}", Input).value = ""
        for wid in ("description", "answer"):
            self.query_one(f"#{wid}", TextArea).text = ""
        for cb in self.query(Checkbox):
            cb.value = False
        defaults = {"channel": "hotline", "nature": "", "urgency": "normal", "mode": "dispatch", "transfer": ""}
        for wid, value in defaults.items():
            self.query_one(f"#{wid}", ChoiceBar).choose(value)
        for wid in ("category-path", "place-path", "phone-mark"):
            self.query_one(f"#{wid}", Static).update("")
        self.query_one("#similar", OptionList).clear_options()
        self.query_one("#history", Static).update(history_text(None, []))
        self._set_matches("", [])
        self._show_suggestions()
        self._show_mode()
        self.set_focus(self.query_one("#phone", Input))
        self.call_after_refresh(self._after_reset)

    def _after_reset(self) -> None:
        # the Changed messages of the cleared widgets have run by now: start clean
        self.values = IntakeValues()
        self._touched.clear()
        self._save_tried = False
        self._recheck()
