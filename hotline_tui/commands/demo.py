"""``hotline demo``: fill the store with realistic demo tickets (made through the domain's rules)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("demo", help="fill the store with realistic demo tickets over the last 12 months (--days)")
    p.add_argument("--tickets", type=int, required=True, metavar="N", help="how many tickets to add")
    p.add_argument("--seed", type=int, default=1, help="the same seed (and --until) gives the same data (default 1)")
    p.add_argument("--desks", type=int, default=8, metavar="K", help="demo desks A01..AK (default 8)")
    p.add_argument("--desk-prefix", default="A", metavar="L",
                   help="letter of the demo desks' codes (default A: A01..AK); use another on each machine that syncs")
    p.add_argument("--until", metavar="YYYY-MM-DD[THH:MM]", help="the demo's 'now' in China's time (default: now)")
    p.add_argument("--days", type=int, default=365, metavar="D", help="spread the tickets over the D days before it (default 365)")
    p.add_argument("--workers", type=int, default=None, help="generator processes (default: by size and CPUs; 0 = none)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--users", action="store_true",
                   help="also add demo users of every role (a store without users only); prints names and passwords")
    p.set_defaults(func=run)


def _until_ms(text: str | None) -> int | None:
    if not text:
        return None
    import datetime as dt

    from hotline_tui.domain.calendar import CHINA
    from hotline_tui.errors import InputError

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--until {text[:30]!r} is not a date like 2025-06-30 or 2025-06-30T09:00") from None
    if len(text) <= 10:
        moment = moment.replace(hour=9)
    return int(moment.replace(tzinfo=CHINA).timestamp() * 1000)


class _Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet, self.tty, self.last = quiet, sys.stderr.isatty(), -1.0

    def __call__(self, done: int, total: int, events: int, elapsed: float) -> None:
        if self.quiet:
            return
        if not self.tty and done < total and elapsed - self.last < 5:
            return
        self.last = elapsed
        rate = done / elapsed if elapsed else 0
        eta = (total - done) / rate if rate else 0
        line = f"demo: {done:,}/{total:,} tickets ({done * 100 // total}%), {events:,} events, {rate:,.0f} tickets/s, eta {eta:,.0f}s"
        print(("\r" if self.tty else "") + line, end="" if self.tty and done < total else "\n", file=sys.stderr, flush=True)


def run(args) -> int:
    from hotline_tui.demo import load_demo
    from hotline_tui.errors import InputError
    from hotline_tui.commands.session import sign_in
    from hotline_tui.services import Desk

    if args.tickets < 1:
        raise InputError("--tickets must be at least 1")
    if len(args.desk_prefix) != 1 or not ("A" <= args.desk_prefix <= "Z"):
        raise InputError("--desk-prefix must be one capital letter")
    until = _until_ms(args.until)
    desk = Desk.open(args.db)
    if args.users and desk.has_users():
        raise InputError("this store already has users: demo users go only into a store without any (leave out --users)")
    sign_in(desk, args.user)
    result = load_demo(desk.store, tickets=args.tickets, seed=args.seed, desks=args.desks, city=desk.settings.city_code,
                       directory=desk.directory, policy=desk.policy, until_ms=until, workers=args.workers, desk_prefix=args.desk_prefix,
                       progress=_Progress(args.quiet), days=args.days, sealer=desk.sealer)
    print(f"added {result.tickets:,} demo tickets ({result.events:,} events) from {result.first_day} to {result.last_day}"
          f" at desks {result.desks[0]}..{result.desks[-1]} to {desk.settings.store_path}"
          f" in {result.seconds:.1f}s ({result.rate:,.0f} tickets/s)")
    if args.users:
        _add_users(desk)
    if result.refused:
        print(f"hotline: note: {result.refused} demo histories stopped early at a step the rules refused", file=sys.stderr)
    return 0


def _add_users(desk) -> None:
    from hotline_tui.demo.users import demo_people

    people = demo_people()
    desk.add_demo_users(people)
    print("demo users (name, role, unit, password); the desk now asks who signs in:")
    for name, role, unit, password in people:
        where = f"{unit} {desk.unit_name(unit)}" if unit else "-"
        print(f"  {name:<10} {role:<10} {where:<24} {password}")
