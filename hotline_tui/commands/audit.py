"""``hotline audit [--since DATE] [--user NAME] [--json]``: sign-ins and failures, sign-outs, user changes,
reveals of callers, shifts, bulk actions and escalations, oldest first (supervisors and admins)."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("audit", help="who signed in, changed users, revealed callers, acted in bulk, escalated")
    p.add_argument("--since", metavar="DATE", help="from this date or date-time (China's time), e.g. 2026-11-01")
    p.add_argument("--user", dest="audit_user", metavar="NAME", help="only what NAME did or what was done to NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _detail_text(detail: dict) -> str:
    from hotline_tui.auth.names import shown

    parts = []
    for k, v in detail.items():
        value = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        parts.append(f"{k}={shown(value, 60)}")
    return " ".join(parts)


def run(args) -> int:
    from hotline_tui.auth.names import shown
    from hotline_tui.commands.session import open_desk
    from hotline_tui.domain.policy import format_local

    desk = open_desk(args)
    rows = desk.audit(since=args.since, user=args.audit_user)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("nothing in the audit" + (f" since {args.since}" if args.since else "") + (f" for {args.audit_user}" if args.audit_user else ""),
              file=sys.stderr)
    for r in rows:
        print(f"{format_local(r['at_ms'], '%Y-%m-%d %H:%M:%S')}  {r['kind']:<15} {r['desk']:<6} {shown(r['actor'], 24):<16}"
              f" {shown(r['subject'], 40):<24} {_detail_text(r['detail'])}")
    return 0
