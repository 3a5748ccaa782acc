"""What the intake side panel shows on a phone number: the caller's earlier requests, how the last one
ended, and whether this call repeats one of their open requests (重复件)."""

from __future__ import annotations

import json

import pytest

from hotline_tui.services import Desk
from tests.deskkit import TAIDONG, ZHUHAILU, Clock, new_request, shipped_desk
from tests.deskkit import monday_morning_clock, shipped_operator_desk  # noqa: F401 - the clock and desk fixtures

WEIHAI = "370203021001"  # 台东街道 威海路社区
DAMING = "370203021002"  # 台东街道 大名路社区
PHONE = "13805321234"
LANDLINE = "053285551234"
EMPTY = {"phone": "", "count": 0, "open_count": 0, "items": [], "last_outcome": ""}


def dispatched(desk: Desk, clock: Clock, **over) -> str:
    clock.advance(hours=1)
    return desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}, **over))


def close_with_callback(desk: Desk, number: str, satisfaction: str, resolved: bool) -> None:
    desk.act(number, "claim", {})
    desk.act(number, "reply", {"handling": "已现场处理", "answer": "摊位已清理", "resolved": resolved})
    desk.act(number, "reply_approve", {})
    desk.act(number, "callback", {"satisfaction": satisfaction, "resolved": resolved})
    desk.act(number, "close", {})


# --- phone numbers as they are typed -------------------------------------------------------------

@pytest.mark.parametrize("typed", ["13805321234", "138 0532 1234", "138-0532-1234", "+86 138 0532 1234",
                                   "+8613805321234", "0086 13805321234", " 138 0532 1234 "])
def test_mobile_typed_any_way_finds_the_caller(desk, clock, typed):
    number = dispatched(desk, clock, caller_phone=PHONE)
    history = desk.caller_history(typed)
    assert history["phone"] == PHONE
    assert history["count"] == 1 and [i["number"] for i in history["items"]] == [number]


@pytest.mark.parametrize("typed", ["0532-85551234", "053285551234", "(0532) 8555 1234", "8555-1234", "85551234"])
def test_qingdao_landline_typed_any_way_finds_the_caller(desk, clock, typed):
    dispatched(desk, clock, caller_phone="0532 8555 1234")
    history = desk.caller_history(typed)
    assert history["phone"] == LANDLINE
    assert history["count"] == 1


@pytest.mark.parametrize("typed", ["", "138", "1380532", "138053212345", "abc", "0532", "12345", None, 13805321234,
                                   "\x1b[31m13805321234", "138\x00532\x001234", "1" * 100_000, "１３８０５３２１２３４",
                                   "138\ud800532\udfff1234", ["13805321234"]])
def test_partial_or_bad_number_gives_the_empty_history(desk, clock, typed):
    dispatched(desk, clock, caller_phone=PHONE)
    assert desk.caller_history(typed) == EMPTY


def test_a_new_caller_has_no_history(desk, clock):
    dispatched(desk, clock, caller_phone=PHONE)
    assert desk.caller_history("13905329876") == {**EMPTY, "phone": "13905329876"}


def test_anonymous_requests_belong_to_no_number(desk, clock):
    dispatched(desk, clock, caller_phone="", caller_name="", anonymous=True)
    dispatched(desk, clock, caller_phone=PHONE)
    assert desk.caller_history("") == EMPTY
    assert desk.repeat_candidates("", ["城乡建设", "市容环境", "占道经营"], TAIDONG, "烧烤摊占道") == []
    assert desk.caller_history(PHONE)["count"] == 1


# --- open and ended requests ---------------------------------------------------------------------

