"""Who runs a command: ``hotline --user NAME COMMAND``, the password from HOTLINE_PASSWORD or a prompt.

A store without users runs every command as the config's operator, as before. Once it has users, every
command that reads or writes tickets signs in first (``open_desk``), and says so clearly when ``--user`` is
missing; a failed sign-in is refused with its reason and writes only its ``sign_in_failed`` event.
"""

from __future__ import annotations

import os
import sys

from hotline_tui.errors import InputError


def read_password(env: str, prompt: str) -> str:
    """The password from ``env`` or, in a terminal, a prompt that does not echo."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InputError(f"no password: set {env} or run the command in a terminal to be asked for it")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise InputError("no password given") from None


def sign_in(desk, name: str | None) -> dict | None:
    """Sign ``name`` in on ``desk`` when the store has users (None when it has none)."""
    if not desk.has_users():
        if name is not None:
            raise InputError("this store has no users yet: `hotline user add NAME --role admin` adds the first;"
                             " until then leave out --user")
        return None
    if name is None:
        raise InputError("this store has users: sign in with `hotline --user NAME ...`"
                         " (the password from HOTLINE_PASSWORD or a prompt)")
    result = desk.sign_in(name, read_password("HOTLINE_PASSWORD", f"password for {name[:32]}: "))
    if result.get("notice"):
        print(f"hotline: note: {result['notice']}", file=sys.stderr)
    return result


def open_desk(args):
    """The Desk for a command that reads or writes tickets, signed in when the store has users."""
    from hotline_tui.services import Desk

    desk = Desk.open(args.db)
    sign_in(desk, getattr(args, "user", None))
    return desk
