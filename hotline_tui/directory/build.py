"""Turn validated unit records into the prebuilt index document (pinyin included). Build time only."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hotline_tui.directory.names import core_name, section_core

# order fixed: the index stores the position. "path": a section named with its department (人社局劳动关系处)
SOURCES = ("name", "core", "full", "short", "old", "duty", "path")

FORMAT = "hotline-directory/1"


def _prefixes(rec: dict, by_code: dict[str, dict]) -> tuple[str, ...]:
    """What a name may start with that people leave out: 市, 青岛市, the district's name."""
    if rec.get("kind") in ("city", "district", "street", "community"):
        return ()
    out = ["青岛市", "市"]
    area = rec.get("area")
    if area and area in by_code:
        d = by_code[area]["name"]
        out += [d, core_name(d)]
    return tuple(out)


def unit_keys(rec: dict, by_code: dict[str, dict], pinyin) -> list[list]:
    """[[text, source, [full pinyin variants], [initials variants]], …] for one record; name first."""
    texts: list[tuple[str, str]] = [(rec["name"], "name")]
    core = core_name(rec["name"], _prefixes(rec, by_code))
    if core != rec["name"]:
        texts.append((core, "core"))
    if rec.get("full_name"):
        texts.append((rec["full_name"], "full"))
    texts += [(s, "short") for s in rec.get("short_names") or []]
    texts += [(s, "old") for s in rec.get("old_names") or []]
    for s in list(rec.get("old_names") or []):  # 黄岛区 → 黄岛
        c = core_name(s)
        if c != s:
            texts.append((c, "old"))
    texts += [(s, "duty") for s in rec.get("duties") or []]
    if rec.get("kind") == "section":
        texts += _section_texts(rec, by_code)
    keys, seen = [], set()
    for text, source in texts:
        if (text, source) in seen or not text:
            continue
        seen.add((text, source))
        full, initials = pinyin(text)
        if source == "path":  # long keys with many polyphones: their default reading is what is typed
            full, initials = full[:1], initials[:1]
        keys.append([text, source, full, initials if source != "duty" else initials[:1]])
    return keys


def _section_texts(rec: dict, by_code: dict[str, dict]) -> list[tuple[str, str]]:
    """A section by its core (劳动关系) and under its department's names (人社局劳动关系处, 市人社局劳动关系): its
    core name and short names; the department's full name with the section's is the section's full name."""
    own = list(dict.fromkeys([rec["name"], section_core(rec["name"])]))
    out = [(own[1], "core")] if len(own) > 1 else []
    dept = by_code.get(rec.get("parent") or "")
    if dept is None:
        return out
    heads = [core_name(dept["name"], _prefixes(dept, by_code)), *(dept.get("short_names") or [])]
    for head in dict.fromkeys(heads):
        out += [(head + s, "path") for s in own]
    return out


def build_document(records: list[dict], level_cards: dict | None = None, source: str = "",
                   catalogue: list[dict] | None = None) -> dict:
    from hotline_tui.directory.pinyin_keys import char_readings, common_chars, pinyin_variants

    by_code = {r["code"]: r for r in records}
    cache: dict[str, tuple[list[str], list[str]]] = {}

    def pinyin(text: str):
        if text not in cache:
            cache[text] = pinyin_variants(text)
        return cache[text]

    units = []
    chars: set[str] = set(common_chars())
    zh: list[tuple[str, int, int]] = []  # (text, unit, source)
    latin: list[tuple[str, int, str, int, int]] = []  # (text, unit, type, source, index of its zh key)
    for ui, r in enumerate(records):
        units.append({
            "code": r["code"], "name": r["name"], "full_name": r.get("full_name") or "",
            "kind": r["kind"], "level": r["level"], "parent": r.get("parent") or None,
            "short_names": list(r.get("short_names") or []), "old_names": list(r.get("old_names") or []),
            "duties": list(r.get("duties") or []), "area": r.get("area") or None,
            "card": {k: v for k, v in (r.get("card") or {}).items() if v},
        })
        chars.update(r["name"])
        for text, key_source, full, initials in unit_keys(r, by_code, pinyin):
            src = SOURCES.index(key_source)
            label = len(zh)
            zh.append((text, ui, src))
            for typ, variants in (("1", full), ("2", initials)):
                for n, v in enumerate(variants):  # types 1/2: default reading, 3/4: other readings
                    latin.append((v, ui, typ if n == 0 else str(int(typ) + 2), src, label))
    latin.sort()
    index = {"text": [t for t, *_ in zh] + [t for t, *_ in latin],
             "unit": [u for _, u, _ in zh] + [u for _, u, *_ in latin],
             "type": "0" * len(zh) + "".join(typ for _, _, typ, _, _ in latin),
             "src": "".join(str(src) for *_, src in zh) + "".join(str(src) for _, _, _, src, _ in latin),
             "label": [lab for *_, lab in latin], "latin_start": len(zh)}
    return {"format": FORMAT, "source": source, "level_cards": level_cards or {},
            "chars": char_readings(sorted(chars)), "units": units, "index": index, "catalogue": catalogue or []}


def write_document(doc: dict, path: Path) -> None:
    """Write atomically: a temp file in the same folder, then os.replace."""
    import tempfile
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
