"""``hotline sync [--hub URL]``: sync on demand with a hub (``hotline hub ...``: commands/hub.py).

A lone desk has no hub: sync is off and everything else works. The hub comes from ``--hub``,
``HOTLINE_HUB`` or the config's ``[sync] hub``; its password is never printed.
"""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("sync", help="push this desk's new events to the hub and pull everyone else's")
    p.add_argument("--hub", metavar="URL", help="the hub: a SQLite file (sqlite:////shared/hub.sqlite) or postgresql://user@host:port/db")
    p.add_argument("--status", action="store_true", help="only show the hub, the last sync and how many events wait to be pushed")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--page", type=int, default=None, metavar="N", help="events per page both ways (default 5000 pulled, 20000 pushed)")
    p.add_argument("-v", "--verbose", action="store_true", help="a line per page on stderr")
    p.set_defaults(func=run_sync)


def run_sync(args) -> int:
    from hotline_tui.errors import InputError
    from hotline_tui.commands.session import open_desk

    desk = open_desk(args)
    url = args.hub or desk.settings.hub
    if args.status:
        from hotline_tui.sync.engine import sync_status

        status = sync_status(desk.store, url)
        if args.json:
            print(json.dumps(status, ensure_ascii=False))
        else:
            last = "never" if status["last_sync_ms"] is None else _when(status["last_sync_ms"])
            print(f"hub {status['hub'] or 'none (sync off)'} · last sync {last} · {status['pending_push']} events to push")
        return 0
    if args.page is not None and not 1 <= args.page <= 100_000:
        raise InputError("--page must be between 1 and 100000")
    from hotline_tui.sync.engine import sync_with

    def progress(kind: str, n: int, cursor: int) -> None:
        print(f"{kind} {n} (cursor {cursor})", file=sys.stderr, flush=True)

    from hotline_tui.privacy.reseal import json_sealer

    report = sync_with(desk.store, url, page=args.page, now_ms=desk._now(), progress=progress if args.verbose else None,
                       desk=desk.settings.desk, by=desk.settings.operator, config=str(desk.settings.config_file),
                       seal=json_sealer(lambda: desk.sealer))
    warning = report.warning()
    if args.json:
        print(json.dumps({"hub": report.hub, "hub_id": report.hub_id, "sent": report.sent, "accepted": report.accepted,
                          "received": report.received, "applied": report.applied, "tickets_changed": len(report.tickets),
                          "started_over": report.started_over, "ms": round(report.ms, 1), "warning": warning},
                         ensure_ascii=False))
    else:
        print(report.line())
    if warning:
        print(f"hotline: {warning}", file=sys.stderr)
    return 0


def _when(ms: int) -> str:
    import datetime as dt

    from hotline_tui.domain.calendar import CHINA

    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%Y-%m-%d %H:%M")
