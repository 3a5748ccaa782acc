"""The dispatch catalogue (派单目录, data/directory/catalogue.toml): every entry resolves to units of the
directory, agrees with its category's handler rule, and is what routing and the lookup use; an edited
catalogue with mistakes is refused with numbered reasons and changes nothing."""

from __future__ import annotations

import tomllib

import pytest
from deskkit import make_desk

from hotline_tui.directory import load_directory, store_directory_path
from hotline_tui.directory.catalogue import check_entries, read_catalogue
from hotline_tui.directory.exchange import import_directory
from hotline_tui.directory.storage import CATALOGUE_FILE, shipped_dir
from hotline_tui.errors import InputError
from hotline_tui.routing import load_taxonomy
from hotline_tui.routing.places import Where
from hotline_tui.routing.units import resolve_handler

# a place in each kind of district: 市北区 台东街道 威海路社区, 胶州市 阜安街道 大同社区, 西海岸新区 黄岛街道
PLACES = ("370203021001", "370281001005", "370211001001")


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.fixture(scope="module")
def entries(directory):
    return directory.catalogue.entries


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    return make_desk(tmp_path_factory.mktemp("catalogue"))


def _where(directory, code):
    street = directory.get(code).parent
    return Where(street, directory.get(street).parent)


def test_the_shipped_catalogue_is_whole(directory, entries):
    items = read_catalogue(shipped_dir() / CATALOGUE_FILE)
    assert len(entries) == len(items) >= 100  # none was dropped when the directory was built
    taxonomy = load_taxonomy()
    labels = {c.label for c in taxonomy.categories}
    named = {e.category for e in entries if e.category}
    assert named <= labels, named - labels
    # the hundred most frequent matters of the taxonomy: every category has its entry
    assert labels <= named, labels - named
    for e in entries:
        unit = directory.get(e.unit)
        assert unit is not None and e.why, e
        if e.section:
            assert directory.get(e.section).kind == "section" and directory.get(e.section).parent == e.unit
        for place in PLACES:  # the local rule lands on a unit of the directory at every place
            where = _where(directory, place)
            assert directory.get(directory.catalogue.resolve(e, where.district, where.street)) is not None


def test_an_entry_agrees_with_its_category_handler(directory, entries):
    """Routing must not pull a matter two ways: the catalogue's unit at a place is the category's."""
    taxonomy = load_taxonomy()
    by_label = {c.label: c for c in taxonomy.categories}
    for e in (e for e in entries if e.category):
        handler = by_label[e.category].handler
        for place in PLACES:
            where = _where(directory, place)
            want = resolve_handler(handler, where, directory, taxonomy.district_departments)
            assert directory.catalogue.resolve(e, where.district, where.street) == want, (e.matter, place)
        if handler != "street":  # no place: the city unit named by both
            assert e.unit == resolve_handler(handler, Where(), directory, taxonomy.district_departments)


def test_the_district_bureau_is_preferred_when_the_place_is_known(directory):
    cat = directory.catalogue
    assert cat.find("烧烤摊占道经营") == {"D-CGJ": ["占道经营"]}
    assert cat.find("烧烤摊占道经营", "370203", "370203021") == {"370203-CGJ": ["占道经营"]}
    assert cat.find("垃圾满溢没人管", "370203", "370203021") == {"370203021": ["垃圾满溢"]}
    assert cat.find("快递丢件", "370203", "370203021") == {"C-YZGLJ": ["快递丢件"]}  # no local rule


def test_routing_uses_every_entry(desk, directory, entries):
    """Each matter said alone at a place is suggested to the unit the catalogue names there, with the
    catalogue as the reason."""
    where = _where(directory, PLACES[0])
    for e in entries:
        want = directory.catalogue.resolve(e, where.district, where.street)
        units = desk.suggest_units(e.matter, PLACES[0], limit=5)
        hit = [u for u in units if u["code"] == want]
        assert hit and f"派单目录「{e.matter}」" in hit[0]["reason"], (e.matter, want, units[:3])


