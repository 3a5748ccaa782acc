"""The dispatch catalogue (派单目录): which unit handles a matter in this city, found by its duty keywords.

A city edits it as a TOML file (data/directory/catalogue.toml; format in data/directory/README.md). Each
entry names a matter, the keywords that point to it in a request, the unit that handles it, whether the
place's own unit takes it when the place is known (``local``: "d:CGJ" the district's 城市管理局, "street"
the place's street), the section whose duty card explains it, and why. At build or import time the
keywords become the units' duty keys (so the lookup finds 占道经营 → 市城市管理局); the entries travel in
the index document, and routing and the lookup's "no good match" route read them through ``Catalogue``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.directory.names import has_control
from hotline_tui.errors import InputError

LOCAL_RE = re.compile(r"^(|street|d:[A-Z]{2,6})$")
FIELDS = ("matter", "keywords", "unit", "local", "section", "category", "why")
MIN_KEYWORD = 2
MAX_TEXT = 400


@dataclass(frozen=True)
class Entry:
    matter: str
    keywords: tuple[str, ...]  # the matter itself first
    unit: str
    local: str = ""
    section: str = ""
    category: str = ""
    why: str = ""

    def as_dict(self) -> dict:
        return {"matter": self.matter, "keywords": list(self.keywords), "unit": self.unit, "local": self.local,
                "section": self.section, "category": self.category, "why": self.why}


def read_catalogue(path: Path) -> list[dict]:
    """The raw [[matter]] tables of a catalogue file; an unreadable file is an InputError naming it."""
    try:
        with Path(path).open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"catalogue {path} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"catalogue {path} cannot be read: {exc}") from None
    items = raw.get("matter", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(f"catalogue {path}: [[matter]] must be tables")
    return items


def check_entries(items: list[dict], units: dict[str, dict]) -> tuple[list[Entry], list[str]]:
    """Entries whose every field is well formed and whose unit is in ``units`` (code → record), and one line
    for each entry left out (or kept without a section that is not the unit's). Malformed entries raise
    InputError listing every problem."""
    errors, entries, dropped = [], [], []
    owner: dict[str, str] = {}
    for n, item in enumerate(items, 1):
        at = f"matter {n}"
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            errors.append(f"{at}: unknown field {', '.join(unknown)}")
        matter = item.get("matter")
        if not isinstance(matter, str) or not matter.strip():
            errors.append(f"{at}: matter is empty")
            continue
        at = f"matter {n} ({matter})"
        keywords = item.get("keywords", [])
        texts = {k: item.get(k, "") for k in ("unit", "local", "section", "category", "why")}
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            errors.append(f"{at}: keywords must be a list of text")
            continue
        if not all(isinstance(v, str) for v in texts.values()):
            errors.append(f"{at}: unit, local, section, category and why are text")
            continue
        words = list(dict.fromkeys(k.strip() for k in [matter, *keywords] if k.strip()))
        for w in words + list(texts.values()):
            if has_control(w) or len(w) > MAX_TEXT:
                errors.append(f"{at}: {w[:20]!r} has control characters or is too long")
        for w in words:
            if len(w) < MIN_KEYWORD:
                errors.append(f"{at}: keyword {w!r} is shorter than {MIN_KEYWORD} characters")
            elif w.lower() in owner:
                errors.append(f"{at}: keyword {w} is already {owner[w.lower()]}'s")
            else:
                owner[w.lower()] = at
        if not texts["unit"]:
            errors.append(f"{at}: no unit")
        if not LOCAL_RE.match(texts["local"]):
            errors.append(f"{at}: local {texts['local']!r} must be empty, \"street\" or \"d:SUFFIX\"")
        if errors:
            continue
        if texts["unit"] not in units:
            dropped.append(f"{at}: unit {texts['unit']} is not in the directory")
            continue
        section = texts["section"]
        if section and (units.get(section, {}).get("kind") != "section" or units[section].get("parent") != texts["unit"]):
            dropped.append(f"{at}: section {section} is not a section of {texts['unit']} (kept without it)")
            section = ""
        entries.append(Entry(matter.strip(), tuple(words), texts["unit"], texts["local"], section,
                             texts["category"].strip(), texts["why"].strip()))
    if errors:
        shown = "; ".join(errors[:8]) + (f" (and {len(errors) - 8} more)" if len(errors) > 8 else "")
        raise InputError(f"catalogue not applied, nothing changed: {shown}")
    return entries, dropped


def apply_entries(records: list[dict], entries: list[Entry]) -> None:
    """Give each entry's keywords to its unit as duty keys, and to the district copies its ``local`` names."""
    by_code = {r["code"]: r for r in records}
    districts = [r["code"] for r in records if r["kind"] == "district"]
    for e in entries:
        targets = [e.unit]
        if e.local.startswith("d:"):
            targets += [f"{d}-{e.local[2:]}" for d in districts if f"{d}-{e.local[2:]}" in by_code]
        for code in targets:
            duties = by_code[code].setdefault("duties", [])
            duties += [k for k in e.keywords if k not in duties]


class Catalogue:
    """Keyword → entries, longest keywords first. Built from the index document's entries and, for units
    the entries do not cover (an imported directory's own duty column), from the units' duty keywords."""

    def __init__(self, directory, entries: list[Entry]):
        self.directory = directory
        self.entries = entries
        table: dict[str, list[Entry]] = {}
        for e in entries:
            for k in e.keywords:
                table.setdefault(k.lower(), []).append(e)
        for u in directory:  # duty keys the entries do not cover: the unit handles it, or its district's copy
            for k in u.duties:
                key = k.strip().lower()
                if len(key) >= MIN_KEYWORD and not any(e.unit == u.code or e.local for e in table.get(key, ())):
                    table.setdefault(key, []).append(Entry(k, (k,), u.code))
        self.keywords = sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))

    @classmethod
    def from_document(cls, directory, items: list[dict] | None) -> Catalogue:
        entries = [Entry(i["matter"], tuple(i["keywords"]), i["unit"], i.get("local", ""), i.get("section", ""),
                         i.get("category", ""), i.get("why", "")) for i in items or ()]
        return cls(directory, [e for e in entries if directory.get(e.unit) is not None])

    def resolve(self, entry: Entry, district: str | None, street: str | None) -> str:
        """The unit that takes the entry's matter at this place."""
        if entry.local.startswith("d:") and district:
            code = f"{district}-{entry.local[2:]}"
            if self.directory.get(code) is not None:
                return code
        if entry.local == "street" and (street or district):
            return street or district
        return entry.unit

    def find(self, text: str, district: str | None = None, street: str | None = None) -> dict[str, list[str]]:
        """unit code → the keywords found in normalized ``text`` for it (longest first). A keyword inside a
        longer one already found does not count again; of units sharing a keyword, the one serving the
        place's district wins, then the city unit."""
        out: dict[str, list[str]] = {}
        covered: list[str] = []
        get = self.directory.get
        for k, entries in self.keywords:
            if k not in text or any(k in longer for longer in covered):
                continue
            covered.append(k)
            codes = list(dict.fromkeys(self.resolve(e, district, street) for e in entries))
            own = [c for c in codes if district and (u := get(c)) is not None and u.area == district]
            city = [c for c in codes if (u := get(c)) is not None and u.area is None]
            for code in own or city or codes[:1]:
                out.setdefault(code, []).append(k)
        return out

    def entry_for(self, keyword: str) -> Entry | None:
        for k, entries in self.keywords:
            if k == keyword.lower():
                return entries[0]
        return None
