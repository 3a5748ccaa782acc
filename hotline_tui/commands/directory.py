"""``hotline directory``: import an official unit directory for this store, export it, show one unit."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("directory", help="import, export or show the unit directory")
    dsub = p.add_subparsers(dest="directory_command", metavar="ACTION", required=True)
    imp = dsub.add_parser("import", help="replace or update this store's directory with a CSV or JSON file")
    imp.add_argument("file", help="CSV or JSON file (format: data/directory/README.md)")
    cat = imp.add_mutually_exclusive_group()
    cat.add_argument("--catalogue", metavar="TOML", help="the dispatch catalogue to apply (default: the shipped one)")
    cat.add_argument("--no-catalogue", action="store_true", help="apply no dispatch catalogue")
    imp.add_argument("--by", metavar="NAME", help="who updated the cards the file changes (default: the file's name)")
    imp.set_defaults(func=run_import)
    exp = dsub.add_parser("export", help="print the directory in the import format")
    exp.add_argument("--format", choices=("json", "csv"), default="json")
    exp.set_defaults(func=run_export)
    show = dsub.add_parser("show", help="one unit: path, names, duties and duty card")
    show.add_argument("code")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=run_show)


def _directory(args):
    from hotline_tui.config import load_settings
    from hotline_tui.directory import load_directory_for_store

    return load_directory_for_store(load_settings(args.db).store_path)


def run_import(args) -> int:
    from pathlib import Path

    from hotline_tui.config import load_settings
    from hotline_tui.directory import store_directory_path
    from hotline_tui.directory.exchange import import_directory

    target = store_directory_path(load_settings(args.db).store_path)
    catalogue = False if args.no_catalogue else (Path(args.catalogue) if args.catalogue else None)
    report = import_directory(Path(args.file), target, catalogue=catalogue, by=args.by or "")
    print(f"imported {report.units} units into {target}")
    for line in report.lines():
        print(line)
    return 0


def run_export(args) -> int:
    from hotline_tui.directory.exchange import export_csv, export_json

    d = _directory(args)
    sys.stdout.write(export_csv(d) if args.format == "csv" else export_json(d))
    return 0


def run_show(args) -> int:
    from hotline_tui.directory.exchange import unit_record
    from hotline_tui.directory.model import KIND_TEXT, LEVEL_TEXT
    from hotline_tui.errors import NotFound

    d = _directory(args)
    unit = d.get(args.code)
    if unit is None:
        raise NotFound(f"no unit {args.code!r}: find it with `hotline lookup`")
    card = d.card(unit.code)
    if args.json:
        rec = unit_record(d, unit.code)
        rec["path"] = d.path_text(unit.code)
        rec["card"] = {k: v for k, v in card.__dict__.items() if v}
        print(json.dumps(rec, ensure_ascii=False))
        return 0
    print(f"{unit.name}  ({unit.code})")
    print(f"路径  {d.path_text(unit.code)}")
    print(f"类别  {KIND_TEXT.get(unit.kind, unit.kind)} · {LEVEL_TEXT.get(unit.level, unit.level)}")
    for label, values in (("全称", [unit.full_name] if unit.full_name else []), ("简称", unit.short_names),
                          ("旧称", unit.old_names), ("派单目录", unit.duties)):
        if values:
            print(f"{label}  {'、'.join(values)}")
    for label, value in (("职责", card.duties), ("流程", card.workflow), ("材料", card.materials),
                         ("时限", card.time_limit), ("联系", card.contact),
                         ("更新", " · ".join(v for v in (card.updated, card.updated_by) if v))):
        if value:
            print(f"{label}  {value}")
    if d.dispatch_code(unit.code) != unit.code:
        print(f"派单至  {d.get(d.dispatch_code(unit.code)).name} ({d.dispatch_code(unit.code)})")
    kids = d.children(unit.code)
    if kids:
        shown = "、".join(k.name for k in kids[:12])
        print(f"下级  {len(kids)}: {shown}{' …' if len(kids) > 12 else ''}")
    return 0
