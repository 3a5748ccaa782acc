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
    card = dsub.add_parser("card", help="one unit's duty card as the desk shows it (the newest published one)")
    card.add_argument("code")
    card.add_argument("--json", action="store_true", help="print JSON")
    card.set_defaults(func=run_card)
    pub = dsub.add_parser("card-publish", help="publish your unit's duty card (a cadre of the unit, or a supervisor);"
                                               " fields not given keep the current card's text")
    pub.add_argument("code")
    for name, flag, label in CARD_OPTIONS:
        pub.add_argument(flag, dest=name, metavar="TEXT", help=label)
    pub.add_argument("--from-file", metavar="TOML", help="the fields from a TOML file (duties, workflow, materials,"
                                                         " time_limit, contact); options given win over it")
    pub.add_argument("--based-on", type=int, metavar="VERSION",
                     help="the card version your text was based on (refused if it has been updated since;"
                          " default: the current one)")
    pub.add_argument("--json", action="store_true", help="print the published card as JSON")
    pub.set_defaults(func=run_card_publish)


CARD_OPTIONS = (("duties", "--duties", "职责清单"), ("workflow", "--workflow", "工作流程"),
                ("materials", "--materials", "所需材料"), ("time_limit", "--time-limit", "办理时限"),
                ("contact", "--contact", "联系方式"))
MAX_CARD_FILE = 64 * 1024


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


def _desk(args):
    from hotline_tui.services import Desk

    return Desk.open(args.db)


def _print_card(card: dict) -> None:
    """The card as text a terminal shows and never obeys (each line made printable: text from a hub is shown)."""
    from hotline_tui.domain.text import printable

    def line(label: str, value: str) -> None:
        rows = [printable(r) for r in str(value).splitlines() if r.strip()] or ["—"]
        print(f"{label}  {rows[0]}")
        for r in rows[1:]:
            print(" " * (len(label) * 2 + 2) + r)

    print(f"{printable(card['name'])}  ({printable(card['code'])})")
    line("路径", card["path"])
    for name, _, label in CARD_OPTIONS:
        line(label, card.get(name) or "")
    if card.get("published"):
        line("版本", f"{card['version']} · 发布 {card.get('updated', '')} {card.get('updated_by', '')}")
    else:
        who = " · ".join(v for v in (card.get("updated"), card.get("updated_by")) if v)
        line("版本", "0 (目录自带" + (f", 更新 {who}" if who else "") + ")" + (" · 同级通用清单" if card.get("generic") else ""))


def run_card(args) -> int:
    from hotline_tui.errors import NotFound

    card = _desk(args).unit_card(args.code)
    if card is None:
        raise NotFound(f"no unit {args.code[:40]!r}: find it with `hotline lookup`")
    if args.json:
        print(json.dumps(card, ensure_ascii=False))
    else:
        _print_card(card)
    return 0


def _card_file(path: str) -> dict:
    import tomllib
    from pathlib import Path

    from hotline_tui.errors import InputError

    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"cannot read {path}: it is a folder")
        raw = p.open("rb").read(MAX_CARD_FILE + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CARD_FILE:
        raise InputError(f"{path} is larger than {MAX_CARD_FILE // 1024} KiB: a duty card is far smaller")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 (byte {exc.start + 1})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not valid TOML: {exc}") from None
    card = data.get("card", data)
    if not isinstance(card, dict):
        raise InputError(f"{path}: [card] must be a table of fields")
    return card


def run_card_publish(args) -> int:
    from hotline_tui.errors import NotFound

    desk = _desk(args)
    current = desk.unit_card(args.code)
    if current is None:
        raise NotFound(f"no unit {args.code[:40]!r}: find it with `hotline lookup`")
    given = _card_file(args.from_file) if args.from_file else {}
    for name, _, _ in CARD_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            given[name] = value
    if not given:
        from hotline_tui.errors import InputError

        raise InputError("nothing to publish: give --duties, --workflow, --materials, --time-limit, --contact"
                         " or --from-file")
    fields = {name: current.get(name) or "" for name, _, _ in CARD_OPTIONS}
    fields.update(given)  # unknown names from a file are refused by the check, named
    based_on = args.based_on if args.based_on is not None else current["version"]
    card = desk.publish_card(args.code, fields, based_on=based_on)
    if args.json:
        print(json.dumps(card, ensure_ascii=False))
    else:
        print(f"published version {card['version']} of {args.code}'s duty card")
    return 0
