"""``hotline hub init URL``, ``hotline hub enroll`` and ``hotline hub status``: set up a hub, enroll this desk.

A desk's code ([desk] code) is enrolled at its hub for this desk alone (sync/enroll.py); the first sync
does it too. The hub comes from ``--hub``, ``HOTLINE_HUB`` or the config's ``[sync] hub``; its password is
never printed.
"""

from __future__ import annotations

import json

HUB_HELP = "the hub: a SQLite file (sqlite:////shared/hub.sqlite) or postgresql://user@host:port/db"


def register(sub) -> None:
    h = sub.add_parser("hub", help="set up a hub; enroll this desk's code with it")
    hsub = h.add_subparsers(dest="hub_command", metavar="SUBCOMMAND", required=True)
    init = hsub.add_parser("init", help="create (or upgrade) a hub's tables; prints its id")
    init.add_argument("url", metavar="URL")
    init.set_defaults(func=run_hub_init)

    enroll = hsub.add_parser("enroll", help="enroll this desk's code with the hub (refused when another desk holds it)")
    enroll.add_argument("--hub", metavar="URL", help=HUB_HELP)
    enroll.add_argument("--reclaim", action="store_true",
                        help="take this desk's code back from the store it had before (this desk's store was set up again)")
    enroll.add_argument("--new-id", action="store_true",
                        help="enroll as a new desk id (this store was copied from another desk's)")
    enroll.add_argument("--json", action="store_true", help="print JSON")
    enroll.set_defaults(func=run_hub_enroll)

    status = hsub.add_parser("status", help="this desk's id and code, and whether the hub has it enrolled")
    status.add_argument("--hub", metavar="URL", help=HUB_HELP)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(func=run_hub_status)


def run_hub_init(args) -> int:
    from hotline_tui.sync.hub import open_hub

    hub = open_hub(args.url)
    try:
        hub_id, created = hub.init()
    finally:
        hub.close()
    print(f"{'created' if created else 'up to date:'} hub {hub.display} (id {hub_id})")
    return 0


def _day(ms: int | None) -> str:
    from hotline_tui.sync.enroll import day

    return "?" if ms is None else day(ms)


def run_hub_enroll(args) -> int:
    from hotline_tui.services import Desk

    desk = Desk.open(args.db)
    done = desk.enroll_desk(args.hub, reclaim=args.reclaim, new_id=args.new_id)
    if args.json:
        print(json.dumps(done, ensure_ascii=False))
    elif done["new"]:
        print(f"enrolled desk {done['code']} (desk id {done['desk_id']}) at the hub {done['hub']}")
    else:
        print(f"desk {done['code']} (desk id {done['desk_id']}) is enrolled at the hub {done['hub']}"
              f" since {_day(done['since_ms'])}: nothing to do")
    return 0


def run_hub_status(args) -> int:
    from hotline_tui.services import Desk

    desk = Desk.open(args.db)
    st = desk.desk_status(args.hub)
    if args.json:
        print(json.dumps(st, ensure_ascii=False))
        return 0
    head = f"desk {st['code']} · desk id {st['desk_id']}"
    if st["hub"] is None:
        print(f"{head} · no hub (sync off)")
    elif st["error"]:
        last = st["last_enrolled"]
        known = f"; last enrolled here as {last['code']} on {_day(last['since_ms'])}" if last else "; never enrolled here"
        print(f"{head} · the hub cannot be asked: {st['error']}{known}")
        return 6
    elif st["enrolled"]:
        print(f"{head} · enrolled at the hub {st['hub']} since {_day(st['since_ms'])}")
    elif st["held_by_other"]:
        print(f"{head} · NOT enrolled: the hub {st['hub']} gave {st['code']} to another desk on {_day(st['since_ms'])};"
              " set another code in [desk] code")
    else:
        print(f"{head} · not enrolled at the hub {st['hub']} yet (`hotline hub enroll` or the first sync does it)")
    if st["codes"] and st["codes"] != [st["code"]]:
        print(f"codes this desk holds at the hub: {', '.join(st['codes'])}")
    return 0
