"""``hotline report …``: the monthly ranking (月通报), its publication, and the analysis (决策参考).

Each report lives in its own module, ``hotline_tui/commands/report_<name>.py``, exposing
``register(report_subparsers)``; this module only makes the ``report`` group and asks each in turn.
"""

from __future__ import annotations

import importlib

REPORT_MODULES = ("report_monthly", "report_analysis", "report_shifts")


def register(sub) -> None:
    p = sub.add_parser("report", help="the monthly ranking and the analysis: hotline report monthly 2026-11",
                       description="Reports the supervisors publish every month.")
    reports = p.add_subparsers(dest="report", metavar="REPORT")
    p.set_defaults(func=lambda args: p.print_help() or 2)
    for name in REPORT_MODULES:
        try:
            module = importlib.import_module(f"hotline_tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"hotline_tui.commands.{name}":
                continue  # not built yet
            raise
        module.register(reports)