def test_open_and_ended_requests_newest_first_with_how_they_ended(desk, clock):
    first = dispatched(desk, clock, caller_phone=PHONE)
    close_with_callback(desk, first, "satisfied", True)
    clock.advance(days=3)
    answered = desk.register(new_request(caller_phone=PHONE, nature="consultation", category=["城乡建设", "供热", "暖气不热"],
                                         description="咨询暖气什么时候开始供热",
                                         handling={"mode": "answer", "answer": "11月15日起供热"}))
    clock.advance(days=2)
    still_open = dispatched(desk, clock, caller_phone="138 0532 1234", place=WEIHAI, description="楼下饭店油烟直排")
    dispatched(desk, clock, caller_phone="13905329876")  # someone else

    history = desk.caller_history(PHONE)
    assert history["count"] == 3 and history["open_count"] == 1
    assert [i["number"] for i in history["items"]] == [still_open, answered, first]
    newest, middle, oldest = history["items"]
    assert newest["state"] == "dispatched" and newest["state_text"] == "待签收" and newest["outcome"] == ""
    assert newest["summary"] == "楼下饭店油烟直排"
    assert newest["place_name"] == "威海路社区" and newest["lead_unit_name"] == "台东街道"
    assert newest["category"] == "城乡建设 › 市容环境 › 占道经营"
    assert middle["state_text"] == "已办结" and middle["outcome"] == "直接答复" and middle["lead_unit_name"] == ""
    assert oldest["outcome"] == "满意·已解决"
    assert history["last_outcome"] == "直接答复"  # the newest one that is no longer being handled
    assert newest["registered_ms"] > middle["registered_ms"] > oldest["registered_ms"]


def test_last_outcome_looks_past_the_listed_items(desk, clock):
    first = dispatched(desk, clock, caller_phone=PHONE)
    close_with_callback(desk, first, "unsatisfied", False)
    for _ in range(3):
        dispatched(desk, clock, caller_phone=PHONE)
    history = desk.caller_history(PHONE, limit=2)
    assert len(history["items"]) == 2 and history["count"] == 4 and history["open_count"] == 3
    assert all(i["outcome"] == "" for i in history["items"])
    assert history["last_outcome"] == "不满意·未解决"
    close_with_callback(desk, history["items"][-1]["number"], "basically_satisfied", True)
    assert desk.caller_history(PHONE, limit=1)["last_outcome"] == "基本满意·已解决"


def test_limit_bounds_the_items_not_the_counts(desk, clock):
    for _ in range(4):
        dispatched(desk, clock, caller_phone=PHONE)
    assert len(desk.caller_history(PHONE, limit=2)["items"]) == 2
    assert desk.caller_history(PHONE, limit=0) == {**desk.caller_history(PHONE), "items": []}
    for odd in (-5, "x", None, 10**30):
        assert desk.caller_history(PHONE, limit=odd)["count"] == 4


# --- confidential callers and who may see them ---------------------------------------------------

def test_a_cadre_never_learns_a_confidential_callers_requests(tmp_path, clock):
    operator = shipped_desk(tmp_path, clock)
    secret = dispatched(operator, clock, caller_phone=PHONE, caller_name="李保密", confidential=True,
                        description="举报某饭店后厨卫生问题")
    plain = dispatched(operator, clock, caller_phone=PHONE, caller_name="李保密")
    cadre = shipped_desk(tmp_path, clock, role="cadre", operator="市城管局 张处长", unit=TAIDONG)

    seen = cadre.caller_history(PHONE)
    assert seen["count"] == 1 and seen["open_count"] == 1
    assert [i["number"] for i in seen["items"]] == [plain]
    shown = json.dumps(seen, ensure_ascii=False)
    assert secret not in shown and "举报" not in shown
    assert PHONE not in shown and "李保密" not in shown
    assert seen["phone"] == "138****1234"
    assert cadre.repeat_candidates(PHONE, description="举报某饭店后厨卫生问题") == []

    # the centre's own people see both: the caller is on their line, and it stays at the centre
    for role in ("operator", "supervisor"):
        centre = shipped_desk(tmp_path, clock, role=role, operator="赵敏")
        history = centre.caller_history(PHONE)
        assert history["count"] == 2 and {i["number"] for i in history["items"]} == {secret, plain}
        assert "李保密" not in json.dumps(history, ensure_ascii=False)  # names are never in the history


