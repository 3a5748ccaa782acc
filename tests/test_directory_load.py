"""The shipped directory: counts, integrity, paths, duty cards; loading needs no pypinyin."""

import subprocess
import sys
from collections import Counter

import pytest

from hotline_tui.directory import load_directory, load_directory_for_store, store_directory_path


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_counts_match_the_nbs_divisions(directory):
    kinds = Counter(u.kind for u in directory)
    assert kinds["city"] == 1
    assert kinds["district"] == 10
    assert kinds["street"] == 141
    assert kinds["community"] == 2120
    assert kinds["department"] >= 100  # municipal bureaus + each district's own


def test_every_parent_exists_and_there_are_no_cycles(directory):
    roots = [u for u in directory if u.parent is None]
    assert [r.code for r in roots] == ["3702"]
    for u in directory:
        seen = set()
        node = u
        while node.parent is not None:
            assert node.code not in seen, f"cycle at {node.code}"
            seen.add(node.code)
            node = directory.get(node.parent)
            assert node is not None, f"{u.code} has a missing ancestor"
        if u.area:
            assert directory.get(u.area).kind == "district"


def test_codes_are_unique(directory):
    codes = [u.code for u in directory]
    assert len(codes) == len(set(codes))


def test_huangdao_is_called_west_coast_new_area(directory):
    d = directory.get("370211")
    assert d.name == "西海岸新区" and "黄岛区" in d.old_names


def test_path_text_and_children(directory):
    assert directory.path_text("370203021") == "青岛市 › 市北区 › 台东街道"
    assert directory.path_text("nope") == ""
    assert "370203021" in {u.code for u in directory.children("370203")}
    assert directory.get("370203-CGJ").name == "市北区城市管理局"


def test_duty_cards_never_invent_phone_numbers(directory):
    # only national service numbers are written; every other contact is left empty
    allowed = {"12368", "12309", "12388", "12351", "12355", "12338", "110（紧急）", "122（交通事故）", "119（火警）",
               "12319", "12315", "12333", "12369", "12329", "12336", "12328", "12320", "12393", "12350",
               "12301", "12366", "12348", "95598", "10086", "10010", "10000",
               # immigration, customs, water distress, banking/insurance, securities, central bank, postal
               # complaints, post, railway, weather, internet reports, organisation-work reports, emergency,
               # anti-fraud warning
               "12367", "12360", "12395（水上遇险）", "12378", "12386", "12363", "12305", "11183", "12306",
               "12121", "12377", "12380", "120（急救）", "96110（反诈预警劝阻）", ""}
    for u in directory:
        assert u.card.contact in allowed, (u.code, u.card.contact)
    assert directory.card("370203021").duties  # a street without its own card gets its level's


def test_loading_does_not_import_pypinyin():
    code = ("import sys; from hotline_tui.directory import load_directory; d = load_directory(); "
            "d.lookup('tdjd'); d.lookup('台冬街道'); d.warm(); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_store_without_imported_directory_uses_shipped(tmp_path):
    store = tmp_path / "desk.sqlite"
    assert store_directory_path(store) == tmp_path / "desk.sqlite.directory.json"
    assert len(load_directory_for_store(store)) == len(load_directory())
