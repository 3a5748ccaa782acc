"""The ten livelihood areas (十大民生领域): which area a request's category falls in (data/livelihood_areas.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import InputError
from hotline_tui.resources import data_dir

SEP = " › "
OTHER = "其他 (未归入十大领域)"


@dataclass(frozen=True)
class Area:
    name: str
    basis: str
    categories: tuple[tuple[str, ...], ...]  # category path prefixes, 1–3 levels


class Areas:
    """The areas in report order; ``of`` gives a category's area (longest listed prefix wins) or None."""

    def __init__(self, areas: list[Area]):
        self.areas = areas
        self._prefix: dict[tuple[str, ...], str] = {}
        for a in areas:
            for p in a.categories:
                if p in self._prefix:
                    raise InputError(f"livelihood areas: {SEP.join(p)!r} is listed under both "
                                     f"{self._prefix[p]!r} and {a.name!r}")
                self._prefix[p] = a.name
        self._cache: dict[str, str | None] = {}

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.areas]

    def of(self, category: str | tuple[str, ...] | list[str]) -> str | None:
        key = category if isinstance(category, str) else SEP.join(category)
        if key in self._cache:
            return self._cache[key]
        parts = tuple(key.split(SEP)) if key else ()
        found = None
        for n in range(len(parts), 0, -1):
            found = self._prefix.get(parts[:n])
            if found is not None:
                break
        self._cache[key] = found
        return found


def load_areas(path: Path | None = None) -> Areas:
    """The shipped table, or another file of the same form; a malformed one is an InputError naming it."""
    path = Path(path) if path is not None else data_dir() / "livelihood_areas.toml"
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"livelihood areas: cannot read {path.name}: {exc}") from None
    areas = []
    for i, raw in enumerate(doc.get("area", []), 1):
        name, cats = raw.get("name"), raw.get("categories")
        if not isinstance(name, str) or not name or not isinstance(cats, list) or not cats or not all(isinstance(c, str) and c for c in cats):
            raise InputError(f"livelihood areas: area {i} needs a name and a list of category paths")
        areas.append(Area(name, str(raw.get("basis", "")), tuple(tuple(c.split(SEP)) for c in cats)))
    if not areas:
        raise InputError(f"livelihood areas: {path.name} lists no [[area]]")
    return Areas(areas)
