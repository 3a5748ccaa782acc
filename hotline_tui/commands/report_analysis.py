"""``hotline report analysis YYYY-MM``: the month's analysis (决策参考) as Markdown, JSON or xlsx."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hotline_tui.commands.output import check_writable, emit
from hotline_tui.errors import InputError

FORMATS = ("md", "json", "xlsx")


def register(reports) -> None:
    p = reports.add_parser("analysis", help="the month's analysis (决策参考): hotline report analysis 2026-11",
                           description="Top categories and keywords by district and industry, rising topics, repeated "
                                       "hot spots, the ten livelihood areas and twelve months of volume and rates.")
    p.add_argument("month", metavar="YYYY-MM", help="the month, e.g. 2026-11")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="md (default), json or xlsx (xlsx needs --out); by default taken from --out's suffix")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    p.set_defaults(func=run)


def _format(args) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    return suffix if suffix in FORMATS else "md"


def run(args) -> int:
    from hotline_tui.reports.analysis_month import parse_month

    fmt = _format(args)
    parse_month(args.month)  # a malformed month is refused before the store is opened
    out = Path(args.out) if args.out else None
    if fmt == "xlsx" and out is None:
        raise InputError("xlsx is a file: give --out FILE.xlsx")
    if out is not None:
        check_writable(out)
    from hotline_tui.commands.session import open_desk

    result = open_desk(args).analysis(args.month)
    if fmt == "json":
        data = (json.dumps(result, ensure_ascii=False, indent=1) + "\n").encode()
    elif fmt == "xlsx":
        from hotline_tui.reports.analysis_xlsx import workbook_bytes

        data = workbook_bytes(result)
    else:
        from hotline_tui.reports.analysis_md import markdown

        data = markdown(result).encode()
    emit(data, out)
    if out is None:
        return 0
    print(f"{out}: {fmt}, {result['month']}, {result['tickets']:,} 件", file=sys.stderr)
    return 0
