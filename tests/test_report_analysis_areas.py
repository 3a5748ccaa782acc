"""The ten livelihood areas table (data/livelihood_areas.toml) against the shipped taxonomy: ten areas, every
listed path names real categories, no path is listed twice, every category lands in at most one area, every
top-level category too but 城乡建设 (split by design), and what is left out is exactly what the file says.

Bad tables tried: a path listed under two areas, an area without categories, an empty file, a file that is
not TOML — each an InputError naming the fault."""

from __future__ import annotations

import pytest

from hotline_tui.errors import InputError
from hotline_tui.reports.analysis_areas import SEP, load_areas
from hotline_tui.resources import data_dir
from hotline_tui.routing.taxonomy import load_taxonomy

# what the file's header says is in no area
UNMAPPED = {"公安政法", "商贸旅游", "文化体育", "农业农村", "应急管理", "通信", "政务服务", "自然资源 › 规划土地",
            "城乡建设 › 人防", "市场监管 › 市场主体", "市场监管 › 金融服务", "民政 › 婚姻殡葬", "民政 › 宗教事务"}


@pytest.fixture(scope="module")
def areas():
    return load_areas()


@pytest.fixture(scope="module")
def categories():
    return load_taxonomy().categories


def test_ten_areas_whose_paths_name_real_categories(areas, categories):
    assert len(areas.areas) == 10
    paths = {c.path for c in categories}
    for a in areas.areas:
        assert a.categories, a.name
        for p in a.categories:
            assert any(full[:len(p)] == p for full in paths), f"{a.name}: {SEP.join(p)} is no category"


def test_every_category_falls_in_at_most_one_area(areas, categories):
    for c in categories:
        holding = {a.name for a in areas.areas for p in a.categories if c.path[:len(p)] == p}
        assert len(holding) <= 1, (c.label, holding)
        assert areas.of(c.label) == (next(iter(holding)) if holding else None)


def test_every_top_level_category_but_one_maps_to_at_most_one_area(areas, categories):
    """A first level's requests go to one area (or to none, or partly to none), except 城乡建设: the taxonomy
    puts housing, utilities and the streets under it, which are three areas of daily life, so the table lists
    it by its second levels."""
    holding: dict[str, set] = {}
    for c in categories:
        holding.setdefault(c.path[0], set()).add(areas.of(c.path))
    split = {top: names - {None} for top, names in holding.items() if len(names - {None}) > 1}
    assert split == {"城乡建设": {"住房与物业", "水电气暖", "城市管理与市容"}}
    partly = {top for top, names in holding.items() if None in names and names - {None}}
    assert partly == {"城乡建设", "市场监管", "民政", "自然资源"}  # the rest of each is in no area (see the file)
    whole = {p[0] for a in areas.areas for p in a.categories if len(p) == 1}
    assert all(len(holding[top]) == 1 for top in whole)  # a first level listed whole is in that area only


def test_what_is_left_out_is_what_the_file_says(areas, categories):
    left = {c.path for c in categories if areas.of(c.path) is None}
    described = {tuple(u.split(SEP)) for u in UNMAPPED}
    assert {p for p in left if not any(p[:len(d)] == d for d in described)} == set()
    for d in described:  # each named part is really left out, whole
        assert all(areas.of(c.path) is None for c in categories if c.path[:len(d)] == d)
    header = (data_dir() / "livelihood_areas.toml").read_text(encoding="utf-8").split("\n[[area]]\n")[0]
    for u in UNMAPPED:
        assert u.split(SEP)[-1] in header


@pytest.mark.parametrize("text, words", [
    ('[[area]]\nname = "甲"\ncategories = ["教育"]\n[[area]]\nname = "乙"\ncategories = ["教育"]\n', "listed under both"),
    ('[[area]]\nname = "甲"\ncategories = []\n', "area 1 needs a name"),
    ("", "lists no [[area]]"),
    ("[[area]\n", "cannot read"),
])
def test_a_bad_table_is_refused_with_its_fault(tmp_path, text, words):
    path = tmp_path / "areas.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words.replace("[", r"\[")):
        load_areas(path)
