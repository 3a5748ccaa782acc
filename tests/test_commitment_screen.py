"""The two cadre forms driven by keys at 80×24: F4's w opens 不解决找我 for a cadre (the header then shows who
committed, by when and the contact), a refusal or a bad date is shown in the form with the text kept and nothing
written; F3's p opens the unit's duty card prefilled with its version, F10 publishes it and the card pane shows
who published it; a card updated meanwhile is refused in the form. Both forms take the ticket number or unit
code alone, as F7 opens them.

Bad input tried in the forms: a date that has passed, "下周五" (not a date), an empty contact, a contact with ESC;
a card whose every field was emptied; a card someone else published while the form was open."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from hotline_tui.app import HotlineApp
from hotline_tui.errors import DomainError
from screens.card_form import CardForm
from screens.commit_form import CommitForm
from screens.lookup import UnitFinder
from tests.deskkit import SHIBEI, SHINAN, TAIDONG, Clock, china_ms, event_count, make_desk, new_request
from tests.pilotkit import card, open_lookup, pilot, settle
from tests.test_screen_ticket import header, open_by_keys

SMALL = (80, 24)


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 2, 9, 0))


def recorder(app, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (seen.append(str(message)), real(message, *a, **k)))
    return seen


def form_error(form, wid: str) -> str:
    return str(form.query_one(wid, Static).render())


def visible(screen, widget) -> bool:
    """The widget's first cell is on the screen and is that widget's (not clipped away or covered)."""
    region = widget.region
    if region.width == 0 or region.height == 0:
        return False
    try:
        found, _ = screen.get_widget_at(region.x, region.y)
    except Exception:
        return False
    return found is widget or widget in found.ancestors


@pilot
async def test_a_cadre_commits_by_keys_on_f4_and_the_header_shows_it(tmp_path, clock):
    operator = make_desk(tmp_path, clock=clock)
    number = operator.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=SMALL) as p:
        screen = await open_by_keys(app, p, number)
        assert screen.check_action("act", ("commit",)) is True
        assert screen.check_action("act", ("answer",)) is False  # w is the commitment for a cadre
        await p.press("w")
        await settle(app, p)
        form = app.screen
        assert isinstance(form, CommitForm)
        for wid in ("#commit-due", "#commit-contact", "#commit-note", "#commit-keys"):
            assert visible(form, form.query_one(wid)), wid
        await p.press(*"2026-11-10", "enter")
        await p.press(*"0532-82711234", "enter")
        await p.press(*"coordinate")
        await p.press("f10")
        await settle(app, p)
        assert not isinstance(app.screen, CommitForm)
        assert "不解决找我 李处长 (市北区) 承诺 2026-11-10 前办结 · 联系 0532-82711234  承诺中" in header(screen)
    t = operator.show(number).ticket
    assert (t.commit_by, t.commit_due, t.commit_contact, t.commit_note) == ("李处长", "2026-11-10", "0532-82711234", "coordinate")


@pilot
async def test_bad_input_in_the_commit_form_is_shown_there_and_nothing_is_written(tmp_path, clock):
    operator = make_desk(tmp_path, clock=clock)
    number = operator.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=SMALL) as p:
        await open_by_keys(app, p, number)
        await p.press("w")
        await settle(app, p)
        form = app.screen
        before = event_count(cadre)
        for due, contact, message in (("2026-10-30", "1", "has passed"), ("下周五", "1", "must be a date"),
                                      ("2026-11-10", "", "needs --contact"),
                                      ("2026-11-10", "1\x1b[2J", "terminal escape")):
            form.query_one("#commit-due", Input).value = due
            form.query_one("#commit-contact", Input).value = contact
            await p.press("f10")
            await settle(app, p)
            assert app.screen is form
            assert message in form_error(form, "#commit-error"), (due, contact)
            assert form.query_one("#commit-due", Input).value == due  # kept as typed
        assert event_count(cadre) == before
        await p.press("escape")
        await settle(app, p)
        assert not isinstance(app.screen, CommitForm)
    assert operator.show(number).ticket.commit_due_ms is None


@pilot
async def test_another_units_cadre_gets_the_reason_on_w_and_in_the_form_f7_opens(tmp_path, clock, monkeypatch):
    operator = make_desk(tmp_path, clock=clock)
    number = operator.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    other = make_desk(tmp_path, role="cadre", operator="赵处长", unit=SHINAN, clock=clock)
    app = HotlineApp(other.settings, desk=other)
    async with app.run_test(size=SMALL) as p:
        # F4 does not even open another unit's request for a cadre (permissions: see_all_units)
        with pytest.raises(DomainError, match="not your unit's request"):
            other.show(number)
        # the form alone, as F7 pushes it: the facade's reason at once, and saving is refused the same way
        results = []
        app.push_screen(CommitForm(number), results.append)
        await settle(app, p)
        form = app.screen
        assert "not your unit's request" in form_error(form, "#commit-error")
        form.query_one("#commit-due", Input).value = "2026-11-10"
        form.query_one("#commit-contact", Input).value = "1"
        await p.press("f10")
        await settle(app, p)
        assert app.screen is form and "is not with your unit" in form_error(form, "#commit-error")
        await p.press("escape")
        await settle(app, p)
        assert results == [None]
    assert event_count(other) == 2


@pilot
async def test_for_an_operator_w_is_still_the_direct_answer(tmp_path, clock, monkeypatch):
    operator = make_desk(tmp_path, clock=clock)
    number = operator.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    app = HotlineApp(operator.settings, desk=operator)
    async with app.run_test(size=SMALL) as p:
        seen = recorder(app, monkeypatch)
        screen = await open_by_keys(app, p, number)
        assert screen.check_action("act", ("commit",)) is False
        await p.press("w")
        await settle(app, p)
        assert not isinstance(app.screen, CommitForm)
        assert any("cannot answer" in s for s in seen)


async def open_card_form(app, p, query: str) -> CardForm:
    screen = await open_lookup(app, p)
    await p.press(*query)
    await settle(app, p)
    await p.press("tab")
    await settle(app, p)
    assert screen.query_one(UnitFinder).selected()["code"] == SHIBEI
    await p.press("p")
    await settle(app, p)
    assert isinstance(app.screen, CardForm)
    return app.screen


@pilot
async def test_the_units_cadre_publishes_its_card_from_f3(tmp_path, clock):
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    shipped = cadre.unit_card(SHIBEI)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=SMALL) as p:
        form = await open_card_form(app, p, "sbq")
        assert form.query_one("#card-duties", TextArea).text == shipped["duties"]  # prefilled from the current card
        assert "当前版本 0" in str(form.query_one("#card-about", Static).render())
        for wid in ("#card-duties", "#card-keys"):
            assert visible(form, form.query_one(wid)), wid
        form.query_one("#card-duties", TextArea).load_text("")
        await p.press(*"zeren")
        await p.press("tab", "tab", "tab")  # 工作流程, 所需材料, 办理时限
        assert form.focused is form.query_one("#card-time_limit", Input)
        await p.press(*"5 days", "tab", *"0532-83661234")
        assert visible(form, form.query_one("#card-contact"))  # scrolled to the field that has the focus
        await p.press("f10")
        await settle(app, p)
        assert not isinstance(app.screen, CardForm)
        shown = card(app.screen)
        assert "zeren" in shown and "0532-83661234" in shown and "版本 1 · 发布 2026-11-02 · 李处长" in shown
    got = make_desk(tmp_path, clock=clock).unit_card(SHIBEI)
    assert (got["duties"], got["time_limit"], got["version"]) == ("zeren", "5 days", 1)


@pilot
async def test_a_card_published_meanwhile_or_emptied_is_refused_in_the_form(tmp_path, clock):
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=SMALL) as p:
        form = await open_card_form(app, p, "sbq")
        for wid in ("duties", "workflow", "materials"):
            form.query_one(f"#card-{wid}", TextArea).load_text("")
        for wid in ("time_limit", "contact"):
            form.query_one(f"#card-{wid}", Input).value = ""
        await p.press("f10")
        await settle(app, p)
        assert app.screen is form and "the duty card is empty" in form_error(form, "#card-error")
        form.query_one("#card-duties", TextArea).load_text("我的修改")
        clock.advance(minutes=5)
        make_desk(tmp_path, role="supervisor", operator="周督办", clock=clock).publish_card(SHIBEI, {"duties": "别人的"})
        before = event_count(cadre)
        await p.press("f10")
        await settle(app, p)
        assert app.screen is form
        assert "the card was updated by 周督办 at 2026-11-02 09:05" in form_error(form, "#card-error")
        assert form.query_one("#card-duties", TextArea).text == "我的修改"  # kept
        assert event_count(cadre) == before
        await p.press("escape")
        await settle(app, p)
        assert not isinstance(app.screen, CardForm)
    assert cadre.unit_card(SHIBEI)["duties"] == "别人的"


@pilot
async def test_p_is_not_offered_to_an_operator_nor_to_another_units_cadre(tmp_path, clock, monkeypatch):
    operator = make_desk(tmp_path, clock=clock)
    app = HotlineApp(operator.settings, desk=operator)
    async with app.run_test(size=SMALL) as p:
        screen = await open_lookup(app, p)
        await p.press(*"sbq", "tab")
        await settle(app, p)
        assert screen.query_one(UnitFinder).check_action("publish_card", ()) is False
        await p.press("p")
        await settle(app, p)
        assert not isinstance(app.screen, CardForm)
    other = make_desk(tmp_path, role="cadre", operator="赵处长", unit=SHINAN, clock=clock)
    app = HotlineApp(other.settings, desk=other)
    async with app.run_test(size=SMALL) as p:
        seen = recorder(app, monkeypatch)
        await open_lookup(app, p)
        await p.press(*"sbq", "tab")
        await settle(app, p)
        await p.press("p")
        await settle(app, p)
        assert not isinstance(app.screen, CardForm)
        assert any("only their own unit's card" in s for s in seen)


@pilot
async def test_a_card_synced_from_another_desk_shows_in_f3(tmp_path, clock):
    hub = str(tmp_path / "hub.sqlite")
    theirs = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, desk="B02", store_name="other.sqlite",
                       clock=clock, hub=hub)
    theirs.publish_card(SHIBEI, {"duties": "同步来的职责清单", "contact": "0532-1"})
    theirs.sync_now()
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as p:
        await settle(app, p)
        await p.press("f9")
        await settle(app, p)
        screen = await open_lookup(app, p)
        await p.press(*"sbq")
        await settle(app, p)
        shown = card(screen)
        assert "同步来的职责清单" in shown and "版本 1 · 发布 2026-11-02 · 李处长" in shown
