"""``hotline report monthly YYYY-MM`` and ``hotline report publish YYYY-MM``: the monthly ranking (月通报).

``monthly`` prints the published report of the month when there is one (``published: true``), else computes it
now; ``--recompute`` shows what recomputing a published month would change, row by row. ``publish`` stores the
report as an event that syncs to every desk; publishing a published month again prints the stored one and writes
nothing, unless ``--recompute --yes``, which republishes what is computed now."""

from __future__ import annotations

import json
import sys

from hotline_tui.commands.output import check_writable, emit
from hotline_tui.errors import InputError

FORMATS = ("md", "csv", "xlsx", "json")


def register(reports) -> None:
    p = reports.add_parser("monthly", help="the monthly ranking of districts and units: hotline report monthly 2026-11",
                           description="The monthly ranking (月通报): the published one when the month is published.")
    _common(p)
    p.add_argument("--recompute", action="store_true",
                   help="compute the month now and show what would change against the published report")
    p.set_defaults(func=run_monthly)
    q = reports.add_parser("publish", help="publish the month's ranking (supervisors): hotline report publish 2026-11",
                           description="Store the month's report as an event every desk receives by sync.")
    _common(q)
    q.add_argument("--recompute", action="store_true", help="recompute a published month and show the changes")
    q.add_argument("--yes", action="store_true", help="with --recompute: republish without asking")
    q.set_defaults(func=run_publish)


def _common(p) -> None:
    p.add_argument("month", help="YYYY-MM, e.g. 2026-11")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv, xlsx or json")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout (xlsx needs it on a terminal)")


def _desk(args):
    from hotline_tui.commands.session import open_desk

    return open_desk(args)


def check_out(args) -> None:
    """Refuse an output that cannot be written before anything is computed or stored."""
    if args.format == "xlsx" and not args.out and sys.stdout.isatty():
        raise InputError("xlsx is a binary file: give --out FILE.xlsx")
    if args.out:
        check_writable(args.out)


def rendered(report: dict, fmt: str) -> str | bytes:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        from hotline_tui.reports.render_csv import render_csv

        return render_csv(report)
    if fmt == "xlsx":
        from hotline_tui.reports.render_xlsx import render_xlsx

        return render_xlsx(report)
    from hotline_tui.reports.render_md import render_md

    return render_md(report)


def changes_text(result: dict) -> str:
    """The row-by-row changes as lines (for md and csv); json prints the result as it is."""
    if not result["published"]:
        return f"{result['month']} 未发布: 没有可比较的已发布月报\n"
    if not result["changes"]:
        return f"{result['month']} 重新计算与已发布月报一致, 无变化\n"
    from hotline_tui.reports.columns import HEAD

    lines = [f"{result['month']} 重新计算将改变 {len(result['changes'])} 项:"]
    for c in result["changes"]:
        lines.append(f"  [{c['table']}] {c['name'] or c['key']} {HEAD.get(c['field'], c['field'])}: "
                     f"{_value(c['published'])} → {_value(c['now'])}")
    return "\n".join(lines) + "\n"


def _value(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def run_monthly(args) -> int:
    check_out(args)
    desk = _desk(args)
    if args.recompute:
        result = desk.report_changes(args.month)
        emit(json.dumps(result, ensure_ascii=False, indent=1) + "\n" if args.format == "json" else changes_text(result),
             args.out)
        return 0
    emit(rendered(desk.monthly_report(args.month), args.format), args.out)
    return 0


def run_publish(args) -> int:
    check_out(args)
    desk = _desk(args)
    why = desk.may_publish_reports()
    if why:
        from hotline_tui.errors import DomainError

        raise DomainError(why)
    if args.recompute and not args.yes:
        result = desk.report_changes(args.month)
        if not result["published"]:
            raise InputError(f"{result['month']} is not published yet: publish it without --recompute")
        sys.stderr.write(changes_text(result))
        if not result["changes"]:
            return 0
        if not sys.stdin.isatty():
            raise InputError("add --yes to republish with these changes; nothing was written")
        sys.stderr.write("重新发布? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
            raise InputError("not republished; nothing was written")
    result = desk.publish_report(args.month, recompute=args.recompute)
    report = result["report"]
    notes = {"published": f"published {report['month']}",
             "republished": f"republished {report['month']} ({len(result['changes'])} changes)",
             "unchanged": f"{report['month']} unchanged by recomputing: nothing written",
             "already": f"{report['month']} was already published: the stored report, nothing written"
                        " (--recompute shows what would change)"}
    print(f"hotline: {notes[result['status']]}", file=sys.stderr)
    emit(rendered(report, args.format), args.out)
    return 0