# --- repeats (重复件) ----------------------------------------------------------------------------

def test_repeat_on_the_same_matter_is_flagged_and_a_different_matter_is_not(desk, clock):
    stall = dispatched(desk, clock, caller_phone=PHONE, place=WEIHAI)
    other = dispatched(desk, clock, caller_phone=PHONE, place=ZHUHAILU, category=["劳动和社会保障", "劳动关系", "拖欠工资"],
                       description="公司拖欠三个月工资不发")
    ended = dispatched(desk, clock, caller_phone=PHONE, place=WEIHAI)
    close_with_callback(desk, ended, "satisfied", True)

    again = desk.repeat_candidates("138 0532 1234", ["城乡建设", "市容环境", "占道经营"], WEIHAI, "门口烧烤摊又出来占道了")
    assert [c["number"] for c in again] == [stall]
    assert set(again[0]) == {"number", "registered_ms", "state", "state_text", "summary", "place_name", "category", "score", "reason"}
    assert "同类「市容环境」" in again[0]["reason"] and "同社区" in again[0]["reason"]
    assert 0 < again[0]["score"] <= 100

    # a different matter somewhere else: not a repeat of either
    assert desk.repeat_candidates(PHONE, ["交通运输", "公共交通", "公交线路"], "370211009", "建议增加公交班次") == []
    # the same words without a category still find it
    by_text = desk.repeat_candidates(PHONE, None, None, "公司拖欠工资")
    assert [c["number"] for c in by_text] == [other] and "描述相似" in by_text[0]["reason"]
    # another caller's open request is never this caller's repeat
    assert desk.repeat_candidates("13905329876", ["城乡建设", "市容环境"], WEIHAI, "烧烤摊占道") == []
    # nothing to compare yet
    assert desk.repeat_candidates(PHONE) == []


def test_the_same_matter_ranks_above_the_same_street(desk, clock):
    near = dispatched(desk, clock, caller_phone=PHONE, place=DAMING, category=["环境保护", "噪声污染", "施工噪音"],
                      description="工地夜间施工噪音扰民")
    same = dispatched(desk, clock, caller_phone=PHONE, place=WEIHAI)
    found = desk.repeat_candidates(PHONE, ["城乡建设", "市容环境", "占道经营"], WEIHAI, "烧烤摊占用人行道")
    assert [c["number"] for c in found] == [same, near]
    assert found[0]["score"] > found[1]["score"] and found[1]["reason"] == "同街道"


def test_operator_adds_the_call_to_the_repeat(desk, clock):
    stall = dispatched(desk, clock, caller_phone=PHONE)
    [candidate] = desk.repeat_candidates(PHONE, ["城乡建设", "市容环境", "占道经营"], TAIDONG, "烧烤摊又占道")
    desk.act(candidate["number"], "add_call", {"text": "来电人称烧烤摊又出来了", "caller_phone": PHONE})
    ticket = desk.show(stall).ticket
    assert ticket.call_count == 2 and "repeat" in ticket.flags
    assert desk.caller_history(PHONE)["count"] == 1  # one request, called about twice


@pytest.mark.parametrize("description", ["\x1b]0;title\x07噪音", "\x00\x01\x02", "漏" * 1_000_000, "[bold]油烟[/]", "\u202e烧烤",
                                         "' OR 1=1 --", "%_\\", None, 42, ["烧烤"]])
@pytest.mark.parametrize("category", [None, [], "城乡建设 › 市容环境", {"a": 1}, [None, 3], ["\x1b[2J"] * 5, 7])
def test_repeat_candidates_take_any_input(desk, clock, description, category):
    dispatched(desk, clock, caller_phone=PHONE)
    found = desk.repeat_candidates(PHONE, category, "\x1b[2J", description)
    assert isinstance(found, list)
    if isinstance(category, str):
        assert len(found) == 1 and "同类「市容环境」" in found[0]["reason"]
