"""Similar open requests around the caller's place, listed while the description is typed so the operator
can merge (并单) instead of opening a duplicate."""

from __future__ import annotations

import sqlite3

import pytest

from hotline_tui.facade.history import _sharing_a_bigram, text_features, text_similarity
from hotline_tui.services import Desk
from hotline_tui.store.intake_queries import PLACE_COLUMNS, UNFINISHED
from hotline_tui.store.migrate import HEAD, current_version, downgrade
from tests.deskkit import SHIBEI, TAIDONG, Clock, new_request, shipped_desk
from tests.deskkit import monday_morning_clock, shipped_operator_desk  # noqa: F401 - the clock and desk fixtures

WEIHAI = "370203021001"  # 台东街道 威海路社区
DAMING = "370203021002"  # 台东街道 大名路社区
HAIKOU = "370202014007"  # 珠海路街道 海口路社区 (市南区)
STALL = ["城乡建设", "市容环境", "占道经营"]
NOISE = ["环境保护", "噪声污染", "施工噪音"]
LEAK = ["城乡建设", "房屋管理", "房屋漏水"]
KEYS = {"number", "registered_ms", "state", "state_text", "summary", "place_name", "score", "reason"}


def request(desk: Desk, clock: Clock, place: str, category: list[str], description: str, phone: str = "13905320001") -> str:
    clock.advance(hours=1)
    return desk.register(new_request(caller_phone=phone, place=place, category=category, description=description,
                                     handling={"mode": "dispatch", "lead": TAIDONG}))


def numbers(found: list[dict]) -> list[str]:
    return [f["number"] for f in found]


def test_same_street_other_community_is_similar_another_street_is_not(desk, clock):
    there = request(desk, clock, DAMING, STALL, "大名路菜市场门口烧烤摊占道经营，油烟很大")
    request(desk, clock, HAIKOU, STALL, "海口路烧烤摊占道经营，油烟很大")  # 珠海路街道: another street
    found = desk.similar_open("烧烤摊占道经营油烟大", WEIHAI, STALL)
    assert numbers(found) == [there]
    assert set(found[0]) == KEYS
    assert found[0]["place_name"] == "大名路社区" and found[0]["state_text"] == "待签收"
    assert found[0]["reason"].startswith("同街道") and "同类「市容环境」" in found[0]["reason"] and "描述相似" in found[0]["reason"]


def test_same_community_ranks_above_the_rest_of_the_street(desk, clock):
    street = request(desk, clock, DAMING, STALL, "烧烤摊占道经营")
    community = request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营")
    found = desk.similar_open("烧烤摊占道经营", WEIHAI, STALL)
    assert numbers(found) == [community, street]
    assert found[0]["score"] > found[1]["score"]
    assert found[0]["reason"].startswith("同社区") and found[1]["reason"].startswith("同街道")
    assert all(0 <= f["score"] <= 100 for f in found)


def test_a_street_place_covers_its_communities_and_a_district_its_streets(desk, clock):
    in_community = request(desk, clock, WEIHAI, NOISE, "工地夜间施工噪音扰民")
    at_street = request(desk, clock, TAIDONG, NOISE, "工地夜间施工噪音扰民")
    assert set(numbers(desk.similar_open("夜间施工噪音", TAIDONG, NOISE))) == {in_community, at_street}
    at_district = request(desk, clock, SHIBEI, NOISE, "工地夜间施工噪音扰民")
    found = desk.similar_open("夜间施工噪音", SHIBEI, NOISE)
    assert set(numbers(found)) == {at_street, at_district}
    assert {f["reason"].split(" · ")[0] for f in found} == {"同区", "同地点"}


def test_closed_and_merged_requests_are_not_listed(desk, clock):
    closed = desk.register(new_request(place=WEIHAI, category=LEAK, description="楼上漏水到我家",
                                       handling={"mode": "answer", "answer": "已告知找物业"}))
    kept = request(desk, clock, WEIHAI, LEAK, "楼上住户家漏水，天花板渗水")
    merged = request(desk, clock, WEIHAI, LEAK, "楼上漏水")
    desk.act(merged, "merge", {"into": kept})
    found = desk.similar_open("楼上漏水", WEIHAI, LEAK)
    assert numbers(found) == [kept]
    assert closed not in numbers(found) and merged not in numbers(found)


def test_the_days_window_from_the_config_or_the_call(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock)
    old = request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营")
    clock.advance(days=35)
    new = request(desk, clock, DAMING, STALL, "烧烤摊占道经营")
    assert numbers(desk.similar_open("烧烤摊占道", WEIHAI, STALL)) == [new]  # 30 days by default
    assert set(numbers(desk.similar_open("烧烤摊占道", WEIHAI, STALL, days=40))) == {old, new}
    short = shipped_desk(tmp_path, clock, similar_days=3)
    clock.advance(days=5)
    assert short.similar_open("烧烤摊占道", WEIHAI, STALL) == []
    assert numbers(short.similar_open("烧烤摊占道", WEIHAI, STALL, days=10)) == [new]


@pytest.mark.parametrize("typed, expected", [
    ("漏水", "leak"), ("楼上漏水", "leak"), ("噪音", "noise"), ("半夜施工太吵，噪音很大", "noise"),
    ("停电", "power"), ("小区突然停电了", "power"), ("烧烤油烟", "stall"), ("占道", "stall"),
])
def test_short_chinese_descriptions_find_the_same_matter(desk, clock, typed, expected):
    made = {
        "leak": request(desk, clock, WEIHAI, LEAK, "楼上住户卫生间漏水，我家天花板发霉"),
        "noise": request(desk, clock, WEIHAI, NOISE, "附近工地夜间施工，噪音扰民"),
        "power": request(desk, clock, WEIHAI, ["城乡建设", "供电", "停电"], "幸福新苑小区3号楼突然停电，已经3个小时"),
        "stall": request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营，油烟很大"),
    }
    found = desk.similar_open(typed, WEIHAI)  # text alone, no category
    assert numbers(found)[:1] == [made[expected]]
    assert len(found) == 1  # the other matters are not similar


