"""``hotline store rebuild|check``: the event log is the truth; rebuild the projection from it."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("store", help="maintain the local store")
    ssub = p.add_subparsers(dest="store_command", metavar="SUBCOMMAND", required=True)
    rb = ssub.add_parser("rebuild", help="rebuild every ticket's state from the event log")
    rb.set_defaults(func=run_rebuild)
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
    info = {"integrity": result, "schema": current_version(desk.settings.store_path), "events": events, "tickets": tickets}
    print(json.dumps(info) if args.json else f"integrity {result} · schema {info['schema']} · {tickets} tickets · {events} events")
    if result != "ok":
        raise StoreError(f"the store {desk.settings.store_path} failed its integrity check: {result}")
    return 0
