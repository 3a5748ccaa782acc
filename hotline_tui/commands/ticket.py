"""``hotline ticket new|show|act|list|reveal``: the scripting interface to tickets."""

from __future__ import annotations

import json
import sys

from hotline_tui.errors import InputError

MAX_JSON_BYTES = 64 * 1024


def register(sub) -> None:
    p = sub.add_parser("ticket", help="register, show, act on and list tickets")
    tsub = p.add_subparsers(dest="ticket_command", metavar="SUBCOMMAND", required=True)

    new = tsub.add_parser("new", help="register one ticket read as JSON on stdin; prints its number")
    new.add_argument("--actor", help="who registers it (default: the desk's operator)")
    new.set_defaults(func=run_new)

    show = tsub.add_parser("show", help="a ticket's state and timeline")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)

    act = tsub.add_parser("act", help="perform an action: hotline ticket act NUMBER [NUMBER ...] ACTION [--OPTION VALUE ...]"
                                      " or hotline ticket act --filter FILTER ACTION ...")
    act.add_argument("targets", nargs="+", metavar="NUMBER... ACTION", help="one or more ticket numbers, then the action")
    act.add_argument("--filter", metavar="FILTER", help="act on every ticket the filter matches (as hotline query)")
    act.add_argument("--yes", action="store_true", help="act on several tickets without asking")
    act.add_argument("--actor", help="who did it, as the timeline shows (default: the desk's operator)")
    act.set_defaults(func=run_act, accepts_extra=True)

    rv = tsub.add_parser("reveal", help="show a caller's full number (or name) for a stated reason; the reveal is audited")
    rv.add_argument("number")
    rv.add_argument("--reason", required=True, help="why the full number is needed (kept in the audit log)")
    rv.add_argument("--field", choices=("phone", "name"), default="phone", help="what to reveal (default: phone)")
    rv.add_argument("--json", action="store_true")
    rv.set_defaults(func=run_reveal)

    lst = tsub.add_parser("list", help="newest tickets first")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--limit", type=int, default=20)
    lst.set_defaults(func=run_list)


def _desk(args):
    from hotline_tui.commands.session import open_desk

    return open_desk(args)


def read_json_stdin() -> object:
    raw = sys.stdin.buffer.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise InputError(f"the ticket JSON is larger than {MAX_JSON_BYTES // 1024} KiB")
    if not raw.strip():
        raise InputError("no ticket JSON on stdin")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the ticket JSON is not UTF-8 (byte {exc.start + 1})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the ticket JSON is malformed: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def run_new(args) -> int:
    data = read_json_stdin()
    number = _desk(args).register(data, actor=args.actor)
    print(number)
    return 0


def run_show(args) -> int:
    desk = _desk(args)
    view = desk.show(args.number)
    if args.json:
        print(json.dumps(view.to_json(), ensure_ascii=False))
    else:
        from hotline_tui.commands.render import print_ticket

        print_ticket(view, desk.unit_name)
    return 0


def parse_options(tokens: list[str]) -> dict[str, object]:
    """``--reason x --assist A --assist B`` -> {"reason": "x", "assist": ["A", "B"]}."""
    fields: dict[str, object] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--") or len(tok) < 3:
            raise InputError(f"expected an option like --reason, got {tok[:40]!r}")
        name, _, value = tok[2:].partition("=")
        name = name.replace("-", "_")
        if not _:
            if i + 1 >= len(tokens) or tokens[i + 1].startswith("--"):
                raise InputError(f"--{name} needs a value")
            value = tokens[i + 1]
            i += 1
        i += 1
        if name in fields:
            prev = fields[name]
            fields[name] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            fields[name] = value
    return fields


def run_act(args) -> int:
    fields = parse_options(args.extra)
    *numbers, action = args.targets
    desk = _desk(args)
    if args.filter is not None:
        if numbers:
            raise InputError("give ticket numbers or --filter, not both")
        numbers = desk.bulk_numbers(args.filter)
        if not numbers:
            raise InputError("the filter matches no ticket; nothing was written")
    elif not numbers:
        raise InputError("give the ticket number(s) before the action: hotline ticket act NUMBER ACTION")
    if len(numbers) == 1 and args.filter is None:
        events = desk.act(numbers[0], action, fields, actor=args.actor)
        for e in events:
            print(f"{e.ticket} {e.kind}")
        return 0
    from hotline_tui.commands.bulk import confirm_and_act

    return confirm_and_act(desk, numbers, action, fields, actor=args.actor, yes=args.yes)


def run_list(args) -> int:
    if not 1 <= args.limit <= 10_000:
        raise InputError("--limit must be between 1 and 10000")
    rows = _desk(args).list_tickets(limit=args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        from hotline_tui.commands.render import print_ticket_rows

        print_ticket_rows(rows)
    return 0


def run_reveal(args) -> int:
    shown = _desk(args).reveal(args.number, args.reason, field=args.field)
    if args.json:
        print(json.dumps(shown, ensure_ascii=False))
    else:
        print(f"{shown['number']} {shown['value']}")
    return 0
