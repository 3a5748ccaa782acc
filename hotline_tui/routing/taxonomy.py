"""The request taxonomy as shipped in data/categories.json: categories, their keywords and handler rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hotline_tui.resources import data_dir

FORMAT = "hotline-categories/1"
SEP = " › "
SEPARATORS = (" › ", "›", " > ", ">", "/", "|")


@dataclass(frozen=True)
class Category:
    """One level-3 category. ``handler``: "street", "d:XXX" (a district department) or a unit code."""

    path: tuple[str, str, str]
    handler: str
    weight: float
    keywords: tuple[str, ...]
    py: tuple[str, str, str]  # full pinyin of each level
    ini: tuple[str, str, str]  # initials of each level
    kw_py: tuple[str, ...]
    kw_ini: tuple[str, ...]

    @property
    def label(self) -> str:
        return SEP.join(self.path)


class Taxonomy:
    """Read-only after load; categories keep the order of the source file."""

    def __init__(self, categories: list[Category], district_departments: dict[str, str]):
        self.categories = categories
        self.district_departments = dict(district_departments)
        self._by_path = {c.path: i for i, c in enumerate(categories)}

    def __len__(self) -> int:
        return len(self.categories)

    def get(self, path) -> Category | None:
        i = self._by_path.get(tuple(path)) if isinstance(path, (list, tuple)) else None
        return None if i is None else self.categories[i]

    def under(self, path) -> list[Category]:
        """The categories at or below a path of 1–3 levels (a list, or text like "a › b"); [] if none."""
        parts = split_path(path)
        if not parts:
            return []
        n = len(parts)
        return [c for c in self.categories if list(c.path[:n]) == parts]


def split_path(value) -> list[str]:
    """["a", "b"] from a list or from "a › b"; [] for anything else."""
    if isinstance(value, str):
        parts = [value]
        for sep in SEPARATORS:
            if sep in value:
                parts = value.split(sep)
                break
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        return []
    if not all(isinstance(p, str) for p in parts):
        return []
    parts = [p.strip() for p in parts if p.strip()]
    return parts if 0 < len(parts) <= 3 else []


def from_document(doc: dict) -> Taxonomy:
    cats = [Category(path=tuple(c["path"]), handler=c["handler"], weight=float(c["weight"]),
                     keywords=tuple(c["keywords"]), py=tuple(c["py"]), ini=tuple(c["ini"]),
                     kw_py=tuple(c["kw_py"]), kw_ini=tuple(c["kw_ini"]))
            for c in doc["categories"]]
    return Taxonomy(cats, doc.get("district_departments", {}))


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The shipped taxonomy (data/categories.json), or another built file."""
    path = Path(path) if path is not None else data_dir() / "categories.json"
    with path.open("rb") as fh:
        doc = json.loads(fh.read())
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file (rebuild it with scripts/build_categories.py)")
    return from_document(doc)
