"""``hotline query FILTER``: the workbench's filter language on the command line, the same parser and query
as F5. ``--json`` prints {"total", "tickets", "next"}; ``--batch`` reads one filter per line."""

from __future__ import annotations

import json
import sys

from hotline_tui.errors import InputError

HIDDEN = ("cursor", "key")  # a row's keyset internals; the page's "next" is the cursor to use


def register(sub) -> None:
    p = sub.add_parser("query", help="tickets matching a filter, as on F5: hotline query 'overdue unit:市北区'",
                       description="Filter tickets as the workbench (F5) does. A filter that starts with - (a negation)"
                                   " goes after --: hotline query -- '-flag:urged open'.")
    p.add_argument("filter", nargs="*", help="the filter, e.g. overdue unit:市北区 channel:信访 repeat>=3")
    p.add_argument("--json", action="store_true", help='print {"total": N, "tickets": [...], "next": CURSOR}')
    p.add_argument("--limit", type=int, default=50, metavar="K", help="at most K tickets (default 50, at most 500)")
    p.add_argument("--after", metavar="CURSOR", help="the page after CURSOR (the \"next\" of the previous --json page)")
    p.add_argument("--sort", choices=("due", "age", "new", "repeats", "unit"), help="order (or sort: in the filter)")
    p.add_argument("--count", action="store_true", help="print only how many tickets match")
    p.add_argument("--explain", action="store_true", help="print how the filter was read, then the tickets")
    p.add_argument("--batch", action="store_true", help="one filter per line on stdin, one JSON line per filter")
    p.set_defaults(func=run)


def _desk(args):
    from hotline_tui.commands.session import open_desk

    return open_desk(args)


def run(args) -> int:
    if not 1 <= args.limit <= 500:
        raise InputError("--limit must be between 1 and 500")
    if args.batch:
        if args.filter or args.after:
            raise InputError("--batch reads filters from stdin; give no FILTER and no --after")
        return _batch(args)
    text = " ".join(args.filter)
    desk = _desk(args)
    if args.count:
        total = desk.query_count(text)
        print(json.dumps({"total": total}) if args.json else f"{total}")
        return 0
    result = _result(desk, text, args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if args.explain:
        print("筛选: " + (" · ".join(desk.explain_filter(text)) or "全部工单"))
    _table(result)
    return 0


def _result(desk, text: str, args) -> dict:
    page = desk.query_page(text, sort=args.sort, after=args.after, limit=args.limit)
    tickets = [{k: v for k, v in row.items() if k not in HIDDEN} for row in page["rows"]]
    return {"total": desk.query_count(text), "tickets": tickets, "next": page["next"]}


def _batch(args) -> int:
    """A filter that cannot be read gives {"error", "column"} on its line: the output keeps one line per filter."""
    from hotline_tui.errors import HotlineError
    from hotline_tui.query.syntax import QueryError

    desk = _desk(args)
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        try:
            if args.count:
                value: dict = {"total": desk.query_count(text)}
            else:
                value = _result(desk, text, args)
        except QueryError as exc:
            value = {"error": exc.message, "column": exc.pos + 1}
        except HotlineError as exc:
            value = {"error": str(exc)}
        out.write(json.dumps(value, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _table(result: dict) -> None:
    from rich.cells import cell_len, set_cell_size

    from hotline_tui.domain.policy import format_local
    from hotline_tui.domain.text import printable
    from hotline_tui.domain.vocabulary import FLAGS, NATURES, STATES, label

    def cell(value: str, width: int) -> str:
        value = printable(value)
        return set_cell_size(value, width) if cell_len(value) <= width else set_cell_size(value, width - 1) + "…"

    print(f"{result['total']:,} 件")
    for r in result["tickets"]:
        left = r.get("workdays_left")
        left_text = "" if left is None else (f"超{-left}" if left < 0 else f"剩{left}")
        unit = (r.get("unit_path") or "-").split(" › ")[-1]
        category = (r.get("category") or "").split(" › ")[-1]
        flags = " ".join(label(FLAGS, f) for f in r.get("flags", []))
        print("  ".join((cell(r["number"], 20), format_local(r["registered_ms"], "%m-%d %H:%M"),
                         cell(label(STATES, r["state"]), 6), cell(left_text, 5), cell(unit, 16),
                         cell(label(NATURES, r["nature"]), 4), cell(category, 10), cell(flags, 12),
                         cell(r.get("summary") or "", 30))).rstrip())
    if result.get("next"):
        print(f"… more: --after {result['next']}")
