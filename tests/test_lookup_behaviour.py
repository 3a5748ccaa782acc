"""Lookup behaviour: reasons, ranking rules, usage, and odd input that must never raise."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.directory import load_directory


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.mark.parametrize("query, code, reason", [
    ("台东", "370203021", "名称"),
    ("taidong", "370203021", "拼音"),
    ("tdjd", "370203021", "首字母"),
    ("市监局", "D-SJJ", "简称"),
    ("环保局", "D-HBJ", "旧称"),
    ("占道经营", "D-CGJ", "职责「占道经营」"),
    ("台冬街道", "370203021", "同音"),
    ("市北台东", "370203021", "市北区 · 名称"),
    ("sbtd", "370203021", "市北区 · 首字母"),
    ("sb台东", "370203021", "市北区 · 名称"),
    ("市北td", "370203021", "市北区 · 首字母"),
    ("sbcg", "370203-CGJ", "市北区 · 简称"),
])
def test_reason_says_why(directory, query, code, reason):
    m = directory.lookup(query)[0]
    assert (m.code, m.reason) == (code, reason)
    assert m.path.startswith("青岛市")


def test_polyphone_readings_are_indexed(directory):
    assert directory.lookup("zaohang")[0].code == "370212004211"  # 枣行村: hang as well as xing
    assert directory.lookup("zhongqinglu")[0].name == "重庆路社区"


def test_same_named_places_are_told_apart_by_path(directory):
    a, b = directory.lookup("市南珠海")[0], directory.lookup("西海岸珠海街道")[0]
    assert a.path == "青岛市 › 市南区 › 珠海路街道"
    assert b.path == "青岛市 › 西海岸新区 › 珠海街道"


def test_street_before_namesake_community(directory):
    codes = [m.code for m in directory.lookup("八大关", limit=2)]
    assert codes == ["370202009", "370202009001"]


def test_city_bureau_before_district_copies_without_a_place(directory):
    ms = directory.lookup("城管", limit=11)
    assert ms[0].code == "D-CGJ"
    assert {m.code for m in ms[1:]} >= {"370203-CGJ", "370202-CGJ"}
    assert directory.lookup("市北城管")[0].code == "370203-CGJ"


def test_usage_breaks_ties(directory):
    plain = [m.code for m in directory.lookup("城管局", limit=11)]
    assert plain[1] == "370202-CGJ"
    used = [m.code for m in directory.lookup("城管局", limit=11, usage={"370214-CGJ": 40})]
    assert used[1] == "370214-CGJ"


@pytest.mark.parametrize("query", ["", "   ", "\x1b[2J", "\x00\x01", "!!!", "a" * 10_000, "台" * 500, "'", "\u200b"])
def test_odd_input_gives_a_list_not_an_error(directory, query):
    assert isinstance(directory.lookup(query), list)


def test_limit(directory):
    assert len(directory.lookup("社区", limit=3)) == 3
    assert directory.lookup("社区", limit=0) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_never_raises(directory, text):
    for m in directory.lookup(text, limit=5):
        assert directory.get(m.code) is not None


def test_a_district_is_not_shadowed_by_a_namesake_village_or_another_reading(directory):
    # 崂山社区 (即墨) is named after the district; 乐山村 can be read "laoshan"
    assert directory.lookup("laoshan")[0].name == "崂山区"
    assert directory.lookup("崂山")[0].name == "崂山区"
    assert directory.lookup("乐山村")[0].name == "乐山村"


def test_chengguan_is_the_city_bureau_not_a_village(directory):
    ms = directory.lookup("chengguan", limit=5)
    assert ms[0].code == "D-CGJ" and ms[0].reason == "简称"
    assert "370215002204" in [m.code for m in ms]  # 城关村 is still offered
    assert directory.lookup("chengguancun")[0].code == "370215002204"


def test_district_initials_lead_only_when_the_rest_is_in_that_district(directory):
    assert directory.lookup("lswgz")[0].path == "青岛市 › 崂山区 › 王哥庄街道"
    assert directory.lookup("sntd") == [] or directory.lookup("sntd")[0].path.split(" › ")[1] != "市北区"
