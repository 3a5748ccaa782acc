"""``hotline import csv FILE [--dry-run] [--encoding E]``: historical tickets from a city's old system, all or
nothing (the format: README, "Exchange: Open311 and CSV import"; a sample: data/samples/tickets.csv)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("import", help="import tickets: hotline import csv old-tickets.csv",
                       description="Imports from other systems.")
    kinds = p.add_subparsers(dest="kind", metavar="KIND")
    p.set_defaults(func=lambda args: p.print_help() or 2)
    c = kinds.add_parser("csv", help="historical tickets in the documented CSV format, all or nothing",
                         description="Historical tickets keep their numbers and dates; any error and nothing is written.")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--dry-run", action="store_true", help="check everything and write nothing")
    c.add_argument("--encoding", metavar="E", help="the file's encoding (default: UTF-8, else GB18030/GBK, detected)")
    c.set_defaults(func=run)


def run(args) -> int:
    from hotline_tui.exchange.csv_import import ImportRefused
    from hotline_tui.exchange.when import shown
    from hotline_tui.commands.session import open_desk

    desk = open_desk(args)
    try:
        r = desk.import_csv(args.file, encoding=args.encoding, dry_run=args.dry_run)
    except ImportRefused as exc:
        for line, message in exc.result.errors:
            print(f"hotline: {exc.result.file} line {line}: {message}", file=sys.stderr)
        print(f"hotline: read as {exc.result.encoding}", file=sys.stderr)
        raise
    span = f", registered {shown(r.first_ms)[:10]} … {shown(r.last_ms)[:10]}" if r.first_ms is not None else ""
    verb = "would import" if r.dry_run else "imported"
    print(f"{r.file} (read as {r.encoding}): {verb} {r.tickets:,} tickets, {r.events:,} events{span}"
          f" in {r.seconds:.1f} s" + (" — dry run, nothing written" if r.dry_run else ""))
    return 0
