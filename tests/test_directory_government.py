"""The shipped directory holds the whole municipal government down to the sections (处室): departments and
directly affiliated bodies, the Party's departments, functional zones, central units in the city,
utilities; each with its names, parent, kind and level; sections found by their own and their department's
name and shown under it; duty cards dated and signed; unit codes that tickets hang on never change."""

from __future__ import annotations

import re

import pytest

from hotline_tui.directory import load_directory
from hotline_tui.directory.model import CARD_FIELDS

# The hand-written unit codes the directory had before the whole government came in: tickets and usage
# hang on them, so each must still be there (the NBS division codes are checked in test_directory_load).
EARLIER_CODES = """O-RD O-ZX O-ZY O-JCY O-JW O-ZGH O-TSW O-FL D-GAJ D-GAJ-JJ D-GAJ-CRJ D-GAJ-ZA D-XF D-CGJ D-SJJ
D-RSJ D-RSJ-JC D-RSJ-SB D-RSJ-JY D-HBJ D-ZJJ D-ZJJ-GJJ D-ZRJ D-ZRJ-BDC D-JTJ D-JTJ-ZF D-JYJ D-WJW D-WJW-JK D-MZJ
D-YBJ D-YJJ D-SWJ D-YLJ D-WLJ D-SWU D-TYJ D-SWJU D-NYJ D-FGW D-SFJ D-XFJ D-SPJ D-GXJ D-HYJ D-TYU D-CL E-HRZLS
E-GWGD E-NYJT E-NYJT-RD E-NYJT-RQ E-GHRQ E-GJJT E-DTJT E-YD E-LT E-DX""".split()
EARLIER_TEMPLATES = ("CGJ", "ZJJ", "SJJ", "RSJ", "JTJ", "WJJ", "HBJ", "GAJ")
DISTRICTS = ("370202", "370203", "370211", "370212", "370213", "370214", "370215", "370281", "370283", "370285")

# (name as the issue lists it, code, kind): every municipal unit a caller names and found nothing for
GOVERNMENT = [
    ("市财政局", "D-CZJ", "department"), ("市统计局", "D-TJJ", "department"), ("市审计局", "D-SJU", "department"),
    ("市科学技术局", "D-KJJ", "department"), ("市政府国资委", "D-GZW", "department"),
    ("市民族宗教事务局", "D-MZZJ", "department"), ("市政府外事办公室", "D-WSB", "department"),
    ("市人民防空办公室", "D-RFB", "department"), ("市大数据发展管理局", "D-DSJ", "department"),
    ("市粮食和物资储备局", "D-LSJ", "department"), ("市地方金融监督管理局", "D-JRJ", "department"),
    ("市机关事务管理局", "D-JGSW", "department"), ("市政府口岸办公室", "D-KAB", "department"),
    ("市民营经济发展局", "D-MYJ", "department"), ("市政务服务和公共资源交易中心", "D-ZWFW", "sub_unit"),
    ("市政府办公厅", "D-BGT", "department"),
    ("市委组织部", "O-SW-ZZB", "organ"), ("市委宣传部", "O-SW-XCB", "organ"), ("市委统战部", "O-SW-TZB", "organ"),
    ("市委政法委", "O-SW-ZFW", "organ"), ("市委网信办", "O-SW-WXB", "organ"), ("市委社会工作部", "O-SW-SGB", "organ"),
    ("青岛高新区", "Z-GXQ", "zone"), ("青岛蓝谷", "Z-LG", "zone"), ("青岛前湾保税港区", "Z-BSG", "zone"),
    ("中德生态园", "Z-ZDY", "zone"), ("上合示范区", "Z-SHH", "zone"),
    ("青岛海关", "C-HG", "central"), ("中国铁路济南局集团", "C-TL", "central"), ("青岛邮政", "C-YZ", "central"),
    ("青岛金融监管局", "C-JRJG", "central"), ("市税务局", "D-SWJU", "central"),
    ("青岛水务集团", "E-SWJT", "enterprise"), ("青岛有线电视", "E-YXDS", "enterprise"),
    ("青岛热电集团", "E-NYJT-RD", "enterprise"), ("中国电信青岛分公司", "E-DX", "enterprise"),
]

# departments whose sections the issue asks for, and sections that must be among them
SECTIONS = {
    "D-ZJJ": "物业管理处", "D-CGJ": "环境卫生管理处", "D-SJJ": "消费者权益保护处", "D-RSJ": "劳动关系处",
    "D-JYJ": "基础教育处", "D-WJW": "医政医管处", "D-JTJ": "城市客运处", "D-ZRJ": "国土空间规划处",
    "D-HBJ": "大气环境处", "D-MZJ": "社会救助处", "D-SWJ": "排水管理处", "D-YJJ": "危险化学品安全监督管理处",
}


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_codes_that_tickets_hang_on_are_all_still_there(directory):
    missing = [c for c in EARLIER_CODES if directory.get(c) is None]
    missing += [f"{d}-{s}" for d in DISTRICTS for s in EARLIER_TEMPLATES if directory.get(f"{d}-{s}") is None]
    assert not missing


