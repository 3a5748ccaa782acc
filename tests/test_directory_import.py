"""Import and export: bad files are refused with a clear, numbered reason and change nothing; imported
units are found by pinyin and initials; an update keeps codes and reports what changed."""

import datetime as dt
import json

import pytest

from hotline_tui.directory import load_directory, load_directory_for_store, store_directory_path
from hotline_tui.directory.exchange import export_csv, export_json, import_directory
from hotline_tui.errors import InputError, NotFound

HEADER = "code,name,kind,level,parent,full_name,short_names,old_names,duties,area\n"
GOOD = HEADER + ("C1,某市,city,city,,,,,,\n"
                 "D1,东区,district,district,C1,,,,,\n"
                 "S1,长安街道,street,street,D1,,,,,D1\n"
                 "B1,某市城市管理局,department,city,C1,,城管,城管执法局,占道经营|油烟,\n")


@pytest.fixture
def store(tmp_path):
    return tmp_path / "desk.sqlite"


@pytest.fixture
def existing(store):
    """A store that already has an imported directory; every failure must leave it byte for byte."""
    src = store.parent / "good.csv"
    src.write_text(GOOD, encoding="utf-8")
    import_directory(src, store_directory_path(store))
    return store_directory_path(store).read_bytes()


def _refused(store, existing, text, match, name="bad.csv"):
    src = store.parent / name
    src.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        import_directory(src, store_directory_path(store))
    assert store_directory_path(store).read_bytes() == existing
    assert not [p for p in store.parent.iterdir() if p.name.endswith(".tmp")]


def test_good_import_is_used_by_the_store_and_finds_by_pinyin(store, existing):
    d = load_directory_for_store(store)
    assert len(d) == 4
    assert d.path_text("S1") == "某市 › 东区 › 长安街道"
    assert d.lookup("changan")[0].code == "S1"
    assert d.lookup("城管")[0].code == "B1"
    assert d.lookup("占道经营")[0].reason == "职责「占道经营」"


def test_duplicate_codes_are_refused(store, existing):
    _refused(store, existing, GOOD + "S1,又一个,street,street,D1,,,,,\n", r"line 6: duplicate code S1 \(first at line 4\)")


def test_unknown_parent_is_refused(store, existing):
    _refused(store, existing, GOOD + "S9,西街道,street,street,NOPE,,,,,\n", r"line 6: parent NOPE of S9 is not in the file")


def test_parent_cycle_is_refused(store, existing):
    text = GOOD + "X1,甲,street,street,X2,,,,,\nX2,乙,street,street,X1,,,,,\n"
    _refused(store, existing, text, r"parent cycle")


def test_empty_file_is_refused(store, existing):
    _refused(store, existing, "", r"empty")
    _refused(store, existing, "   \n\n", r"empty")


def test_header_only_has_no_units(store, existing):
    _refused(store, existing, HEADER, r"no units")


def test_malformed_json_is_refused(store, existing):
    _refused(store, existing, '{"units": [{"code": "C1",}', r"not valid JSON: .* line 1", name="bad.json")


def test_json_unit_that_is_not_an_object_is_refused(store, existing):
    _refused(store, existing, '{"units": [1]}', r"item 1: a unit must be an object", name="bad.json")


def test_bad_csv_row_is_refused_with_its_line(store, existing):
    _refused(store, existing, GOOD + "S2,少列\n", r"line 6: 2 fields, the header has 10")
    _refused(store, existing, GOOD + "S2,南街道,street,nowhere,D1,,,,,\n", r"line 6: level 'nowhere'")
    _refused(store, existing, GOOD + "S 2,南街道,street,street,D1,,,,,\n", r"line 6: code 'S 2'")


def test_unknown_csv_column_is_refused(store, existing):
    _refused(store, existing, "code,name,kind,level,parent,colour\n", r"line 1: .*unknown columns colour")


def test_control_characters_are_refused(store, existing):
    _refused(store, existing, GOOD + "S2,南\x1b[31m街道,street,street,D1,,,,,\n", r"line 6: name contains control characters")
    _refused(store, existing, GOOD + "S2,南街道,street,street,D1,,\x07,,,\n", r"line 6: short_names contains control")


def test_missing_file_is_not_found(store, existing):
    with pytest.raises(NotFound):
        import_directory(store.parent / "missing.csv", store_directory_path(store))
    assert store_directory_path(store).read_bytes() == existing