def test_category_alone_or_text_alone_is_enough_but_neither_is_not(desk, clock):
    same_kind = request(desk, clock, WEIHAI, STALL, "流动摊贩堵住小区出入口")
    same_words = request(desk, clock, WEIHAI, NOISE, "烧烤店音响声音太大扰民")
    request(desk, clock, WEIHAI, LEAK, "暖气管道漏水")
    assert numbers(desk.similar_open("", WEIHAI, STALL)) == [same_kind]
    assert numbers(desk.similar_open("烧烤店音响扰民", WEIHAI, ["交通运输", "公共交通"])) == [same_words]


def test_limit_keeps_the_best(desk, clock):
    for i in range(7):
        request(desk, clock, DAMING, STALL, f"烧烤摊占道经营 第{i}家")
    best = request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营")
    found = desk.similar_open("烧烤摊占道经营", WEIHAI, STALL)
    assert len(found) == 5 and found[0]["number"] == best
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)
    assert len(desk.similar_open("烧烤摊占道经营", WEIHAI, STALL, limit=2)) == 2


def test_nothing_to_go_on_gives_nothing(desk, clock):
    request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营")
    assert desk.similar_open("") == []
    assert desk.similar_open("", None, STALL) == []
    assert desk.similar_open("烧烤摊占道经营") == []  # no place: no street to look in
    assert desk.similar_open("", WEIHAI) == []
    assert desk.similar_open("，。！？   ", WEIHAI) == []
    assert desk.similar_open("烧烤摊", "999999999999", STALL) == []  # a place nobody registered at


@pytest.mark.parametrize("description", ["\x1b[2J\x1b]0;x\x07烧烤", "\x00\x01\x7f\x9b烧烤", "烧烤\ud800", "烧烤" * 500_000, "[red]烧烤[/red]",
                                         "\u202e烧烤摊", "' OR 1=1; DROP TABLE ticket; --", "%_%", None, 3.5, {"x": 1}])
@pytest.mark.parametrize("place, category, days, limit", [
    (WEIHAI, STALL, None, 5), ("\x1b[31m", None, -3, -1), ("'; --", "城乡建设 › 市容环境", "ten", "5"),
    (["x"], {"a": 1}, 10**30, 10**30), (WEIHAI, [1, None, "城乡建设"], 0, None), ("", "", True, True),
    ("\ud800", ["\ud800", "\udfff"], 1, 1), ("3" * 10_000, STALL, 30, 5),
])
def test_any_input_is_answered_never_raised(desk, clock, description, place, category, days, limit):
    stall = request(desk, clock, WEIHAI, STALL, "烧烤摊占道经营")
    found = desk.similar_open(description, place, category, days, limit)
    assert isinstance(found, list) and all(set(f) == KEYS for f in found)
    if place == WEIHAI and category == STALL:
        assert numbers(found) == [stall]


def test_text_similarity_on_real_short_texts():
    leak = text_features("楼上漏水")
    assert text_similarity(leak, "小区楼上住户家漏水到我家") > 50
    assert text_similarity(leak, "烧烤摊占道经营") == 0
    assert text_similarity(text_features("噪音"), "工地噪音扰民") > text_similarity(text_features("噪音"), "工地扬尘")
    # the words every request has are not a match
    assert text_similarity(text_features("来电人反映问题严重，请求相关部门处理"), "来电人反映停电问题，请求处理") == 0


def test_a_store_from_before_the_open_requests_index_is_upgraded(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock)
    stall = request(desk, clock, DAMING, STALL, "烧烤摊占道经营")
    downgrade(desk.store.engine, "0003")  # the store as schema 0003 left it
    desk.store.close()
    assert current_version(tmp_path / "store.sqlite") == "0003"
    again = shipped_desk(tmp_path, clock)
    assert numbers(again.similar_open("烧烤摊占道", WEIHAI, STALL)) == [stall]
    assert current_version(tmp_path / "store.sqlite") == HEAD
    # the lookup's condition is the index's, word for word (SQLite uses a partial index only then)
    plan = " ".join(str(r) for r in sqlite3.connect(tmp_path / "store.sqlite").execute(
        # INDEXED BY: SQLite refuses the query ("no query solution") unless the condition is the index's
        f"EXPLAIN QUERY PLAN SELECT {PLACE_COLUMNS} FROM ticket INDEXED BY ix_ticket_place_open WHERE place IN (?, ?) AND registered_ms >= ?"
        f" AND {UNFINISHED} ORDER BY registered_ms DESC LIMIT 400", (WEIHAI, DAMING, 0)))
    assert "COVERING INDEX ix_ticket_place_open" in plan


def test_the_batch_bigram_check_agrees_with_the_one_by_one_check():
    texts = ["烧烤摊占道经营", "İİİ楼上漏水", "", "工地噪音", "漏", "楼上", "\n漏水\n", "停电了", "ABC漏水"] * 3
    for typed in ("楼上漏水", "噪音", "abc", "停电", "x", "漏水"):
        query = text_features(typed)
        one_by_one = {i for i, t in enumerate(texts) if text_similarity(query, t) > 0}
        assert _sharing_a_bigram(query, texts) >= one_by_one
        assert _sharing_a_bigram(query, texts) == {i for i, t in enumerate(texts)
                                                   if any(g in t.lower() for g in query[0])}
