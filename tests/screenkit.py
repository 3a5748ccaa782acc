"""A desk on a small fixed store at a fixed time, for tests that look at whole screens."""

from __future__ import annotations

import shutil

import pytest

from hotline_tui.app import HotlineApp
from tests.deskkit import Clock, china_ms, new_request, shipped_desk

NOW = (2026, 11, 25, 9, 14)  # a Wednesday, a working day
CGJ = "370203-CGJ"  # 市北区城市管理局


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A few tickets of a working fortnight: one overdue and claimed with progress, one answered on the
    call, one just registered. Copied for each test (``desk_app``)."""
    folder = tmp_path_factory.mktemp("screen-store")
    clock = Clock(china_ms(2026, 11, 12, 10, 5))
    desk = shipped_desk(folder, clock)
    old = desk.register(new_request(handling={"mode": "dispatch", "lead": CGJ, "assist": ["370203021"]}))
    clock.advance(hours=2)
    desk.act(old, "claim", {})
    clock.advance(days=1, hours=3)
    desk.act(old, "progress", {"text": "已约谈摊主，明日复查"})
    clock.advance(days=4)
    desk.register(new_request(caller_phone="13906391234", caller_name="李女士", nature="consultation",
                              category=["劳动和社会保障", "社会保险", "社保缴纳"], description="咨询灵活就业人员社保如何缴纳",
                              handling={"mode": "answer", "answer": "可到就近社保经办机构或通过爱山东办理"}))
    clock.ms = china_ms(*NOW)
    desk.register(new_request(caller_phone="053285551234", caller_name="", description="楼道内有人打架，请求处置",
                              nature="help", category=["公安政法", "治安管理", "治安问题"]))
    desk.store.close()
    return folder / "store.sqlite"


def desk_app(store, tmp_path) -> HotlineApp:
    """The desk on a copy of ``store``, its clock stopped at ``NOW``, without animation: a scroll lands
    where it is going at once, however loaded the machine (what is pictured does not depend on timing)."""
    shutil.copy(store, tmp_path / "store.sqlite")
    shutil.copy(store.parent / "config.toml", tmp_path / "config.toml")  # the privacy key the store was sealed with
    desk = shipped_desk(tmp_path, Clock(china_ms(*NOW)))
    app = HotlineApp(desk.settings, desk=desk)
    app.animation_level = "none"
    return app
