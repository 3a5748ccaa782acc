"""``hotline export open311 [--since DATETIME] [--out FILE]``: the store as Open311 GeoReport v2 JSON, with no
personal data (what goes out and why: hotline_tui/exchange/open311.py)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("export", help="standard exports: hotline export open311 --out requests.json",
                       description="Exports in standard formats.")
    formats = p.add_subparsers(dest="format", metavar="FORMAT")
    p.set_defaults(func=lambda args: p.print_help() or 2)
    o = formats.add_parser("open311", help="Open311 GeoReport v2 JSON of the services (categories) and requests",
                           description="Open311 GeoReport v2 JSON: {services, service_requests}. No phone, name,"
                                       " description or typed address goes out.")
    o.add_argument("--since", metavar="DATETIME",
                   help="only requests changed at or after this (2026-11-01, 2026-11-01 08:00, or ISO 8601 with an offset)")
    o.add_argument("--out", metavar="FILE", help="write to FILE (whole or not at all) instead of standard output")
    o.set_defaults(func=run)


def run(args) -> int:
    from hotline_tui.commands.session import open_desk

    desk = open_desk(args)
    if args.out:
        from hotline_tui.exchange.outfile import atomic_text

        with atomic_text(args.out) as fh:
            counts = desk.export_open311(fh, since=args.since)
        print(f"open311: {counts['requests']:,} requests, {counts['services']:,} services → {args.out}", file=sys.stderr)
        return 0
    desk.export_open311(sys.stdout, since=args.since)
    sys.stdout.flush()
    return 0
