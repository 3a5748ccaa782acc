"""``hotline store rebuild|check|seal``: the event log is the truth; rebuild the projection from it; seal callers
held in clear."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("store", help="maintain the local store")
    ssub = p.add_subparsers(dest="store_command", metavar="SUBCOMMAND", required=True)
    rb = ssub.add_parser("rebuild", help="rebuild every ticket's state from the event log")
    rb.set_defaults(func=run_rebuild)
    sl = ssub.add_parser("seal", help="seal callers' numbers and names held in clear (an older store, or a hub with --hub)")
    sl.add_argument("--hub", metavar="URL", help="seal the hub at URL instead of this desk's store")
    sl.add_argument("--batch", type=int, default=5000, metavar="N", help="events per transaction (default 5000)")
    sl.add_argument("--json", action="store_true")
    sl.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    sl.set_defaults(func=run_seal)
    ck = ssub.add_parser("check", help="SQLite integrity check and schema version")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=run_check)


def run_rebuild(args) -> int:
    from hotline_tui.commands.session import open_desk

    counts = open_desk(args).rebuild()
    print(f"rebuilt {counts['tickets']} tickets from {counts['events']} events")
    return 0


def run_check(args) -> int:
    from sqlalchemy import text

    from hotline_tui.errors import StoreError
    from hotline_tui.services import Desk
    from hotline_tui.store.migrate import current_version

    desk = Desk.open(args.db)  # a check of the file, not of tickets: no sign-in (a damaged store cannot take one)
    with desk.store.read() as conn:
        result = conn.execute(text("PRAGMA integrity_check")).scalar()
        events = conn.execute(text("SELECT count(*) FROM event")).scalar()
        tickets = conn.execute(text("SELECT count(*) FROM ticket")).scalar()
        # callers an older desk stored in clear (a sealed caller has its keyed hash): `hotline store seal`
        unsealed = conn.execute(text("SELECT count(*) FROM ticket WHERE caller_key = '' AND caller_phone != ''"
                                     " AND caller_phone NOT LIKE '%*%'")).scalar()
    info = {"integrity": result, "schema": current_version(desk.settings.store_path), "events": events, "tickets": tickets,
            "unsealed_callers": unsealed}
    print(json.dumps(info) if args.json else f"integrity {result} · schema {info['schema']} · {tickets} tickets · {events} events"
          + (f" · {unsealed} callers in clear: run `hotline store seal`" if unsealed else ""))
    if result != "ok":
        raise StoreError(f"the store {desk.settings.store_path} failed its integrity check: {result}")
    return 0


def run_seal(args) -> int:
    from hotline_tui.errors import InputError
    from hotline_tui.services import Desk

    if not 1 <= args.batch <= 100_000:
        raise InputError("--batch must be between 1 and 100000")
    desk = Desk.open(args.db)
    if args.hub:
        def hub_progress(seq: int, sealed: int) -> None:
            if not args.quiet:
                print(f"hub seq {seq}: {sealed} events sealed", file=sys.stderr, flush=True)

        done = desk.seal_hub(args.hub, batch=args.batch, progress=hub_progress)
        print(json.dumps(done, ensure_ascii=False) if args.json
              else f"sealed {done['events']} of {done['scanned']} events on the hub {done['hub']}")
        return 0

    def progress(seq: int, top: int, sealed: int) -> None:
        if not args.quiet:
            print(f"event {seq} of {top}: {sealed} sealed", file=sys.stderr, flush=True)

    done = desk.seal_store(batch=args.batch, progress=progress)
    print(json.dumps(done) if args.json
          else f"sealed {done['events']} events of {done['tickets']} tickets; the store was compacted")
    return 0