def test_json_round_trip_of_the_shipped_directory(tmp_path):
    shipped = load_directory()
    src = tmp_path / "all.json"
    src.write_text(export_json(shipped), encoding="utf-8")
    target = tmp_path / "s.sqlite.directory.json"
    report = import_directory(src, target)
    assert report.units == len(shipped)
    assert (report.added, report.renamed, report.moved, report.removed) == ([], [], [], [])  # nothing changed
    assert report.catalogue == len(shipped.catalogue.entries) and not report.catalogue_dropped
    again = load_directory(target)
    assert again.get("370211") == shipped.get("370211")
    assert again.catalogue.find("台东三路占道经营", "370203", "370203021") == {"370203-CGJ": ["占道经营"]}
    assert again.lookup("市北台东")[0].code == "370203021"


def test_csv_export_reimports(tmp_path):
    shipped = load_directory()
    src = tmp_path / "all.csv"
    src.write_text(export_csv(shipped), encoding="utf-8")
    target = tmp_path / "s.sqlite.directory.json"
    assert import_directory(src, target).units == len(shipped)
    assert load_directory(target).get("D-CGJ").duties == shipped.get("D-CGJ").duties
    assert load_directory(target).get("D-RSJ-LDGX").card == shipped.get("D-RSJ-LDGX").card  # its date and author too
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "hotline-directory/1"


def test_imported_units_are_found_by_full_pinyin_and_by_initials(store, existing):
    """Pinyin is computed at import (pypinyin, a runtime dependency): a builder that dropped the full
    pinyin or the initials of imported names fails here."""
    d = load_directory_for_store(store)
    for query, code, reason in (("changanjiedao", "S1", "拼音"), ("cajd", "S1", "首字母"),
                                ("moushichengshiguanliju", "B1", "拼音"), ("mscsglj", "B1", "首字母"),
                                ("chengguan", "B1", "简称"), ("cg", "B1", "简称")):
        first = [(m.code, m.reason, m.good) for m in d.lookup(query)][:1]
        assert first == [(code, reason, True)], query


UPDATE = HEADER.replace("area\n", "area,card_duties,card_updated,card_updated_by\n") + (
    "C1,某市,city,city,,,,,,,,,\n"
    "D1,东城区,district,district,C1,,,,,,,,\n"  # renamed
    "D2,西区,district,district,C1,,,,,,,,\n"  # added
    "S1,长安街道,street,street,D2,,,,,D2,,,\n"  # moved to D2
    "B1,某市城市管理局,department,city,C1,,城管,城管执法局,占道经营|油烟,,市容环境卫生,,\n"  # card changed
    "B9,某市财政局,department,city,C1,,,,,,财政收支,2026-11-30,市财政局办公室\n")  # added, card dated


def test_an_update_keeps_codes_and_reports_what_changed(store, existing):
    src = store.parent / "update.csv"
    src.write_text(UPDATE, encoding="utf-8")
    report = import_directory(src, store_directory_path(store), by="王芳", today=dt.date(2026, 12, 2))
    assert report.added == [("D2", "西区"), ("B9", "某市财政局")]
    assert report.renamed == [("D1", "东区", "东城区")]
    assert report.moved == [("S1", "东区", "西区")]  # the parent's name as it was
    assert report.removed == []
    text = "\n".join(report.lines())
    assert "added 2, renamed 1, moved 1, removed 0" in text and "D1 东区 → 东城区" in text
    d = load_directory_for_store(store)
    assert d.path_text("S1") == "某市 › 西区 › 长安街道"  # same code, same unit: its tickets stay attached
    assert (d.get("B1").card.updated, d.get("B1").card.updated_by) == ("2026-12-02", "王芳")  # changed today
    assert (d.get("B9").card.updated, d.get("B9").card.updated_by) == ("2026-11-30", "市财政局办公室")  # as given


def test_an_update_that_drops_a_unit_or_changes_its_code_says_so(store, existing):
    src = store.parent / "recode.csv"
    src.write_text(GOOD.replace("S1,长安街道", "S7,长安街道"), encoding="utf-8")
    report = import_directory(src, store_directory_path(store))
    assert report.removed == [("S1", "长安街道")] and report.added == [("S7", "长安街道")]
    assert report.recoded == [("S1", "S7", "长安街道")]
    assert "code changed? 长安街道: S1 → S7; tickets on S1 stay on S1" in "\n".join(report.lines())


def test_an_unchanged_card_keeps_its_date(store, existing):
    first = load_directory_for_store(store).get("B1").card
    src = store.parent / "again.csv"
    src.write_text(GOOD.replace("东区,district", "东城区,district"), encoding="utf-8")
    import_directory(src, store_directory_path(store), today=dt.date(2030, 1, 1))
    assert load_directory_for_store(store).get("B1").card == first  # nothing on the card changed


def test_a_card_date_that_is_not_a_date_is_refused(store, existing):
    bad = UPDATE.replace("2026-11-30", "30.11.2026")
    _refused(store, existing, bad, r"line 7: card_updated '30.11.2026' is not a date")
    _refused(store, existing, UPDATE.replace("2026-11-30", "2026-02-30"), r"is not a date")
