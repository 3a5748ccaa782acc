"""Category codes: the Open311 ``service_code`` of a category, and the code or path a CSV row names.

A category of the shipped taxonomy (data/categories.json) is coded by the pinyin initials of its levels joined
by ``-`` (城乡建设 › 市容环境 › 占道经营 → ``cxjs-srhj-zdjy``; its first two levels → ``cxjs-srhj``): short, readable
and the same on every desk, since they come from the taxonomy's names. A path the taxonomy does not hold (a
category typed by hand) gets ``x-`` and eight hex digits of a hash of its text, stable too."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from hotline_tui.routing.taxonomy import SEP, load_taxonomy, split_path


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[tuple[str, ...], str], dict[str, tuple[str, ...]]]:
    """({path (1-3 levels): code}, {code: path}) for every path of the taxonomy, in its order."""
    by_path: dict[tuple[str, ...], str] = {}
    by_code: dict[str, tuple[str, ...]] = {}
    for c in load_taxonomy().categories:
        for n in (1, 2, 3):
            path = c.path[:n]
            if path in by_path:
                continue
            code = "-".join(c.ini[:n])
            if code in by_code:  # two names with the same initials: the later one is told apart by a hash
                code = _hashed(path)
            by_path[path], by_code[code] = code, path
    return by_path, by_code


def _hashed(path) -> str:
    return "x-" + hashlib.blake2b(SEP.join(path).encode(), digest_size=4).hexdigest()


def code_of(path) -> str:
    """The code of a category path (a list, a tuple or "a › b › c"); "" for no category."""
    parts = tuple(split_path(path)) if isinstance(path, str) else tuple(path or ())
    if not parts:
        return ""
    return _tables()[0].get(parts) or _hashed(parts)


def taxonomy_paths() -> list[tuple[str, ...]]:
    """Every path of the taxonomy (levels 1, 2 and 3), in its order: Open311's services."""
    return list(_tables()[0])


def resolve(text: str) -> list[str] | None:
    """The taxonomy path a CSV cell names, by code (``cxjs-srhj-zdjy``) or by path (with › > / or | between
    levels); None when the taxonomy has no such category."""
    value = text.strip()
    by_path, by_code = _tables()
    path = by_code.get(value.lower())
    if path is not None:
        return list(path)
    parts = tuple(split_path(value))
    return list(parts) if parts in by_path else None
