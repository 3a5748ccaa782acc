"""A demo store shared by the filter tests, and the truth about its tickets worked out in Python from their folded
state and events, independently of the SQL a filter compiles to."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.demo import load_demo
from hotline_tui.domain.ticket import Ticket
from hotline_tui.services import Desk
from hotline_tui.store.search_index import event_text
from hotline_tui.store.search_text import normalise
from tests.deskkit import Clock, china_ms

NOW = china_ms(2026, 11, 2, 9, 0)  # a Monday morning, the demo's "now"
TICKETS = 1500


@dataclass
class Truth:
    tickets: dict[str, Ticket]
    texts: dict[str, list[str]] = field(default_factory=dict)  # normalised texts of each ticket's events
    actors: dict[str, set[str]] = field(default_factory=dict)

    def where(self, test) -> set[str]:
        return {n for n, t in self.tickets.items() if test(t)}


def demo_desk(folder: Path, role: str = "supervisor", **kw) -> Desk:
    settings = Settings(store_path=folder / "store.sqlite", config_file=folder / "config.toml", config_exists=False,
                        desk="S01", operator="赵强", role=role, **kw)
    return Desk(settings, clock_ms=Clock(NOW))


def build(folder: Path) -> tuple[Desk, Truth]:
    desk = demo_desk(folder)
    load_demo(desk.store, tickets=TICKETS, seed=11, directory=desk.directory, policy=desk.policy, until_ms=NOW,
              workers=0, days=120, sealer=desk.sealer)
    return desk, read_truth(folder / "store.sqlite")


def read_truth(path: Path) -> Truth:
    con = sqlite3.connect(path)
    try:
        tickets = {n: Ticket.from_dict(json.loads(d)) for n, d in con.execute("SELECT number, data FROM ticket")}
        truth = Truth(tickets)
        for number, actor, payload in con.execute("SELECT ticket, actor, payload FROM event"):
            truth.actors.setdefault(number, set()).add(actor)
            text = event_text(json.loads(payload))
            if text:
                truth.texts.setdefault(number, []).append(normalise(text))
    finally:
        con.close()
    return truth


def matches(desk: Desk, text: str) -> set[str]:
    """Every ticket the filter lists, read page by page as the screen and the command do."""
    found: list[str] = []
    after = None
    while True:
        page = desk.query_page(text, after=after, limit=200)
        found += [r["number"] for r in page["rows"]]
        after = page["next"]
        if after is None:
            break
    assert len(found) == len(set(found)), "a ticket listed twice"
    assert desk.query_count(text) == len(found), text
    return set(found)