@pytest.mark.parametrize("name, code, kind", GOVERNMENT)
def test_the_unit_is_there_found_by_its_name(directory, name, code, kind):
    unit = directory.get(code)
    assert unit is not None and unit.name == name and unit.kind == kind
    assert unit.level in ("city", "district") and directory.get(unit.parent) is not None
    assert directory.lookup(name, limit=1)[0].code == code


def test_tax_bureaus_at_every_level(directory):
    city = directory.get("D-SWJU")
    assert city.full_name == "国家税务总局青岛市税务局"
    for d in DISTRICTS:
        bureau = directory.get(f"{d}-SWJU")
        assert bureau.parent == "D-SWJU" and bureau.area == d and bureau.level == "district"
        assert bureau.kind == "central" and bureau.full_name.startswith("国家税务总局")
    assert directory.get("370203-SWJU").full_name == "国家税务总局青岛市市北区税务局"
    assert directory.get("370281-SWJU").full_name == "国家税务总局胶州市税务局"  # a county-level city
    assert directory.lookup("市北税务局")[0].code == "370203-SWJU"
    assert directory.lookup("税务局")[0].code == "D-SWJU"  # no place: the city bureau


def test_zones_lie_in_their_district(directory):
    for code in ("Z-GXQ", "Z-LG", "Z-BSG", "Z-ZDY", "Z-SHH", "Z-LK"):
        zone = directory.get(code)
        assert zone.level == "district" and directory.get(zone.area).kind == "district"
        assert zone.full_name.endswith(("管理委员会", "管理局"))


def test_the_party_departments_are_under_the_party_committee(directory):
    assert directory.path_text("O-SW-ZZB") == "青岛市 › 中共青岛市委 › 市委组织部"
    assert directory.get("O-SW-ZZB").card.contact == "12380"


def test_every_name_is_clean_and_full_names_are_official_forms(directory):
    for u in directory:
        assert u.name.strip() == u.name and not re.search(r"\s{2,}", u.name)
        if u.kind in ("department", "section", "central") and u.level == "city" and u.full_name:
            assert u.full_name.startswith(("青岛", "国家", "中华人民共和国", "中国")), u.code


@pytest.mark.parametrize("dept, section", SECTIONS.items())
def test_sections_of_the_busiest_departments(directory, dept, section):
    sections = [u for u in directory.children(dept) if u.kind == "section"]
    assert len(sections) >= 2 and section in {s.name for s in sections}
    for s in sections:
        assert s.card.duties, s.code  # each with its duties
        assert directory.path_text(s.code) == f"{directory.path_text(dept)} › {s.name}"  # shown under it
        assert s.full_name == directory.get(dept).full_name + s.name
        assert directory.dispatch_code(s.code) == dept  # requests go to the department


@pytest.mark.parametrize("query", ["人社局劳动关系处", "市人社局劳动关系处", "劳动关系处", "劳动关系",
                                   "人力资源和社会保障局劳动关系处", "renshejulaodongguanxichu", "rsjldgxc", "ldgxc"])
def test_a_section_is_found_by_its_name_and_its_departments(directory, query):
    m = directory.lookup(query, limit=3)[0]
    assert m.code == "D-RSJ-LDGX" and m.path == "青岛市 › 市人力资源和社会保障局 › 劳动关系处"
    assert m.dispatch == "D-RSJ" and m.good


def test_a_duty_keyword_finds_the_department_and_the_catalogue_names_the_section(directory):
    assert directory.lookup("拖欠工资")[0].code == "D-RSJ"
    entry = directory.catalogue.entry_for("拖欠工资")
    assert entry.unit == "D-RSJ" and entry.section == "D-RSJ-LDGX"
    assert directory.card(entry.section).duties.startswith("劳动合同")


def test_every_card_says_when_and_by_whom_it_was_last_updated(directory):
    for u in directory:
        if any(getattr(u.card, f) for f in CARD_FIELDS):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", u.card.updated) and u.card.updated_by, u.code


def test_time_limits_on_cards_cite_their_rule(directory):
    for u in directory:
        limit = u.card.time_limit
        if limit and "日" in limit and u.kind in ("section", "sub_unit", "department") and u.level == "city":
            assert "《" in limit or "工作日" in limit, (u.code, limit)
