"""Read the shipped sources (NBS divisions CSV + hand-written departments TOML) into unit records.

A record is a plain dict in the import format (see data/directory/README.md); validate.py checks it and
build.py turns a list of records into the prebuilt index document.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from hotline_tui.directory.names import everyday_name

CITY_CODE = "3702"
# The city calls the NBS 黄岛区 by its new-area name.
RENAMED_DISTRICTS = {"370211": ("西海岸新区", ("西海岸", "青岛西海岸新区"), ("黄岛区", "黄岛"))}
NBS_LEVEL = {"city": ("city", "city"), "district": ("district", "district"),
             "street": ("street", "street"), "village": ("community", "community")}


def division_records(csv_path: Path) -> list[dict]:
    """City, districts, streets and communities from the NBS divisions file (codes kept)."""
    records: list[dict] = []
    district_of: dict[str, str] = {}
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kind, level = NBS_LEVEL[row["level"]]
            code, registered = row["code"], row["name"]
            parent = row["parent_code"] if kind != "city" else None
            name, short, old = everyday_name(registered), [], []
            full = registered if registered != name else ""
            if code in RENAMED_DISTRICTS:
                name, s, o = RENAMED_DISTRICTS[code]
                short, old, full = list(s), list(o), ""
            if kind == "district":
                district_of[code] = code
            elif kind in ("street", "community"):
                district_of[code] = district_of.get(parent, "")
            records.append({
                "code": code, "name": name, "full_name": full,
                "kind": kind, "level": level, "parent": parent, "short_names": short, "old_names": old,
                "duties": [], "area": district_of.get(code) or None, "card": {},
            })
    return records


def department_records(toml_path: Path, districts: list[dict]) -> tuple[list[dict], dict]:
    """Hand-written units plus each district's generated departments; also the per-level cards."""
    with toml_path.open("rb") as fh:
        raw = tomllib.load(fh)
    records: list[dict] = []
    by_code: dict[str, dict] = {}
    for u in raw.get("unit", []):
        parent = u.get("parent", CITY_CODE)
        rec = {
            "code": u["code"], "name": u["name"], "full_name": u.get("full_name", ""),
            "kind": u["kind"], "level": "city", "parent": parent,
            "short_names": list(u.get("short", [])), "old_names": list(u.get("old", [])),
            "duties": list(u.get("duties", [])), "area": None, "card": dict(u.get("card", {})),
        }
        records.append(rec)
        by_code[rec["code"]] = rec
    for t in raw.get("district_template", []):
        of = by_code[t["of"]]
        for d in districts:
            core = d["name"][:-1] if d["name"].endswith(("区", "市")) else d["name"]
            if d["name"] == "西海岸新区":
                core = "西海岸"
            pattern = t.get("name_county", t["name"]) if d["name"].endswith("市") else t["name"]
            name = pattern.format(d=d["name"], c=core)  # county-level cities: 胶州市公安局
            old = list(t.get("old", []))
            for o in d["old_names"][:1]:  # 黄岛区城市管理局 is what people still say
                old.append(t["name"].format(d=o, c=o.rstrip("区")))
            records.append({
                "code": f"{d['code']}-{t['suffix']}", "name": name, "full_name": "",
                "kind": "department", "level": "district", "parent": t.get("parent", d["code"]),
                "short_names": list(t.get("short", [])), "old_names": old,
                "duties": list(of["duties"]), "area": d["code"],
                "card": {k: v for k, v in of["card"].items() if k != "contact"},
            })
    return records, raw.get("level_card", {})


def shipped_records(source_dir: Path) -> tuple[list[dict], dict]:
    divisions = division_records(source_dir / "divisions_nbs_2023.csv")
    districts = [r for r in divisions if r["kind"] == "district"]
    departments, level_cards = department_records(source_dir / "departments.toml", districts)
    return divisions + departments, level_cards
