"""``hotline user add|list|disable|enable|passwd|role``: the users of this store (admins only).

The first user of a store is an admin added without signing in (``hotline user add NAME --role admin``);
afterwards an admin signs in (``hotline --user ADMIN user ...``). A new password comes from
HOTLINE_NEW_PASSWORD or a prompt (asked twice). Users sync through the hub like every event.
"""

from __future__ import annotations

import json
import sys

from hotline_tui.domain.permissions import ROLES


def register(sub) -> None:
    p = sub.add_parser("user", help="add and manage the users who sign in (admins)")
    usub = p.add_subparsers(dest="user_command", metavar="SUBCOMMAND", required=True)

    add = usub.add_parser("add", help="add a user: NAME --role ROLE [--unit CODE] (password: HOTLINE_NEW_PASSWORD or a prompt)")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
    add.add_argument("--unit", help="the user's unit code (required for a cadre; `hotline lookup` finds it)")
    add.set_defaults(func=run_add)

    lst = usub.add_parser("list", help="every user with role, unit and whether disabled")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)

    for name, text in (("disable", "stop a user from signing in"), ("enable", "let a disabled user sign in again")):
        q = usub.add_parser(name, help=text)
        q.add_argument("name")
        q.set_defaults(func=run_switch, switch=name)

    pw = usub.add_parser("passwd", help="set a user's password (HOTLINE_NEW_PASSWORD or a prompt)")
    pw.add_argument("name")
    pw.set_defaults(func=run_passwd)

    role = usub.add_parser("role", help="change a user's role: NAME ROLE [--unit CODE]")
    role.add_argument("name")
    role.add_argument("role", help=f"one of {', '.join(ROLES)}")
    role.add_argument("--unit", help="the unit code (required for a cadre)")
    role.set_defaults(func=run_role)


def _new_password(name: str) -> str:
    import os

    from hotline_tui.commands.session import read_password
    from hotline_tui.errors import InputError

    if "HOTLINE_NEW_PASSWORD" in os.environ:
        return os.environ["HOTLINE_NEW_PASSWORD"]
    first = read_password("HOTLINE_NEW_PASSWORD", f"new password for {name[:32]}: ")
    again = read_password("HOTLINE_NEW_PASSWORD", "the same again: ")
    if first != again:
        raise InputError("the two passwords differ; nothing was written")
    return first


def _desk(args, *, first_allowed: bool = False):
    from hotline_tui.commands.session import sign_in
    from hotline_tui.services import Desk

    desk = Desk.open(args.db)
    if first_allowed and not desk.has_users() and args.user is None:
        return desk
    sign_in(desk, args.user)
    if not desk.signed_in:
        from hotline_tui.errors import InputError

        raise InputError("this store has no users yet: the first one is an admin, `hotline user add NAME --role admin`")
    return desk


def run_add(args) -> int:
    from hotline_tui.auth.names import shown

    desk = _desk(args, first_allowed=True)
    desk.check_new_user(args.name, args.role, args.unit)  # said before a password is asked
    added = desk.add_user(args.name, args.role, _new_password(args.name), args.unit)
    unit = f" of {added['unit']} {desk.unit_name(added['unit'])}" if added["unit"] else ""
    print(f"added {shown(added['name'])} as {added['role']}{unit}")
    return 0


def run_list(args) -> int:
    from hotline_tui.auth.names import shown

    users = _desk(args).list_users()
    if args.json:
        print(json.dumps(users, ensure_ascii=False))
        return 0
    for u in users:
        state = "disabled" if u["disabled"] else "enabled"
        print(f"{shown(u['name'], 32):<16} {u['role']:<10} {u['unit'] or '-':<14} {state}")
    if not users:
        print("no users", file=sys.stderr)
    return 0


def run_switch(args) -> int:
    desk = _desk(args)
    result = desk.disable_user(args.name) if args.switch == "disable" else desk.enable_user(args.name)
    done = f"{args.switch}d" if result["changed"] else f"already {args.switch}d"
    print(f"{result['name']} {done}")
    return 0


def run_passwd(args) -> int:
    from hotline_tui.auth.names import check_name

    desk = _desk(args)
    check_name(args.name)
    result = desk.set_password(args.name, _new_password(args.name))
    print(f"password of {result['name']} changed")
    return 0


def run_role(args) -> int:
    desk = _desk(args)
    result = desk.set_role(args.name, args.role, args.unit)
    print(f"{result['name']} is now {args.role}" if result["changed"] else f"{result['name']} is already {args.role}")
    return 0
