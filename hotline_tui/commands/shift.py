"""``hotline shift start|end|list``: a visiting cadre's shadow shift (接线体悟) beside an operator."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("shift", help="a cadre's shadow shift (接线体悟): hotline shift start --operator 王芳",
                       description="Start, end and list shadow shifts. Starting and ending is for cadres (role cadre); "
                                   "a shift never ended counts as ended 12 hours after it started.")
    ssub = p.add_subparsers(dest="shift_command", metavar="SUBCOMMAND", required=True)
    start = ssub.add_parser("start", help="start a shift beside an operator")
    start.add_argument("--operator", required=True, metavar="NAME", help="the operator you sit beside")
    start.add_argument("--desk", metavar="CODE", help="their desk (default: this desk)")
    start.set_defaults(func=run_start)
    end = ssub.add_parser("end", help="end your open shift")
    end.set_defaults(func=run_end)
    lst = ssub.add_parser("list", help="shifts, newest first (a cadre sees their own)")
    lst.add_argument("--since", metavar="YYYY-MM-DD", help="only shifts started on or after that day")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)


def _desk(args):
    from hotline_tui.services import Desk

    return Desk.open(args.db)


def _when(ms: int | None) -> str:
    from hotline_tui.domain.policy import format_local

    return format_local(ms, "%Y-%m-%d %H:%M") if ms is not None else "—"


def _line(s: dict) -> str:
    from hotline_tui.domain.text import printable

    status = {"open": "进行中", "ended": "已结束", "expired": "超时结束"}.get(s["status"], s["status"])
    return (f"{_when(s['started_ms'])} → {_when(s['ended_ms']) if s['ended_ms'] else '…':16}  {s['minutes']:>4} 分钟  "
            f"{printable(s['cadre'])} ({printable(s['unit'])}) 陪同 {printable(s['operator'])} @ {printable(s['desk'])}  "
            f"{status}  来电 {s.get('heard', 0)} 我接 {s.get('taken', 0)}  {s['id']}")


def run_start(args) -> int:
    s = _desk(args).start_shift(args.operator, args.desk)
    print(f"体悟开始: {_line(s)}")
    return 0


def run_end(args) -> int:
    s = _desk(args).end_shift()
    print(f"体悟结束: {_line(s)}")
    return 0


def run_list(args) -> int:
    from hotline_tui.facade.shifts import parse_since

    if args.since is not None:
        parse_since(args.since)  # a bad date is refused before the store is opened
    rows = _desk(args).shift_list(args.since)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("没有体悟记录 (no shifts)")
    for s in rows:
        print(_line(s))
    return 0
