"""The ``hotline`` command: opens the desk, or runs one scripting command.

Each command group lives in ``hotline_tui/commands/<name>.py`` and exposes ``register(subparsers)``;
its heavy imports happen inside the function it runs, so ``hotline --help`` and the desk start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from hotline_tui import __version__
from hotline_tui.errors import HotlineError

COMMAND_MODULES = (
    "locate",
    "ticket",
    "demo",
    "store",
    "lookup",
    "directory",
    "suggest",
    "sync",
    "hub",
    "query",
    "report",
    "export",
    "import_csv",
    "user",
    "audit",
    "shift",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.exit(2, f"hotline: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hotline", description="12345 hotline desk. Without a command, opens the desk.")
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the store to use (default: HOTLINE_DB, the config, the user data folder)")
    parser.add_argument("--user", metavar="NAME", help="sign in as NAME (needed once the store has users; the password"
                                                       " from HOTLINE_PASSWORD or a prompt)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"hotline_tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"hotline_tui.commands.{name}":
                continue  # a command group not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        if args.command is None:
            from hotline_tui.app import run_desk

            return run_desk(db=args.db, user=args.user)
        return int(args.func(args) or 0)
    except HotlineError as exc:
        print(f"hotline: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (for example `| head`); not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
