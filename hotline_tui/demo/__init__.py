"""Demo data: realistic tickets made through the domain's rules and loaded in bulk.

    from hotline_tui.demo import load_demo
    load_demo(store, tickets=100_000, seed=1, desks=8, city="QD")

``taxonomy`` holds the three-level categories and the text templates, ``places`` Qingdao's roads and
estates, ``people`` callers and staff, ``history`` one ticket's life (every step decided by
``domain.actions.decide`` on a fake clock and folded with ``domain.fold.apply``), ``bulk`` the plain-SQL
loader and ``load`` the driver (day chunks, worker processes, progress).
"""

from hotline_tui.demo.load import DemoResult, load_demo

__all__ = ["DemoResult", "load_demo"]
