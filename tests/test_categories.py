"""The shipped request taxonomy (data/categories.*): what it must contain, and category search as typed."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from hotline_tui.demo.taxonomy import CATEGORIES as DEMO
from hotline_tui.directory import load_directory
from hotline_tui.routing import Router, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def router():
    return Router(load_taxonomy(), load_directory())


def test_every_demo_category_is_in_the_taxonomy_with_the_same_handler():
    tax = load_taxonomy()
    for c in DEMO:
        ours = tax.get(c.path)
        assert ours is not None, f"demo category {' › '.join(c.path)} is missing from data/categories.toml"
        assert ours.handler == c.handler, f"{ours.label}: handler {ours.handler} here, {c.handler} in the demo"


def test_taxonomy_is_three_levels_with_unique_paths_and_enough_breadth():
    tax = load_taxonomy()
    paths = [c.path for c in tax.categories]
    assert len(paths) == len(set(paths)) >= 90
    assert all(len(p) == 3 and all(p) for p in paths)
    assert len({p[0] for p in paths}) >= 15


def test_every_handler_names_a_unit_of_the_directory():
    tax, d = load_taxonomy(), load_directory()
    districts = [u.code for u in d if u.kind == "district"]
    for c in tax.categories:
        if c.handler == "street":
            continue
        if c.handler.startswith("d:"):
            suffix = c.handler[2:]
            assert d.get(tax.district_departments[suffix]) is not None, c.label
            assert all(d.get(f"{code}-{suffix}") is not None for code in districts), c.label
        else:
            assert d.get(c.handler) is not None, f"{c.label}: unknown unit {c.handler}"


def test_shipped_json_is_built_from_the_toml():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_categories
    finally:
        sys.path.pop(0)
    with (ROOT / "data" / "categories.toml").open("rb") as fh:
        rebuilt = build_categories.build(tomllib.load(fh))
    shipped = json.loads((ROOT / "data" / "categories.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(rebuilt, ensure_ascii=False)), \
        "data/categories.json is stale: run scripts/build_categories.py"


def test_pinyin_is_not_imported_at_run_time():
    code = ("import sys; from hotline_tui.routing import Router, load_taxonomy; "
            "from hotline_tui.directory import load_directory; r = Router(load_taxonomy(), load_directory()); "
            "assert r.search_categories('nqbr')[0]['path'][2] == '暖气不热'; print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("typed, expected, reason", [
    ("暖气不热", "暖气不热", "分类「暖气不热」"),
    ("占道", "占道经营", "分类「占道经营」"),
    ("zdjy", "占道经营", "首字母「占道经营」"),
    ("zhandao", "占道经营", "拼音「占道经营」"),
    ("tqgz", "拖欠工资", "首字母「拖欠工资」"),
    ("医保", "医保报销", "分类「医保报销」"),
    ("欠薪", "拖欠工资", "关键词「欠薪」"),
    ("qianxin", "拖欠工资", "关键词「欠薪」"),
    ("广场舞", "社会生活噪音", "关键词「广场舞」"),
    ("gjj", "公积金", "首字母「公积金」"),
])
def test_search_finds_a_category_as_typed(router, typed, expected, reason):
    first = router.search_categories(typed)[0]
    assert first["path"][2] == expected and first["reason"] == reason
    assert first["label"] == " › ".join(first["path"])


def test_a_two_character_word_lists_every_category_that_holds_it(router):
    found = [h["path"][2] for h in router.search_categories("噪音")]
    assert {"施工噪音", "社会生活噪音", "工业噪音"} <= set(found)


def test_a_level_one_name_lists_its_categories(router):
    found = router.search_categories("供热", limit=5)
    assert {h["path"][2] for h in found[:3]} == {"暖气不热", "暖气漏水", "供热收费"}


def test_a_description_typed_into_the_field_still_finds_its_category(router):
    found = router.search_categories("楼下烧烤店晚上油烟很大")
    assert {"露天烧烤", "餐饮油烟"} <= {h["path"][2] for h in found[:3]}


def test_empty_text_lists_the_most_common_categories(router):
    found = router.search_categories("", limit=5)
    assert len(found) == 5 and found[0]["path"][2] == "暖气不热" and found[0]["reason"] == "常用分类"


@pytest.mark.parametrize("text", [None, 42, [], "\x1b[2J\x1b]0;x\x07", "\ud800", "🙂" * 50, "a" * 100_000,
                                  "   ", "›››", "\u202e反向", "SELECT * FROM ticket"])
def test_search_never_raises(router, text):
    found = router.search_categories(text, limit=5)
    assert isinstance(found, list) and len(found) <= 5
