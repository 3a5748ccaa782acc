"""Import and export of a directory file (CSV or JSON; the format is in data/directory/README.md).

Import validates everything first (the units, then the dispatch catalogue applied to them), computes
pinyin (pypinyin is imported only here, through build.py), writes the store's directory file atomically,
and reports what changed against the directory used before; a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hotline_tui.directory.build import build_document, write_document
from hotline_tui.directory.catalogue import apply_entries, check_entries, read_catalogue
from hotline_tui.directory.changes import ImportReport, compare, stamp_cards
from hotline_tui.directory.directory import Directory
from hotline_tui.directory.model import CARD_FIELDS, CARD_META
from hotline_tui.directory.validate import validate_records
from hotline_tui.errors import InputError, NotFound

LIST_FIELDS = ("short_names", "old_names", "duties")
CARD_COLUMNS = CARD_FIELDS + CARD_META
CSV_COLUMNS = ("code", "name", "kind", "level", "parent", "full_name", *LIST_FIELDS, "area",
               *(f"card_{f}" for f in CARD_COLUMNS))
LIST_SEP = "|"
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_records(path: Path) -> tuple[list[dict], list[str]]:
    """Records and where each came from ("line 7" / "item 3"); JSON if the file looks like JSON, else CSV."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a directory file") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"{path} is empty: nothing imported")
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in "[{":
        return _from_json(text, path)
    return _from_csv(text, path)


def _from_json(text: str, path: Path) -> tuple[list[dict], list[str]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    items = doc.get("units") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a list of units or an object with \"units\"")
    records, where = [], []
    for i, item in enumerate(items, 1):
        at = f"item {i}"
        if not isinstance(item, dict):
            raise InputError(f"directory not imported, nothing changed: {at}: a unit must be an object")
        rec = {k: item.get(k) for k in ("code", "name", "kind", "level", "parent", "full_name", "area")}
        for k in LIST_FIELDS:
            v = item.get(k) or []
            if isinstance(v, str):
                v = [s for s in v.split(LIST_SEP) if s.strip()]
            if not isinstance(v, list):
                raise InputError(f"directory not imported, nothing changed: {at}: {k} must be a list of text")
            rec[k] = [s.strip() if isinstance(s, str) else s for s in v]
        card = item.get("card") or {}
        if not isinstance(card, dict):
            raise InputError(f"directory not imported, nothing changed: {at}: card must be an object")
        rec["card"] = card
        records.append(_tidy(rec))
        where.append(at)
    return records, where


def _from_csv(text: str, path: Path) -> tuple[list[dict], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{path} is empty: nothing imported") from None
    except csv.Error as exc:
        raise InputError(f"{path} line 1: {exc}") from None
    missing = [c for c in ("code", "name", "kind", "level", "parent") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        raise InputError(f"{path} line 1: header needs {', '.join(missing) or '-'}; unknown columns "
                         f"{', '.join(unknown) or '-'} (columns: {','.join(CSV_COLUMNS)})")
    records, where = [], []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(f"directory not imported, nothing changed: line {line}: "
                                 f"{len(row)} fields, the header has {len(header)}")
            cells = dict(zip(header, row))
            rec = {k: cells.get(k, "").strip() or None for k in ("code", "name", "kind", "level", "parent",
                                                                  "full_name", "area")}
            for k in LIST_FIELDS:
                rec[k] = [s.strip() for s in cells.get(k, "").split(LIST_SEP) if s.strip()]
            rec["card"] = {f: cells[f"card_{f}"].strip() for f in CARD_COLUMNS if cells.get(f"card_{f}", "").strip()}
            records.append(_tidy(rec))
            where.append(f"line {line}")
    except csv.Error as exc:
        raise InputError(f"directory not imported, nothing changed: line {reader.line_num}: {exc}") from None
    return records, where


def _tidy(rec: dict) -> dict:
    for k in ("code", "name", "kind", "level", "parent", "full_name", "area"):
        v = rec.get(k)
        if isinstance(v, str):
            v = v.strip()
        rec[k] = v if v not in ("", None) else (None if k in ("parent", "area") else "")
    return rec


def import_directory(source: Path, target: Path, catalogue: Path | None | bool = None, by: str = "",
                     today=None) -> ImportReport:
    """Validate ``source``, apply the dispatch catalogue (None: the shipped one; a path: that file; False:
    none) to the units it names, and write the index to ``target``. Returns what changed against the
    directory used before (``target`` when it exists, else the shipped one). Cards the file changed without
    a date are stamped with today and ``by`` (default: the file's name)."""
    from hotline_tui.directory.storage import CATALOGUE_FILE, load_directory, shipped_dir

    source, target = Path(source), Path(target)
    records, where = read_records(source)
    validate_records(records, where)
    entries, dropped = [], []
    if catalogue is not False:
        items = read_catalogue(shipped_dir() / CATALOGUE_FILE if catalogue in (None, True) else Path(catalogue))
        entries, dropped = check_entries(items, {r["code"]: r for r in records})
        apply_entries(records, entries)
    previous = _previous(target, load_directory)
    report = compare(previous, records)
    report.catalogue, report.catalogue_dropped = len(entries), dropped
    stamp_cards(previous, records, by or f"导入 {source.name}", today)
    doc = build_document(records, _shipped_level_cards(), source=f"imported from {source.name}",
                         catalogue=[e.as_dict() for e in entries])
    write_document(doc, target)
    return report


def _previous(target: Path, load) -> Directory | None:
    """The directory a store used before this import: its imported one, else the shipped one."""
    try:
        return load(target if target.is_file() else None)
    except (InputError, NotFound):
        return None


def _shipped_level_cards() -> dict:
    """Generic per-level duty cards travel with the shipped directory; an import keeps them."""
    from hotline_tui.directory.storage import INDEX_FILE, shipped_dir

    try:
        return json.loads((shipped_dir() / INDEX_FILE).read_bytes()).get("level_cards", {})
    except (OSError, ValueError):
        return {}


def unit_record(directory: Directory, code: str) -> dict:
    u = directory.get(code)
    return {"code": u.code, "name": u.name, "kind": u.kind, "level": u.level, "parent": u.parent,
            "full_name": u.full_name, "short_names": list(u.short_names), "old_names": list(u.old_names),
            "duties": list(u.duties), "area": u.area,
            "card": {f: getattr(u.card, f) for f in CARD_COLUMNS if getattr(u.card, f)}}


def export_json(directory: Directory) -> str:
    units = [unit_record(directory, u.code) for u in directory]
    return json.dumps({"units": units}, ensure_ascii=False, indent=1) + "\n"


def export_csv(directory: Directory) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for u in directory:
        r = unit_record(directory, u.code)
        w.writerow([r["code"], r["name"], r["kind"], r["level"], r["parent"] or "", r["full_name"],
                    *(LIST_SEP.join(r[k]) for k in LIST_FIELDS), r["area"] or "",
                    *(r["card"].get(f, "") for f in CARD_COLUMNS)])
    return out.getvalue()
