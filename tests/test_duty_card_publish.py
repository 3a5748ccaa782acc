"""A unit's cadre publishes the unit's duty card: versioned events on ``~card/<unit>`` kept in ``duty_card``, shown
over the shipped card with who published it and when, synced through a hub so another desk's F3 shows it; a
publication based on a card someone has updated since is refused, naming who and when.

Bad input tried (each refused with a message, nothing written): an empty card (no field, every field blank),
职责清单 of 2,001 characters, a 201-character contact, ESC (a terminal escape), BEL, a bidi override (U+202E), a
line break in the contact, a field the card has not (phone), a number for a field, a card that is not a table,
an unknown unit, a version of -1 or True; on the command line also a missing file, a folder, broken TOML, a
file of more than 64 KiB, no field at all, another unit's cadre, an operator, a stale --based-on."""

from __future__ import annotations

import json

import pytest

from hotline_tui.cli import main
from hotline_tui.config import load_settings
from hotline_tui.errors import DomainError, InputError, NotFound
from hotline_tui.services import Desk
from tests.deskkit import SHIBEI, SHINAN, TAIDONG, Clock, china_ms, event_count, make_desk

CARD = {"duties": "负责全区城市管理、市容环境整治", "workflow": "受理 → 现场核查 → 处置 → 答复",
        "materials": "身份证明;现场照片", "time_limit": "5个工作日", "contact": "0532-83661234"}


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 2, 9, 0))


def cadre(tmp_path, clock, unit=SHIBEI, name="李处长", **kw):
    return make_desk(tmp_path, role="cadre", operator=name, unit=unit, clock=clock, **kw)


def card_rows(desk) -> list[tuple]:
    from sqlalchemy import text

    with desk.store.read() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM duty_card ORDER BY unit"))]


def test_the_units_cadre_publishes_and_every_reader_sees_it_over_the_shipped_card(tmp_path, clock):
    li = cadre(tmp_path, clock)
    shipped = li.unit_card(SHIBEI)
    assert (shipped["version"], shipped["published"]) == (0, False)
    card = li.publish_card(SHIBEI, CARD, based_on=0)
    assert {k: card[k] for k in CARD} == CARD
    assert (card["version"], card["published"], card["updated_by"], card["updated"]) == (1, True, "李处长", "2026-11-02")
    assert card["published_ms"] == clock()
    operator = make_desk(tmp_path, clock=clock)
    assert operator.unit_card(SHIBEI) == card
    assert operator.unit_card(SHINAN)["version"] == 0  # another unit keeps its shipped card
    clock.advance(days=1)
    again = li.publish_card(SHIBEI, {**CARD, "time_limit": "3个工作日"}, based_on=1)
    assert (again["version"], again["time_limit"], again["updated"]) == (2, "3个工作日", "2026-11-03")


def test_a_cadre_publishes_a_unit_under_theirs_and_a_supervisor_any(tmp_path, clock):
    assert cadre(tmp_path, clock).publish_card(TAIDONG, CARD)["version"] == 1  # 台东街道 is under 市北区
    supervisor = make_desk(tmp_path, role="supervisor", operator="督办员", clock=clock)
    assert supervisor.publish_card(SHINAN, CARD)["updated_by"] == "督办员"


def test_others_may_not_publish(tmp_path, clock):
    li = cadre(tmp_path, clock)
    li.publish_card(SHIBEI, CARD)
    before = event_count(li), card_rows(li)
    for desk, message in ((make_desk(tmp_path, clock=clock), "an operator may not card_publish"),
                          (cadre(tmp_path, clock, unit=SHINAN, name="赵处长"), "only their own unit's card"),
                          (cadre(tmp_path, clock, unit=TAIDONG, name="周科长"), "only their own unit's card"),
                          (cadre(tmp_path, clock, unit=None, name="孙处长"), "own unit is not set")):
        assert message in (desk.may_publish_card(SHIBEI) or "")
        with pytest.raises(DomainError, match=message):
            desk.publish_card(SHIBEI, CARD)
    assert (event_count(li), card_rows(li)) == before


