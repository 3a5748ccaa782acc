"""Read the shipped sources (NBS divisions CSV + hand-written TOML files) into unit records.

A record is a plain dict in the import format (see data/directory/README.md); validate.py checks it,
catalogue.py adds the dispatch catalogue's keywords, and build.py turns the records into the prebuilt
index document.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from hotline_tui.directory.names import everyday_name

CITY_CODE = "3702"
# The city calls the NBS 黄岛区 by its new-area name (青岛西海岸新区 and 黄岛区 are one set of organs, which
# also carried the 青岛经济技术开发区 plate).
RENAMED_DISTRICTS = {"370211": ("西海岸新区", ("西海岸", "青岛西海岸新区"), ("黄岛区", "黄岛", "青岛经济技术开发区"))}
NBS_LEVEL = {"city": ("city", "city"), "district": ("district", "district"),
             "street": ("street", "street"), "village": ("community", "community")}
# The hand-written files, in this order (a unit's parent may be in an earlier or a later file).
UNIT_FILES = ("departments.toml", "organs.toml", "zones.toml", "central.toml", "utilities.toml", "sections.toml")


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
                "code": code, "name": name, "full_name": full, "registered": registered,
                "kind": kind, "level": level, "parent": parent, "short_names": short, "old_names": old,
                "duties": [], "area": district_of.get(code) or None, "card": {},
            })
    return records


def _card(raw: dict, meta: dict) -> dict:
    """A unit's card with the file's ``[card_meta]`` (updated, updated_by) when it says nothing of its own."""
    card = dict(raw)
    if any(card.get(f) for f in ("duties", "workflow", "materials", "time_limit", "contact")):
        for k in ("updated", "updated_by"):
            if not card.get(k) and meta.get(k):
                card[k] = meta[k]
    return card


def unit_record(u: dict, meta: dict) -> dict:
    """One hand-written [[unit]] as a record."""
    return {
        "code": u["code"], "name": u["name"], "full_name": u.get("full_name", ""),
        "kind": u["kind"], "level": u.get("level", "city"), "parent": u.get("parent", CITY_CODE),
        "short_names": list(u.get("short", [])), "old_names": list(u.get("old", [])),
        "duties": list(u.get("duties", [])), "area": u.get("area"), "card": _card(u.get("card", {}), meta),
    }


def template_records(t: dict, of: dict, districts: list[dict], meta: dict) -> list[dict]:
    """One department per district from a [[district_template]]: {d} the district's name (市北区), {c} its
    core (市北), {r} its registered NBS name (黄岛区); ``name_county`` / ``full_name_county`` for the
    county-level cities (胶州市公安局, 国家税务总局胶州市税务局)."""
    out = []
    for d in districts:
        core = d["name"][:-1] if d["name"].endswith(("区", "市")) else d["name"]
        if d["name"] == "西海岸新区":
            core = "西海岸"
        county = d["name"].endswith("市")
        fill = dict(d=d["name"], c=core, r=d.get("registered") or d["name"])
        name = (t.get("name_county", t["name"]) if county else t["name"]).format(**fill)
        full_pattern = t.get("full_name_county", t.get("full_name", "")) if county else t.get("full_name", "")
        old = list(t.get("old", []))
        for o in d["old_names"][:1]:  # 黄岛区城市管理局 is what people still say
            o_name = t["name"].format(d=o, c=o.rstrip("区"), r=o)
            if o_name != name:
                old.append(o_name)
        card = t.get("card")
        if card is None:  # the city unit's card, without its contact (a district's own is not known)
            card = {k: v for k, v in of["card"].items() if k != "contact"}
        out.append({
            "code": f"{d['code']}-{t['suffix']}", "name": name, "full_name": full_pattern.format(**fill),
            "kind": t.get("kind", "department"), "level": "district", "parent": t.get("parent", d["code"]),
            "short_names": list(t.get("short", [])), "old_names": old,
            "duties": list(t.get("duties", [])), "area": d["code"], "card": _card(card, meta),
        })
    return out


def department_records(source_dir: Path, districts: list[dict]) -> tuple[list[dict], dict]:
    """Hand-written units of every file, then each district's generated departments; the per-level cards."""
    raws = []
    for name in UNIT_FILES:
        path = source_dir / name
        if path.is_file():
            with path.open("rb") as fh:
                raws.append(tomllib.load(fh))
    records: list[dict] = []
    by_code: dict[str, dict] = {}
    level_cards: dict = {}
    for raw in raws:
        meta = raw.get("card_meta", {})
        for u in raw.get("unit", []):
            rec = unit_record(u, meta)
            records.append(rec)
            by_code[rec["code"]] = rec
        level_cards.update(raw.get("level_card", {}))
    for rec in records:  # 劳动关系处 is 青岛市人力资源和社会保障局劳动关系处
        parent = by_code.get(rec["parent"] or "")
        if rec["kind"] == "section" and not rec["full_name"] and parent is not None:
            rec["full_name"] = (parent["full_name"] or parent["name"]) + rec["name"]
    for raw in raws:
        meta = raw.get("card_meta", {})
        for t in raw.get("district_template", []):
            records += template_records(t, by_code[t["of"]], districts, meta)
    return records, level_cards


def shipped_records(source_dir: Path) -> tuple[list[dict], dict]:
    divisions = division_records(source_dir / "divisions_nbs_2023.csv")
    districts = [r for r in divisions if r["kind"] == "district"]
    departments, level_cards = department_records(source_dir, districts)
    for r in divisions:
        del r["registered"]
    return divisions + departments, level_cards
