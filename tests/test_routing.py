"""Routing suggestions through the Desk facade: units for a request with their reasons, and categories."""

from __future__ import annotations

import pytest
from deskkit import SHIBEI, TAIDONG, Clock, china_ms, make_desk, new_request

WEIHAILU = "370203021001"  # 威海路社区 of 台东街道


@pytest.fixture
def desk(tmp_path):
    return make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 20, 10, 0)))


def codes(units):
    return [u["code"] for u in units]


def test_street_vending_goes_to_the_district_city_management_with_its_reasons(desk):
    units = desk.suggest_units("台东三路有商户长期占道经营，人行道都被占了", place=WEIHAILU)
    first = units[0]
    assert first["code"] == "370203-CGJ" and first["name"] == "市北区城市管理局"
    assert first["path"] == "青岛市 › 市北区 › 市北区城市管理局"
    assert set(first) == {"code", "name", "path", "kind", "level", "score", "reason"}
    assert "派单目录「占道经营」" in first["reason"] and "分类「占道经营」" in first["reason"]
    assert first["reason"].endswith("属地")
    assert len(units) == 3 and "370203021" in codes(units)  # the place's street is offered too: 小事不出街道


def test_a_street_matter_goes_to_the_place_street_then_district_level(desk):
    assert codes(desk.suggest_units("楼下广场舞音响太吵", place=WEIHAILU))[0] == "370203021"
    assert codes(desk.suggest_units("楼下广场舞音响太吵", place=SHIBEI))[0] == SHIBEI  # only the district known
    assert all(u["level"] != "street" for u in desk.suggest_units("楼下广场舞音响太吵"))  # no place: no street


def test_a_district_rule_without_a_place_names_the_city_department(desk):
    assert codes(desk.suggest_units("烧烤摊占道经营"))[0] == "D-CGJ"


def test_a_place_named_in_the_description_counts_like_a_place(desk):
    assert codes(desk.suggest_units("李沧区书院路夜市占道经营"))[0] == "370213-CGJ"
    assert codes(desk.suggest_units("崂山区金家岭街道楼下广场舞太吵"))[0] == "370212005"


def test_a_utility_goes_to_the_utility_wherever_the_place(desk):
    units = desk.suggest_units("家里暖气不热，室温只有15度", place=TAIDONG)
    assert units[0]["code"] == "E-NYJT-RD" and "分类「暖气不热」" in units[0]["reason"]


def test_the_category_given_leads_even_without_a_description(desk):
    units = desk.suggest_units("", place=WEIHAILU, category=["劳动和社会保障", "劳动关系", "拖欠工资"])
    assert units[0]["code"] == "370203-RSJ" and units[0]["reason"] == "分类「拖欠工资」 + 属地"
    assert codes(desk.suggest_units("", place=WEIHAILU, category="城乡建设 › 供热"))[0] == "E-NYJT-RD"


def test_nothing_to_go_on_gives_nothing(desk):
    assert desk.suggest_units("") == []
    assert desk.suggest_units("   ", place=None, category=None) == []


def test_learned_dispatches_of_the_last_30_days_add_a_unit_and_say_how_often(tmp_path):
    clock = Clock(china_ms(2026, 11, 1, 10, 0))
    desk = make_desk(tmp_path, clock=clock)
    cat = ["政务服务", "作风建设", "工作人员作风"]
    old = new_request(category=cat, place=TAIDONG, handling={"mode": "dispatch", "lead": TAIDONG})
    desk.register(old)  # 40 days before the suggestion: outside the window
    clock.advance(days=35)
    for _ in range(4):
        desk.register(new_request(category=cat, place=TAIDONG, handling={"mode": "dispatch", "lead": TAIDONG}))
    clock.advance(days=5)
    before = make_desk(tmp_path, clock=clock, store_name="empty.sqlite")
    plain = before.suggest_units("社区工作人员办事推诿", place=WEIHAILU, category=cat)
    assert "本台" not in " ".join(u["reason"] for u in plain)
    assert desk.warm_routing() == {"categories": len(desk._router().taxonomy), "tickets": 4}
    units = desk.suggest_units("社区工作人员办事推诿", place=WEIHAILU, category=cat)
    street = next(u for u in units if u["code"] == TAIDONG)
    assert "本台近30天 4 次" in street["reason"]
    assert street["score"] > next(u for u in plain if u["code"] == TAIDONG)["score"]


def test_warm_routing_refresh_counts_new_tickets(desk):
    assert desk.warm_routing()["tickets"] == 0
    desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    assert desk.warm_routing()["tickets"] == 0  # cached
    assert desk.warm_routing(refresh=True)["tickets"] == 1


def test_suggesting_does_not_create_a_store(tmp_path):
    desk = make_desk(tmp_path)
    assert desk.suggest_units("暖气不热", place=TAIDONG)[0]["code"] == "E-NYJT-RD"
    assert not (tmp_path / "store.sqlite").exists()


def test_the_desk_most_used_categories_lead_an_empty_search(desk):
    for _ in range(2):
        desk.register(new_request(category=["民政", "社会救助", "低保"], handling=None))
    desk.warm_routing()
    first = desk.search_categories("")[0]
    assert first["path"] == ["民政", "社会救助", "低保"] and first["reason"] == "本台常用 2 次"


def test_suggest_categories_shape_and_reason(desk):
    found = desk.suggest_categories("公司拖欠了我三个月工资")
    assert found[0]["path"] == ["劳动和社会保障", "劳动关系", "拖欠工资"]
    assert found[0]["label"] == "劳动和社会保障 › 劳动关系 › 拖欠工资"
    assert found[0]["reason"].startswith("含「") and "「拖欠」" in found[0]["reason"]
    assert desk.suggest_categories("") == []


def test_suggestions_are_deterministic(desk):
    args = ("小区门口垃圾没人清运，旁边饭店油烟也很大", WEIHAILU)
    assert desk.suggest_units(*args, limit=5) == desk.suggest_units(*args, limit=5)
    assert desk.suggest_categories(args[0]) == desk.suggest_categories(args[0])


@pytest.mark.parametrize("description, place, category, limit", [
    (None, None, None, 3),
    (12345, "NOPE", {"a": 1}, 3),
    ("\x1b[2J\x1b]52;c;bad\x07 暖气不热", "\x1b[31m", ["\x00"], 3),
    ("暖" * 100_000, TAIDONG, "a › b › c › d › e", 3),
    ("\ud800\udfff", 3702, [1, 2], 3),
    ("占道经营", TAIDONG, None, 0),
    ("占道经营", TAIDONG, None, -5),
    ("占道经营", TAIDONG, None, "many"),
    ("占道经营", "", "", 10**9),
])
def test_never_raises_on_any_input(desk, description, place, category, limit):
    for call in (lambda: desk.suggest_units(description, place, category, limit),
                 lambda: desk.suggest_categories(description, limit),
                 lambda: desk.search_categories(description, limit)):
        out = call()
        assert isinstance(out, list) and len(out) <= 200
