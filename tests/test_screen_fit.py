"""The desk in an 80×24 terminal (and nothing worse at 120×40): what the user must be able to see.

Visibility is checked on the screen itself: a cell counts as visible when the widget Textual finds at that
point of the screen is the widget that drew it (not scrolled away, not clipped, not covered).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import RadioButton
from textual.widgets._footer import FooterKey

from hotline_tui.app import HotlineApp
from hotline_tui.domain.intake_form import MODES
from hotline_tui.domain.vocabulary import CHANNELS, NATURES, TRANSFER_TARGETS, URGENCIES
from screens.choice_bar import ChoiceBar
from screens.footer import FooterItem, flow, plan
from screens.frame import header_lines
from tests.pilotkit import pilot, settle
from tests.screenkit import desk_app, store  # noqa: F401  (store: a fixture)

SMALL, LARGE = (80, 24), (120, 40)
BOTH_SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
BARS = {"channel": CHANNELS, "nature": NATURES, "urgency": URGENCIES, "mode": MODES, "transfer": TRANSFER_TARGETS}
JUMPS = {"channel": "alt+q", "nature": "alt+x", "urgency": "alt+j", "mode": "alt+m"}


def shows(screen, widget, x: int, y: int) -> bool:
    """The cell (x, y) of the screen belongs to ``widget`` (or one of its children)."""
    if not (0 <= x < screen.size.width and 0 <= y < screen.size.height):
        return False
    try:
        found, _ = screen.get_widget_at(x, y)
    except Exception:  # nothing there
        return False
    return found is widget or widget in found.ancestors


def spans(screen, widget, first: int, last: int, y: int) -> bool:
    """Cells ``first``..``last`` of row ``y`` show ``widget`` (checked at both ends)."""
    return shows(screen, widget, first, y) and shows(screen, widget, last, y)


async def open_area(app, pilot, *keys: str):
    """The screen ``keys`` lead to, once the desk and that screen have settled."""
    await settle(app, pilot)
    await pilot.press(*keys)
    await settle(app, pilot)
    return app.screen


def hidden_options(screen, bar: ChoiceBar) -> list[str]:
    """The options of ``bar`` not wholly on the screen (first and last cell of each label)."""
    region = bar.content_region
    lines = [line.plain for line in bar.lines(region.width)]
    missing = []
    for number, code in enumerate(bar.codes, 1):
        label = f"{number} {bar.options[code]}"
        row = next((r for r, text in enumerate(lines) if label in text), None)
        if row is None:
            missing.append(label)
            continue
        first = region.x + cell_len(lines[row][:lines[row].index(label)])
        last = first + cell_len(label) - 1
        if not spans(screen, bar, first, last, region.y + row):
            missing.append(label)
    return missing


@BOTH_SIZES
@pilot
async def test_every_option_is_on_screen_when_its_field_has_focus(store, tmp_path, size):  # noqa: F811
    app = desk_app(store, tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_area(app, pilot, "f2")
        for name, key in JUMPS.items():
            await pilot.press(key)
            await pilot.pause()
            bar = screen.query_one(f"#{name}", ChoiceBar)
            assert set(bar.codes) == set(BARS[name])
            assert hidden_options(screen, bar) == [], f"{name} at {size}"
        await pilot.press("alt+m", "4")  # 转办: its targets show and take the focus
        await pilot.pause()
        bar = screen.query_one("#transfer", ChoiceBar)
        assert screen.focused is bar
        assert hidden_options(screen, bar) == [], f"transfer at {size}"


@pilot
async def test_at_80_columns_focus_brings_every_field_of_the_call_into_view(store, tmp_path):  # noqa: F811
    app = desk_app(store, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_area(app, pilot, "f2")
        assert screen.has_class("-narrow")
        seen = []
        for _ in range(12):  # phone, name, nature, category, place, address, description, suggestions, ...
            focused = screen.focused
            seen.append(focused.id)
            region = focused.region
            assert shows(screen, focused, region.x, region.y), f"{focused.id} is out of view"
            await pilot.press("tab")
            await pilot.pause()
        assert {"phone", "name", "nature", "category", "place", "address", "description", "urgency", "mode", "lead"} <= set(seen)


def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query(FooterKey))


def check_footer(screen) -> list[str]:
    """Each key in the footer shows its whole label, on the screen; returns the labels shown."""
    labels = []
    for key in footer_keys(screen):
        text = key.render().plain
        assert text.endswith(key.description), (text, key.description)
        assert key.region.width >= cell_len(text), f"{text!r} is cut to {key.region.width} cells"
        right = key.region.x + cell_len(text) - 1
        assert spans(screen, key, key.region.x, right, key.region.y), text
        labels.append(key.description)
    return labels


@BOTH_SIZES
@pilot
async def test_footer_labels_are_whole_and_f1_counts_the_rest(store, tmp_path, size):  # noqa: F811
    app = desk_app(store, tmp_path)
    async with app.run_test(size=size) as pilot:
        labels = check_footer(await open_area(app, pilot, "f2"))
        assert "采用建议1" in labels and "补充重复件" in labels and "相似/并单" in labels  # were 采 / 补 / 相

        screen = await open_area(app, pilot, "f4", "slash", "down", "down", "enter")  # claimed: F4's two dozen keys
        labels = check_footer(screen)
        shown = [key for key in footer_keys(screen) if key.action != "help"]
        usable = [b for _n, b, enabled, _t in screen.active_bindings.values() if b.show and enabled]
        actions = {b.action for _n, b, _e, _t in screen.active_bindings.values() if b.show}
        hidden = len(actions) - len(shown) - 1
        help_label = next(label for label in labels if label.startswith("帮助"))
        if size == LARGE:
            assert hidden == 0 and help_label == "帮助"  # every key, every label, at 120×40
        else:
            assert hidden > 0 and help_label == f"帮助 (另{hidden}键)"
            # what is kept first: the keys that can be used now; a dimmed key only in the room they leave
            shown_usable = {k.action for k in shown if not k.has_class("-disabled")}
            assert len(shown_usable) >= 12
            if any(k.has_class("-disabled") for k in shown):
                assert shown_usable == {b.action for b in usable if b.action != "help"}
        assert max(key.region.y for key in footer_keys(screen)) - min(key.region.y for key in footer_keys(screen)) < (
            2 if size == SMALL else 4)


@BOTH_SIZES
@pilot
async def test_an_action_form_shows_every_choice_whole(store, tmp_path, size):  # noqa: F811
    app = desk_app(store, tmp_path)
    async with app.run_test(size=size) as pilot:
        form = await open_area(app, pilot, "f4", "slash", "enter", "t")  # 转办 the newest ticket: five targets
        buttons = list(form.query(RadioButton))
        assert [str(b.label) for b in buttons] == list(TRANSFER_TARGETS.values())
        for button in buttons:
            width = cell_len(str(button.label)) + 4  # the toggle, a space, the label
            assert button.content_region.width >= width, f"{button.label} is cut"
            assert shows(form, button, button.region.right - 1, button.region.y)


# --- the header and the footer's plan, without a terminal ------------------------------------------

STATUS = {"who": "12345 青岛 · desk A07 · 王芳 (operator)", "hub": "hub: city.example · synced 11-25 09:41 · 3 to push",
          "day": "2026-11-25 周三 工作日"}


@pytest.mark.parametrize("width", [48, 78, 118])
def test_the_header_never_wraps_and_always_shows_the_areas(width):
    top, tabs = header_lines(STATUS, "ticket", width)
    assert top.cell_len <= width and tabs.cell_len <= width
    assert "\n" not in top.plain + tabs.plain
    for key, name in (("F2", "受理"), ("F4", "工单"), ("F7", "体悟")):
        assert key in tabs.plain and name in tabs.plain
    assert "hub:" in top.plain
    if width >= 78:
        assert tabs.plain.endswith("2026-11-25 周三 工作日")


def item(label: str, rank: int = 1, key: str = "x", action: str | None = None) -> FooterItem:
    return FooterItem(key, key, label, action or label, rank != 3, "", rank)


def test_plan_keeps_help_then_usable_keys_and_their_order():
    items = [item("派单", key="d"), item("签收", 3, key="c"), item("退单", key="b"), item("退出", 2, key="^q"),
             item("帮助", 0, key="f1", action="help"), item("同步", 2, key="f9")]
    assert [[i.label for i in row] for row in plan(items, 200, 1)] == [["派单", "签收", "退单", "退出", "帮助", "同步"]]
    rows = plan(items, 30, 1)
    kept = [i.label for row in rows for i in row]
    assert kept == ["派单", "退单", "帮助 (另3键)"]  # the desk's own keys and the dimmed 签收 gave way
    rows = plan(items, 24, 1)
    assert [i.label for row in rows for i in row] == ["派单", "帮助 (另4键)"]  # 退单 did not fit: nothing later does
    rows = plan(items, 24, 2)
    assert [[i.label for i in row] for row in rows] == [["派单", "签收", "退单"], ["退出", "帮助", "同步"]]
    for width, count in ((24, 1), (24, 2), (30, 1)):
        for row in plan(items, width, count):
            assert sum(i.width for i in row) + len(row) - 1 <= width
    assert flow([item("一二三四五")], 4, 1) == [[item("一二三四五")]]  # one too wide still gets a row of its own