def test_the_lookup_finds_a_matter_and_its_keywords(directory, entries):
    for e in entries:
        for k in e.keywords:
            assert e.unit in [m.code for m in directory.lookup(k, limit=12)], (k, e.unit)


def _catalogue(tmp_path, text):
    path = tmp_path / "cat.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_CSV = ("code,name,kind,level,parent\n3702,青岛市,city,city,\nD-CGJ,市城市管理局,department,city,3702\n"
            "370203,市北区,district,district,3702\n")


@pytest.mark.parametrize("text, message", [
    ("[[matter]]\nmatter = 1\n", "matter 1: matter is empty"),
    ('[[matter]]\nmatter = "占道经营"\nunit = "D-CGJ"\ncolour = "red"\n', "unknown field colour"),
    ('[[matter]]\nmatter = "占道经营"\nunit = "D-CGJ"\nlocal = "district"\n', "local 'district'"),
    ('[[matter]]\nmatter = "占道经营"\nunit = "D-CGJ"\nkeywords = ["占"]\n', "keyword '占' is shorter"),
    ('[[matter]]\nmatter = "占道经营"\nunit = "D-CGJ"\n[[matter]]\nmatter = "摆摊"\nkeywords = ["占道经营"]\nunit = "D-CGJ"\n',
     "matter 2 \\(摆摊\\): keyword 占道经营 is already matter 1"),
    ('[[matter]]\nmatter = "占道经营"\n', "no unit"),
    ('[[matter]]\nmatter = "占道\\u001b[31m经营"\nunit = "D-CGJ"\n', "control characters"),
    ('[[matter]\nmatter = "占道经营"\n', "cannot be read"),
])
def test_a_bad_catalogue_is_refused_and_changes_nothing(tmp_path, text, message):
    """Bad inputs tried: a matter that is not text, an unknown field, a malformed local rule, a one-character
    keyword, a keyword in two entries, no unit, an escape sequence, malformed TOML."""
    src = tmp_path / "units.csv"
    src.write_text(GOOD_CSV, encoding="utf-8")
    target = store_directory_path(tmp_path / "desk.sqlite")
    with pytest.raises(InputError, match=message):
        import_directory(src, target, catalogue=_catalogue(tmp_path, text))
    assert not target.exists()


def test_entries_naming_units_not_in_the_directory_are_left_out_and_reported(tmp_path):
    src = tmp_path / "units.csv"
    src.write_text(GOOD_CSV, encoding="utf-8")
    target = store_directory_path(tmp_path / "desk.sqlite")
    report = import_directory(src, target)  # the shipped catalogue, applied to a small directory
    assert report.catalogue >= 10 and len(report.catalogue_dropped) > 100
    assert any("unit D-RSJ is not in the directory" in line for line in report.catalogue_dropped)
    d = load_directory(target)
    assert "占道经营" in d.get("D-CGJ").duties and d.lookup("占道经营")[0].code == "D-CGJ"
    assert d.catalogue.find("占道经营", "370203") == {"D-CGJ": ["占道经营"]}  # 市北区 has no CGJ here


def test_a_city_catalogue_replaces_the_shipped_one(tmp_path):
    src = tmp_path / "units.csv"
    src.write_text(GOOD_CSV, encoding="utf-8")
    target = store_directory_path(tmp_path / "desk.sqlite")
    cat = _catalogue(tmp_path, '[[matter]]\nmatter = "井盖缺失"\nkeywords = ["井盖"]\nunit = "D-CGJ"\nwhy = "市政设施"\n')
    report = import_directory(src, target, catalogue=cat)
    assert report.catalogue == 1
    d = load_directory(target)
    assert d.get("D-CGJ").duties == ("井盖缺失", "井盖")
    assert d.lookup("占道经营") == []  # the shipped catalogue was not applied


def test_check_entries_reads_what_the_file_says(directory):
    with (shipped_dir() / CATALOGUE_FILE).open("rb") as fh:
        items = tomllib.load(fh)["matter"]
    units = {u.code: {"kind": u.kind, "parent": u.parent} for u in directory}
    entries, dropped = check_entries(items, units)
    assert not dropped and entries == directory.catalogue.entries
