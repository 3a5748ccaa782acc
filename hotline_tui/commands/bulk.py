"""The confirmation of an action on several tickets at the command line: what it will touch and what it
leaves out, asked on a terminal, ``--yes`` otherwise; then all of it in one transaction."""

from __future__ import annotations

import sys

from hotline_tui.errors import DomainError, InputError


def confirm_and_act(desk, numbers: list[str], action: str, fields: dict, *, actor: str | None, yes: bool) -> int:
    plan = desk.bulk_plan(numbers, action)
    allowed, refused = plan["allowed"], plan["refused"]
    for why, which in refused.items():
        print(f"hotline: {len(which)} left out: {why} ({', '.join(which[:3])}{' …' if len(which) > 3 else ''})",
              file=sys.stderr)
    if not allowed:
        raise DomainError(f"none of the {len(numbers)} tickets can be {action}ed now; nothing was written")
    question = f"{plan['label']} ({action}) {len(allowed)} ticket(s)"
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(f"this would {action} {len(allowed)} tickets: add --yes to confirm; nothing was written")
        print(f"{question}? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
            print("hotline: nothing was written", file=sys.stderr)
            return 1
    result = desk.bulk_act(allowed, action, fields, actor=actor)
    print(f"{result['action']}: {result['tickets']} tickets, {result['events']} events recorded")
    return 0
