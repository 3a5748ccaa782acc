"""Building blocks for tests of the core: a desk on a temporary store with a controllable clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hotline_tui.config import Settings
from hotline_tui.domain.calendar import CHINA
from hotline_tui.services import Desk

# Real NBS codes (they are in the shipped directory): 市北区, its 台东街道, 市南区, 市南区珠海路街道
SHIBEI, TAIDONG, SHINAN, ZHUHAILU = "370203", "370203021", "370202", "370202014"
KNOWN_UNITS = {SHIBEI, TAIDONG, SHINAN, ZHUHAILU, "370211009"}


# Fields that make each handling action acceptable when its state allows it (property tests).
ACTION_SAMPLES = {
    "dispatch": {"lead": TAIDONG, "assist": [SHINAN]},
    "claim": {},
    "return": {"reason": "not_our_area"},
    "return_accept": {"lead": ZHUHAILU},
    "return_reject": {"reason": "属地明确"},
    "reassign": {"lead": SHINAN, "reason": "调整"},
    "extend": {"reason": "协调", "days": 3},
    "extend_approve": {},
    "extend_refuse": {"reason": "不同意"},
    "progress": {"text": "进展"},
    "reply": {"handling": "h", "answer": "a", "resolved": True},
    "reply_approve": {},
    "reply_reject": {"reason": "重答"},
    "callback": {"satisfaction": "unsatisfied", "resolved": False},
    "close": {},
    "reopen": {"reason": "重办"},
    "urge": {"note": "请尽快办理"},
    "supervise": {"note": "督办"},
    "list": {"note": "挂牌督办"},
    "escalate": {"target": "media", "note": "长期推诿"},
    "note": {"text": "备注"},
}


def china_ms(*args) -> int:
    return int(dt.datetime(*args, tzinfo=CHINA).timestamp() * 1000)


class Clock:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> None:
        self.ms += int(((days * 24 + hours) * 60 + minutes) * 60_000)


class TestDesk(Desk):
    """A desk whose directory is a fixed set of real codes, so core tests don't depend on the directory build."""

    __test__ = False

    def unit_exists(self, code: str) -> bool:
        return code in KNOWN_UNITS


def make_desk(tmp_path: Path, role: str = "operator", desk: str = "A07", operator: str = "王芳", clock: Clock | None = None,
              store_name: str = "store.sqlite", **kw) -> TestDesk:
    settings = Settings(store_path=tmp_path / store_name, config_file=tmp_path / "config.toml", config_exists=False,
                        desk=desk, operator=operator, role=role, **kw)
    return TestDesk(settings, clock_ms=clock)


def shipped_desk(tmp_path: Path, clock: Clock, role: str = "operator", operator: str = "王芳", **kw) -> Desk:
    """A desk on the shipped directory (communities included), sharing one store per tmp_path."""
    settings = Settings(store_path=tmp_path / "store.sqlite", config_file=tmp_path / "config.toml", config_exists=False,
                        desk="A07", operator=operator, role=role, **kw)
    return Desk(settings, clock_ms=clock)


# Fixtures a test module takes by importing them: ``clock`` and ``desk``.

@pytest.fixture(name="clock")
def monday_morning_clock() -> Clock:
    """Monday 2 November 2026, 09:00 in China."""
    return Clock(china_ms(2026, 11, 2, 9, 0))


@pytest.fixture(name="desk")
def shipped_operator_desk(tmp_path, clock) -> Desk:
    """An operator's desk (王芳 at A07) on the shipped directory, on ``clock``."""
    return shipped_desk(tmp_path, clock)


def new_request(**over) -> dict:
    data = {
        "caller_phone": "13805321234",
        "caller_name": "张先生",
        "channel": "hotline",
        "nature": "complaint",
        "category": ["城乡建设", "市容环境", "占道经营"],
        "place": TAIDONG,
        "address": "台东三路88号门口",
        "description": "烧烤摊占用人行道经营，晚上油烟大，行人只能走机动车道",
    }
    data.update(over)
    return data


def event_count(desk: Desk) -> int:
    from sqlalchemy import text

    with desk.store.read() as conn:
        return conn.execute(text("SELECT count(*) FROM event")).scalar()