def test_a_card_updated_since_it_was_opened_is_refused_with_who_and_when(tmp_path, clock):
    li = cadre(tmp_path, clock)
    li.publish_card(SHIBEI, CARD)
    opened = li.unit_card(SHIBEI)["version"]  # both open version 1
    clock.advance(hours=2)
    zhou = make_desk(tmp_path, role="supervisor", operator="周督办", clock=clock)
    zhou.publish_card(SHIBEI, {**CARD, "contact": "12345"}, based_on=opened)
    before = event_count(li), card_rows(li)
    with pytest.raises(DomainError, match=r"the card was updated by 周督办 at 2026-11-02 11:00 \(version 2\) since you"
                                          r" opened it \(version 1\)"):
        li.publish_card(SHIBEI, {**CARD, "duties": "我的修改"}, based_on=opened)
    with pytest.raises(DomainError, match="at version 2, not 7"):
        li.publish_card(SHIBEI, CARD, based_on=7)
    assert (event_count(li), card_rows(li)) == before
    assert li.unit_card(SHIBEI)["contact"] == "12345"


BAD = [
    ({}, InputError, "the duty card is empty"),
    ({k: "  " for k in CARD}, InputError, "the duty card is empty"),
    ({**CARD, "duties": "责" * 2001}, InputError, "at most 2000"),
    ({**CARD, "contact": "1" * 201}, InputError, "at most 200"),
    ({**CARD, "workflow": "受理\x1b[31m红"}, InputError, "terminal escape"),
    ({**CARD, "materials": "铃\x07"}, InputError, "control character"),
    ({**CARD, "duties": "\u202e反向"}, InputError, "U\\+202E"),
    ({**CARD, "contact": "0532\n1234"}, InputError, "single line"),
    ({**CARD, "phone": "1"}, InputError, "has no field 'phone'"),
    ({**CARD, "time_limit": 5}, InputError, "must be text"),
    ("职责", InputError, "not str"),
]


