"""``hotline lookup`` and ``hotline directory`` through hotline_tui.cli.main, isolated in tmp_path."""

import io
import json

import pytest

from hotline_tui.cli import main


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_DB", str(tmp_path / "desk.sqlite"))
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path


def test_lookup_json(capsys):
    assert main(["lookup", "shibei台东", "--json", "--limit", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["code"] == "370203021"
    assert set(rows[0]) >= {"code", "name", "path", "kind", "score", "reason"}


def test_lookup_table(capsys):
    assert main(["lookup", "tdjd"]) == 0
    out = capsys.readouterr().out
    assert "台东街道" in out and "青岛市 › 市北区 › 台东街道" in out and "首字母" in out


def test_lookup_batch_one_line_per_query(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("城管\n\n\x1b[2J\n占道经营\n"))
    assert main(["lookup", "--batch", "--json", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert json.loads(lines[0])[0]["code"] == "D-CGJ"
    assert json.loads(lines[1]) == [] and json.loads(lines[2]) == []
    assert json.loads(lines[3])[0]["reason"] == "职责「占道经营」"


@pytest.mark.parametrize("argv, message", [
    (["lookup", ""], "empty"),
    (["lookup", "\x1b[31m台东"], "control characters"),
    (["lookup", "台" * 300], "longer than"),
    (["lookup", "台东", "--limit", "0"], "--limit"),
    (["lookup"], "give a QUERY"),
])
def test_bad_lookup_input_is_one_line(capsys, argv, message):
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.startswith("hotline: ") and message in err and err.count("\n") == 1


def test_directory_show(capsys):
    assert main(["directory", "show", "D-CGJ"]) == 0
    out = capsys.readouterr().out
    assert "市城市管理局" in out and "占道经营" in out
    assert main(["directory", "show", "370203021", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == "青岛市 › 市北区 › 台东街道"
    assert main(["directory", "show", "NOPE"]) == 5


def test_import_then_lookup_then_export(isolated, capsys):
    src = isolated / "units.csv"
    src.write_text("code,name,kind,level,parent\nC1,某市,city,city,\nS1,长安街道,street,street,C1\n", encoding="utf-8")
    assert main(["directory", "import", str(src), "--no-catalogue"]) == 0
    assert (isolated / "desk.sqlite.directory.json").is_file()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("imported 2 units into ")
    # against the shipped directory the store used before: two units added, the rest removed
    assert out[1].startswith("added 2, renamed 0, moved 0, removed ") and "dispatch catalogue: 0 entries" in out[-1]
    src.write_text("code,name,kind,level,parent\nC1,某市,city,city,\nS1,长安路街道,street,street,C1\n", encoding="utf-8")
    assert main(["directory", "import", str(src), "--no-catalogue"]) == 0
    out = capsys.readouterr().out
    assert "added 0, renamed 1, moved 0, removed 0" in out and "S1 长安街道 → 长安路街道" in out
    src.write_text("code,name,kind,level,parent\nC1,某市,city,city,\nS1,长安街道,street,street,C1\n", encoding="utf-8")
    assert main(["directory", "import", str(src), "--no-catalogue"]) == 0
    capsys.readouterr()
    assert main(["lookup", "changan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == "S1"
    assert main(["directory", "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[2].startswith("S1,长安街道,street")


def test_bad_import_is_one_line_and_changes_nothing(isolated, capsys):
    src = isolated / "bad.csv"
    src.write_text("code,name,kind,level,parent\nC1,某市,city,city,\nC1,又一个,city,city,\n", encoding="utf-8")
    assert main(["directory", "import", str(src)]) == 2
    err = capsys.readouterr().err
    assert "line 3: duplicate code C1" in err
    assert not (isolated / "desk.sqlite.directory.json").exists()


def test_lookup_says_when_nothing_matches_well(capsys):
    assert main(["lookup", "上海浦东"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "no unit matches '上海浦东' well; the closest only look or sound alike"
    assert all(line.endswith("(相近)") for line in out[1:])
    assert main(["lookup", "上海浦东", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and not any(r["good"] for r in rows)


def test_lookup_offers_the_catalogue_route_when_nothing_matches_well(capsys):
    assert main(["lookup", "楼下烧烤店油烟太大"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("no unit matches '楼下烧烤店油烟太大' well; the dispatch catalogue routes it")
    assert out[1].startswith("D-CGJ") and "派单目录「油烟」" in out[1]
    assert main(["lookup", "楼下烧烤店油烟太大", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert (first["code"], first["route"], first["reason"]) == ("D-CGJ", True, "派单目录「油烟」")


def test_a_good_match_is_said_plainly(capsys):
    assert main(["lookup", "人社局劳动关系处", "--json", "--limit", "1"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["code"], row["good"], row["dispatch"]) == ("D-RSJ-LDGX", True, "D-RSJ") and "route" not in row
    assert main(["lookup", "人社局劳动关系处"]) == 0
    assert not capsys.readouterr().out.startswith("no unit")


def test_directory_show_says_who_updated_the_card_and_where_a_section_dispatches(capsys):
    assert main(["directory", "show", "D-RSJ-LDGX"]) == 0
    out = capsys.readouterr().out
    assert "路径  青岛市 › 市人力资源和社会保障局 › 劳动关系处" in out
    assert "更新  2026-12-02 · 目录维护（据公开资料整理）" in out and "派单至  市人力资源和社会保障局 (D-RSJ)" in out
