"""Build the shipped request taxonomy: data/categories.json from data/categories.toml (pinyin computed here).

    .venv/bin/python scripts/build_categories.py

Needs pypinyin (a dev dependency); the desk only reads the JSON and never imports pypinyin.
Checks the source first: three levels, unique paths, handler rules of a known form, keywords as text.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline_tui.routing.taxonomy import FORMAT  # noqa: E402

HANDLER = re.compile(r"^(street|d:[A-Z]{2,6}|[A-Z0-9][A-Za-z0-9_-]{0,39})$")


def pinyin_pair(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of the Chinese in ``text``; Latin letters and digits kept as they are."""
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: list(s))
    ini = [p[0] for p in full if p]
    clean = lambda parts: re.sub(r"[^a-z0-9]", "", "".join(parts).lower())  # noqa: E731
    return clean(full), clean(ini)


def check(doc: dict) -> list[dict]:
    cats = doc.get("category")
    if not isinstance(cats, list) or not cats:
        raise SystemExit("categories.toml: no [[category]]")
    seen: set[tuple[str, ...]] = set()
    for i, c in enumerate(cats, 1):
        path = c.get("path")
        if not (isinstance(path, list) and len(path) == 3 and all(isinstance(p, str) and p.strip() for p in path)):
            raise SystemExit(f"category {i}: path must be three non-empty levels")
        if tuple(path) in seen:
            raise SystemExit(f"category {i}: duplicate path {' › '.join(path)}")
        seen.add(tuple(path))
        if not HANDLER.match(str(c.get("handler", ""))):
            raise SystemExit(f"category {i} ({path[2]}): bad handler {c.get('handler')!r}")
        kws = c.get("keywords", [])
        if not isinstance(kws, list) or not all(isinstance(k, str) and k.strip() for k in kws):
            raise SystemExit(f"category {i} ({path[2]}): keywords must be a list of text")
        if len(set(kws)) != len(kws):
            raise SystemExit(f"category {i} ({path[2]}): a keyword is listed twice")
    return cats


def build(doc: dict) -> dict:
    out = []
    for c in check(doc):
        names = [pinyin_pair(p) for p in c["path"]]
        kws = [k.strip() for k in c.get("keywords", [])]
        kw_py = [pinyin_pair(k) for k in kws]
        out.append({
            "path": c["path"], "handler": c["handler"], "weight": float(c.get("weight", 1)), "keywords": kws,
            "py": [p for p, _ in names], "ini": [i for _, i in names],
            "kw_py": [p for p, _ in kw_py], "kw_ini": [i for _, i in kw_py],
        })
    return {"format": FORMAT, "source": "data/categories.toml (written for this project)",
            "district_departments": doc.get("district_departments", {}), "categories": out}


def main() -> int:
    src = ROOT / "data" / "categories.toml"
    with src.open("rb") as fh:
        doc = tomllib.load(fh)
    built = build(doc)
    dst = ROOT / "data" / "categories.json"
    dst.write_text(json.dumps(built, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {dst.relative_to(ROOT)}: {len(built['categories'])} categories, {dst.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
