"""``hotline report shifts [--year YYYY] [--json]``: the year's shadow shifts (接线体悟)."""

from __future__ import annotations

import json


def register(reports) -> None:
    p = reports.add_parser("shifts", help="the year's shadow shifts (接线体悟): hotline report shifts --year 2026",
                           description="Each shift: who, when, how long, calls heard and taken, commitments made and "
                                       "kept; the year's cadres against the city's reference figure.")
    p.add_argument("--year", metavar="YYYY", help="the year (default: this year)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def text_report(r: dict) -> str:
    from hotline_tui.domain.policy import format_local
    from hotline_tui.domain.text import printable

    t, ref = r["totals"], r["reference"]
    out = [f"{r['year']} 年接线体悟: {t['shifts']} 班次, {t['cadres']} 名干部, {t['minutes']} 分钟;"
           f" 来电 {t['heard']}, 我当接线员 {t['taken']}; 不解决找我 {t['commitments']} 件, 兑现 {t['kept']} 件"]
    if ref.get("cadres"):
        as_of = f" ({ref['as_of']})" if ref.get("as_of") else ""
        out.append(f"全市参照: 已有 {ref['cadres']} 名处级干部接线体悟{as_of}; 本库本年 {t['cadres']} 名"
                   f" (参照值的 {t['cadres'] / ref['cadres']:.1%})  来源: {ref['source']}")
    out.append("")
    out.append("开始              结束              分钟  干部 (单位) · 陪同 @ 台  来电 我接 承诺 兑现")
    for s in r["shifts"]:
        status = "" if s["status"] == "ended" else {"open": " 进行中", "expired": " 超时"}.get(s["status"], "")
        end = format_local(s["ended_ms"], "%Y-%m-%d %H:%M") if s["ended_ms"] else "…"
        out.append(f"{format_local(s['started_ms'], '%Y-%m-%d %H:%M')}  {end:16}  {s['minutes']:>4}  "
                   f"{printable(s['cadre'])} ({printable(s['unit'])}) · {printable(s['operator'])} @ {printable(s['desk'])}"
                   f"  {s['heard']} {s['taken']} {s['commitments']} {s['kept']}{status}")
    return "\n".join(out) + "\n"


def run(args) -> int:
    from hotline_tui.services import Desk

    desk = Desk.open(args.db)
    year = desk.shift_year(args.year)  # a bad year is refused before the store is read
    result = desk.shift_report(year)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else text_report(result), end="" if not args.json else "\n")
    return 0
