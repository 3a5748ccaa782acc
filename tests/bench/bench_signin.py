"""Sign-in with the real Argon2id parameters, and what the permission checks cost on the workbench's first page,
``ticket list`` and opening a ticket, against the same runs with the checks taken out.

    .venv/bin/python -m tests.bench.bench_signin [--db STORE] [--tickets N] [--runs R]

Without ``--db`` a temp store gets N demo tickets (default 20,000). Prints medians and ratios measured in the
same run (no absolute-time assertion anywhere):

- ``Desk.sign_in`` (read the user and recent failures, verify the Argon2id hash, write the ``sign_in`` event)
  against a bare ``PasswordHasher.verify`` of the same hash: the parameters cost and the facade's share.
- the workbench's first page (``Desk.query_page("", limit=100)``), ``Desk.list_tickets(20)`` (``hotline ticket
  list``) and ``Desk.show`` as an operator, with the permission checks and with them replaced by no-ops
  (``viewer_units`` -> None, ``check_own_unit`` and ``refused`` -> allowed). Target: at most 5% more.
- the same for a cadre, whose scope is a narrower query (reported, not a check's cost).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path


def median_ms(fn, runs: int) -> float:
    fn()  # one untimed run
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


@contextlib.contextmanager
def checks_off():
    """The permission checks replaced by no-ops, everywhere the facade calls them."""
    import hotline_tui.domain.actions as actions
    from hotline_tui.facade.query import QueryPart
    from hotline_tui.services import Desk

    saved = (QueryPart.viewer_units, Desk.check_own_unit, actions.refused)
    QueryPart.viewer_units = lambda self: None
    Desk.check_own_unit = lambda self, t: None
    actions.refused = lambda role, action: None
    try:
        yield
    finally:
        QueryPart.viewer_units, Desk.check_own_unit, actions.refused = saved


def interleaved(fn, runs: int, rounds: int = 9) -> tuple[float, float]:
    """(with checks, without) medians of ``rounds`` alternating rounds of ``runs`` calls each."""
    on, off = [], []
    for _ in range(rounds):
        on.append(median_ms(fn, runs))
        with checks_off():
            off.append(median_ms(fn, runs))
    return statistics.median(on), statistics.median(off)


def main() -> int:
    from argon2 import PasswordHasher

    from hotline_tui.auth import passwords
    from hotline_tui.config import Settings
    from hotline_tui.services import Desk

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store without users (a bench admin is added to it)")
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        path = args.db or folder / "store.sqlite"
        settings = Settings(store_path=path, config_file=folder / "config.toml", config_exists=False)
        desk = Desk(settings)
        if args.db is None:
            from hotline_tui.demo import load_demo

            load_demo(desk.store, tickets=args.tickets, seed=1, desks=8, city="QD", directory=desk.directory,
                      policy=desk.policy, workers=0)
        with desk.store.read() as conn:
            tickets = conn.exec_driver_sql("SELECT count(*) FROM ticket").scalar()
        print(f"store: {path}, {tickets:,} tickets; Argon2id t={passwords.TIME_COST} m={passwords.MEMORY_KIB // 1024} MiB"
              f" p={passwords.PARALLELISM}")

        # --- sign-in --------------------------------------------------------------------------------
        name, password = "benchadmin", "bench-password-1"
        if not desk.has_users():
            desk.add_user(name, "admin", password)
        digest = passwords.hash_password(password)
        bare = PasswordHasher(time_cost=passwords.TIME_COST, memory_cost=passwords.MEMORY_KIB, parallelism=passwords.PARALLELISM)
        t_hash = median_ms(lambda: passwords.hash_password(password), 5)
        t_verify = median_ms(lambda: bare.verify(digest, password), 9)
        signer = Desk(settings)  # the store opened once, as at a desk: the sign-in itself is timed
        t_sign_in = median_ms(lambda: signer.sign_in(name, password), 9)
        print(f"sign-in: Desk.sign_in median {t_sign_in:.0f} ms; bare Argon2id verify {t_verify:.0f} ms"
              f" (ratio {t_sign_in / t_verify:.2f}); hashing a new password {t_hash:.0f} ms")

        # --- permission checks ----------------------------------------------------------------------
        operator = Desk(dataclasses.replace(settings, operator="wangfang", role="operator"))
        number = operator.list_tickets(limit=1)[0]["number"]
        cases = [
            ("workbench first page (operator)", lambda: operator.query_page("", limit=100)),
            ("ticket list (operator)", lambda: operator.list_tickets(limit=20)),
            ("ticket show (operator)", lambda: operator.show(number)),
        ]
        cadre = Desk(dataclasses.replace(settings, operator="chenmin", role="cadre", unit="370203"))
        cases += [
            ("workbench first page (cadre, scoped)", lambda: cadre.query_page("", limit=100)),
            ("ticket list (cadre, scoped)", lambda: cadre.list_tickets(limit=20)),
        ]
        for label, fn in cases:
            on, off = interleaved(fn, args.runs)
            print(f"{label:<40} with checks {on:7.2f} ms  without {off:7.2f} ms  ratio {on / off:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
