"""Where the directory lives and how it is read: the shipped index, or a store's imported one."""

from __future__ import annotations

import json
from pathlib import Path

import hotline_tui
from hotline_tui.directory.build import FORMAT
from hotline_tui.directory.directory import Directory
from hotline_tui.directory.model import DutyCard, Unit
from hotline_tui.errors import InputError, NotFound

INDEX_FILE = "units.json"
CATALOGUE_FILE = "catalogue.toml"  # the dispatch catalogue (派单目录) beside it
STORE_SUFFIX = ".directory.json"


def shipped_dir() -> Path:
    """data/directory in an installed wheel (hotline_tui/data) or in a source checkout."""
    package = Path(hotline_tui.__file__).resolve().parent
    installed = package / "data" / "directory"
    if (installed / INDEX_FILE).is_file():
        return installed
    return package.parent / "data" / "directory"


def store_directory_path(store_path: Path) -> Path:
    """An imported official directory lives beside the store: <store>.directory.json."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + STORE_SUFFIX)


def load_directory(path: Path | None = None) -> Directory:
    """Load a prebuilt index document (None = the shipped one). No pinyin is computed here."""
    path = Path(path) if path is not None else shipped_dir() / INDEX_FILE
    try:
        with path.open("rb") as fh:
            doc = json.loads(fh.read())
    except FileNotFoundError:
        raise NotFound(f"directory file {path} does not exist") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"directory file {path} cannot be read: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"directory file {path} is not a {FORMAT} index (rebuild or re-import it)")
    return from_document(doc)


def load_directory_for_store(store_path: Path) -> Directory:
    imported = store_directory_path(Path(store_path))
    return load_directory(imported if imported.is_file() else None)


def from_document(doc: dict) -> Directory:
    units: list[Unit] = []
    for u in doc["units"]:
        units.append(Unit(
            code=u["code"], name=u["name"], kind=u["kind"], level=u["level"], parent=u.get("parent"),
            full_name=u.get("full_name", ""), short_names=tuple(u.get("short_names", ())),
            old_names=tuple(u.get("old_names", ())), duties=tuple(u.get("duties", ())),
            area=u.get("area"), card=DutyCard(**u.get("card", {})),
        ))
    return Directory(units, doc["index"], doc.get("chars", {}), doc.get("level_cards"), doc.get("source", ""),
                     doc.get("catalogue"))