@pytest.mark.parametrize(("fields", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_cards_are_refused_and_nothing_is_written(tmp_path, clock, fields, error, message):
    li = cadre(tmp_path, clock)
    li.publish_card(SHIBEI, CARD)
    before = event_count(li), card_rows(li)
    with pytest.raises(error, match=message):
        li.publish_card(SHIBEI, fields)
    assert (event_count(li), card_rows(li)) == before


def test_an_unknown_unit_and_a_bad_version_are_refused(tmp_path, clock):
    li = cadre(tmp_path, clock)
    with pytest.raises(NotFound, match="no unit '999'"):
        li.publish_card("999", CARD)
    for version in (-1, True):
        with pytest.raises(InputError, match="whole number 0 or more"):
            li.publish_card(SHIBEI, CARD, based_on=version)
    assert not li.settings.store_path.exists() or event_count(li) == 0


def test_a_rebuild_keeps_the_same_cards(tmp_path, clock):
    li = cadre(tmp_path, clock)
    li.publish_card(SHIBEI, CARD)
    li.publish_card(TAIDONG, CARD)
    li.publish_card(SHIBEI, {**CARD, "duties": "第二版"})
    before = card_rows(li)
    li.rebuild()
    assert card_rows(li) == before and len(before) == 2


# --- sync ----------------------------------------------------------------------------------------------

def test_a_card_syncs_through_a_hub_and_two_publications_made_apart_end_the_same_on_both_desks(tmp_path, clock):
    hub = str(tmp_path / "hub.sqlite")
    ours = cadre(tmp_path, clock, hub=hub)
    theirs = make_desk(tmp_path, role="supervisor", operator="周督办", desk="B02", store_name="other.sqlite",
                       clock=clock, hub=hub)
    ours.publish_card(SHIBEI, CARD)
    ours.sync_now()
    theirs.sync_now()
    seen = theirs.unit_card(SHIBEI)
    assert (seen["version"], seen["updated_by"], seen["duties"]) == (1, "李处长", CARD["duties"])
    # both publish version 2 while apart; the later one in the log wins everywhere
    theirs.publish_card(SHIBEI, {**CARD, "duties": "周督办的修改"}, based_on=1)
    clock.advance(minutes=1)
    ours.publish_card(SHIBEI, {**CARD, "duties": "李处长的修改"}, based_on=1)
    for _ in range(2):
        theirs.sync_now()
        ours.sync_now()
    assert ours.unit_card(SHIBEI) == theirs.unit_card(SHIBEI)
    assert (ours.unit_card(SHIBEI)["version"], ours.unit_card(SHIBEI)["duties"]) == (2, "李处长的修改")


# --- the command line ----------------------------------------------------------------------------------

@pytest.fixture
def hotline(tmp_path, clock, monkeypatch, capsys):
    monkeypatch.setenv("HOTLINE_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setattr(Desk, "open", classmethod(lambda cls, db=None, **kw: cls(load_settings(db), clock_ms=clock)))

    def run(*args, role="cadre", unit=SHIBEI, operator="李处长"):
        monkeypatch.setenv("HOTLINE_ROLE", role)
        monkeypatch.setenv("HOTLINE_OPERATOR", operator)
        if unit:
            monkeypatch.setenv("HOTLINE_UNIT", unit)
        else:
            monkeypatch.delenv("HOTLINE_UNIT", raising=False)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_the_command_shows_and_publishes_a_card(tmp_path, hotline):
    code, out, _ = hotline("directory", "card", SHIBEI)
    assert code == 0 and "版本  0 (目录自带" in out
    code, out, err = hotline("directory", "card-publish", SHIBEI, "--duties", CARD["duties"], "--time-limit", "5个工作日")
    assert code == 0, err
    assert out.strip() == f"published version 1 of {SHIBEI}'s duty card"
    file = tmp_path / "card.toml"
    file.write_text('[card]\nworkflow = """受理\n核查\n答复"""\ncontact = "0532-83661234"\n', encoding="utf-8")
    code, out, err = hotline("directory", "card-publish", SHIBEI, "--from-file", str(file), "--json")
    assert code == 0, err
    card = json.loads(out)
    assert (card["version"], card["duties"], card["workflow"], card["time_limit"]) == \
        (2, CARD["duties"], "受理\n核查\n答复", "5个工作日")  # fields not given keep the card's text
    code, out, _ = hotline("directory", "card", SHIBEI, "--json")
    assert json.loads(out)["contact"] == "0532-83661234"
    code, out, _ = hotline("directory", "card", SHIBEI)
    assert "联系方式  0532-83661234" in out and "版本  2 · 发布 2026-11-02 李处长" in out


def test_the_command_refuses_bad_input_and_writes_nothing(tmp_path, hotline):
    hotline("directory", "card-publish", SHIBEI, "--duties", "第一版")
    desk = make_desk(tmp_path)
    before = event_count(desk), card_rows(desk)
    folder = tmp_path / "afolder"
    folder.mkdir()
    broken = tmp_path / "broken.toml"
    broken.write_text("duties = [unclosed", encoding="utf-8")
    huge = tmp_path / "huge.toml"
    huge.write_text('duties = "' + "责" * 30000 + '"\n', encoding="utf-8")
    cases = [
        (("card-publish", SHIBEI), {}, "nothing to publish"),
        (("card-publish", SHIBEI, "--duties", "", "--workflow", "", "--materials", "", "--time-limit", "", "--contact", ""),
         {}, "the duty card is empty"),
        (("card-publish", SHIBEI, "--duties", "a\x1b]0;title\x07"), {}, "terminal escape"),
        (("card-publish", SHIBEI, "--duties", "责" * 2001), {}, "at most 2000"),
        (("card-publish", "999", "--duties", "x"), {}, "no unit '999'"),
        (("card-publish", SHIBEI, "--duties", "x"), {"unit": SHINAN, "operator": "赵处长"}, "only their own unit's card"),
        (("card-publish", SHIBEI, "--duties", "x"), {"role": "operator"}, "an operator may not card_publish"),
        (("card-publish", SHIBEI, "--duties", "x", "--based-on", "0"), {}, "the card was updated by 李处长"),
        (("card-publish", SHIBEI, "--from-file", str(tmp_path / "missing.toml")), {}, "cannot read"),
        (("card-publish", SHIBEI, "--from-file", str(folder)), {}, "it is a folder"),
        (("card-publish", SHIBEI, "--from-file", str(broken)), {}, "is not valid TOML"),
        (("card-publish", SHIBEI, "--from-file", str(huge)), {}, "larger than 64 KiB"),
        (("card", "999"), {}, "no unit '999'"),
    ]
    for args, who, message in cases:
        code, _, err = hotline("directory", *args, **who)
        assert code != 0 and message in err, (args, err)
        assert err.count("\n") == 1 and err.startswith("hotline: ")
    assert (event_count(desk), card_rows(desk)) == before
