"""hotline import csv, what a good file gives: every row becomes a ticket under its own number whose events are
dated as the row says (so the filters and the monthly counts see it in its month), in the state the row
gives, with the projection equal to the fold of its events, phones stored as intake stores them, the file read
as UTF-8 with or without BOM or as GBK (and told so), a number of our own scheme moving the desk's counter,
--dry-run writing nothing, bulk actions taking imported numbers, and the imported events going out with the next sync."""

from __future__ import annotations

import pytest

from hotline_tui.config import Settings
from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.phone import mask_phone, parse_phone
from hotline_tui.exchange.when import parse_when
from hotline_tui.services import Desk
from tests.csvkit import csv_text, dump, row
from tests.deskkit import SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, new_request, shipped_desk
from tests.storecheck import projection_mismatches

CGJ = "370203-CGJ"  # 市北区城市管理局
ZDJY = "城乡建设/市容环境/占道经营"
ROWS = [
    row(number="HIS2023050001", registered="2023-05-12 08:41", channel="12345热线", nature="投诉", category=ZDJY,
        place=TAIDONG, address="台东三路88号", caller_phone="13805321234", caller_name="张先生",
        description="烧烤摊占用人行道经营", lead_unit=CGJ, state="已办结", dispatched="2023-05-12 08:55",
        due="2023-05-19", claimed="2023-05-12 10:20", replied="2023-05-16 15:30", reply="已责令摊主撤离人行道",
        resolved="是", callback="满意", callback_at="2023-05-17 09:10", closed="2023-05-17 09:15"),
    row(number="HIS2023050002", registered="2023-05-12 09:02", nature="咨询", caller_phone="0532-82861234",
        description="咨询灵活就业人员养老保险缴费", state="已办结", reply="可通过社保经办窗口办理", closed="2023-05-12 09:08"),
    row(number="HIS2023050003", registered="2023-05-13 20:15", nature="求助", caller_phone="13912345678",
        description="楼道内有人打架", lead_unit="110", state="已转办", closed="2023-05-13 20:17"),
    row(number="HIS2023060001", registered="2023-06-01 10:00", channel="领导留言板", nature="help", place=ZHUHAILU,
        description="小区电梯停运半月无人维修", urgency="紧急", lead_unit=ZHUHAILU, state="办理中",
        dispatched="2023-06-01 16:00", claimed="2023-06-02 08:45"),
    row(number="HIS2023060002", registered="2023-06-01 10:00", channel="mailbox", nature="建议",
        description="建议增设公交站点", state="已登记"),
    row(number="HIS2023060003", registered="2023-06-03 11:00", nature="投诉", caller_phone="+86 138 0532 0000",
        category="cxjs-srhj-zdjy", place=SHINAN, description="夜市摊点噪音扰民", lead_unit=SHINAN, state="已回访",
        dispatched="2023-06-03 11:30", claimed="2023-06-03 14:00", replied="2023-06-08 09:00", reply="已规范夜市经营时间",
        resolved="否", callback="不满意", callback_at="2023-06-09 10:00"),
    row(number="HIS2023070001", registered="2023-07-03 11:00", nature="complaint", caller_phone="13805329999",
        description="占道经营", lead_unit="市北区城市管理局", state="待回访", dispatched="2023-07-03 11:30",
        claimed="2023-07-03 14:00", replied="2023-07-05 09:00", reply="已处理"),
    row(number="HIS2023070002", registered="2023-07-04 08:00", nature="投诉", caller_phone="13805329998",
        description="占道经营", category="城乡建设 › 市容环境", lead_unit=CGJ, state="答复审核",
        dispatched="2023-07-04 08:30", claimed="2023-07-04 09:00", replied="2023-07-06 09:00", reply="已处理"),
    row(number="QD-A07-20261102-0005", registered="2026-11-02 08:00", nature="投诉", caller_phone="13805329997",
        description="占道经营", lead_unit=CGJ, state="待签收", dispatched="2026-11-02 08:10"),
]
KINDS = {  # the events each state's history is made of, as the domain records them
    "closed": ["register", "dispatch", "claim", "reply", "reply_approve", "callback", "close"],
    "closed_answer": ["register", "answer"],
    "transferred": ["register", "transfer"],
    "claimed": ["register", "dispatch", "claim"],
    "registered": ["register"],
    "visited": ["register", "dispatch", "claim", "reply", "reply_approve", "callback"],
    "awaiting_callback": ["register", "dispatch", "claim", "reply", "reply_approve"],
    "reply_review": ["register", "dispatch", "claim", "reply"],
    "dispatched": ["register", "dispatch"],
}
STATE = {"已办结": "closed", "已转办": "transferred", "办理中": "claimed", "已登记": "registered", "已回访": "visited",
         "待回访": "awaiting_callback", "答复审核": "reply_review", "待签收": "dispatched"}
DATE_OF = {"register": "registered", "dispatch": "dispatched", "claim": "claimed", "reply": "replied",
           "reply_approve": "replied", "callback": "callback_at", "close": "closed", "answer": "closed", "transfer": "closed"}


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 2, 9, 0))


def write(tmp_path, rows, encoding="utf-8", name="old.csv"):
    path = tmp_path / name
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def test_every_row_becomes_its_ticket_dated_as_the_row_says(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock)
    result = desk.import_csv(str(write(tmp_path, ROWS)))
    assert (result.tickets, result.encoding, result.errors) == (len(ROWS), "UTF-8", [])
    assert result.events == sum(len(KINDS[_kinds_key(r)]) for r in ROWS)
    for r in ROWS:
        view = desk.show(r["number"])
        t = view.ticket
        assert t.state == STATE[r["state"]]
        assert [e.kind for e in view.events] == KINDS[_kinds_key(r)]
        for e in view.events:  # each step at the row's own date (a callback without its time: the close's)
            assert hlc_ms(e.hlc) == parse_when(r[DATE_OF[e.kind]] or r["closed"] or r["registered"]), (r["number"], e.kind)
        assert t.registered_ms == parse_when(r["registered"])
        assert t.claimed_ms == (parse_when(r["claimed"]) if r["claimed"] else None)
        assert t.replied_ms == (parse_when(r["replied"]) if r["replied"] else None)
        phone = parse_phone(r["caller_phone"]).number if r["caller_phone"] else ""
        assert (t.caller_phone, t.anonymous) == (mask_phone(phone), not phone)  # sealed as it is imported
        assert not phone or desk.sealer.open("caller_phone", t.caller_phone_enc) == phone
        if r["state"] in ("已办结", "已转办"):
            assert t.closed_ms == parse_when(r["closed"])
        if r["dispatched"]:
            expected_due = (parse_when(r["due"], end_of_day=True) if r["due"] else
                            desk.policy.handling_due(parse_when(r["dispatched"]), t.nature, t.urgency).ms)
            assert t.due_ms == expected_due
    assert desk.show("HIS2023050001").ticket.lead_unit == "370203-CGJ"
    assert desk.show("HIS2023070001").ticket.lead_unit == "370203-CGJ"  # named by its exact name
    assert desk.show("HIS2023060003").ticket.category == ["城乡建设", "市容环境", "占道经营"]  # by its code
    assert desk.show("HIS2023060003").ticket.callback == {"satisfaction": "unsatisfied", "resolved": False}
    assert projection_mismatches(desk.settings.store_path) == []


def _kinds_key(r) -> str:
    state = STATE[r["state"]]
    return "closed_answer" if state == "closed" and not r["lead_unit"] else state


def test_filters_see_imported_tickets_in_their_months_and_the_counter_moves_past_our_numbers(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock, role="supervisor")
    desk.import_csv(str(write(tmp_path, ROWS)))
    for month in ("2023-05", "2023-06", "2023-07"):
        expected = sum(1 for r in ROWS if r["registered"].startswith(month))
        assert desk.query_count(f"registered:{month}") == expected
    assert desk.query_count("channel:领导留言板") == sum(1 for r in ROWS if r["channel"] == "领导留言板")
    # a supervisor's action on a marked set takes imported tickets under their original numbers
    assert desk.bulk_act(["HIS2023060001", "his2023070002"], "urge", {"note": "请尽快办理"})["tickets"] == 2
    assert desk.show("HIS2023060001").ticket.urge_count == 1
    # QD-A07-20261102-0005 was imported: this desk (A07) registering today must not take 0001..0005 again
    assert desk.register(new_request()) == "QD-A07-20261102-0006"


def test_gbk_and_bom_files_are_read_and_said_so(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock)
    r1 = desk.import_csv(str(write(tmp_path, ROWS[:3], encoding="gbk", name="gbk.csv")))
    assert (r1.tickets, r1.encoding) == (3, "GB18030/GBK")
    r2 = desk.import_csv(str(write(tmp_path, ROWS[3:6], encoding="utf-8-sig", name="bom.csv")))
    assert (r2.tickets, r2.encoding) == (3, "UTF-8 (with BOM)")
    r3 = desk.import_csv(str(write(tmp_path, ROWS[6:8], encoding="gb18030", name="named.csv")), encoding="gb18030")
    assert r3.tickets == 2
    assert desk.show("HIS2023050001").ticket.description == "烧烤摊占用人行道经营"
    assert desk.show("HIS2023060003").ticket.caller_name == ""


def test_dry_run_writes_nothing(tmp_path, clock):
    desk = shipped_desk(tmp_path, clock)
    desk.register(new_request())
    before = dump(desk.settings.store_path)
    result = desk.import_csv(str(write(tmp_path, ROWS)), dry_run=True)
    assert (result.tickets, result.dry_run) == (len(ROWS), True)
    assert dump(desk.settings.store_path) == before


def test_imported_tickets_reach_another_desk_by_sync(tmp_path, clock):
    hub = str(tmp_path / "hub.sqlite")
    ours = Desk(Settings(store_path=tmp_path / "ours.sqlite", config_file=tmp_path / "c.toml", config_exists=False,
                         desk="A07", operator="王芳", hub=hub), clock_ms=clock)
    result = ours.import_csv(str(write(tmp_path, ROWS)))
    assert ours.sync_status()["pending_push"] == result.events
    ours.sync_now()
    theirs = Desk(Settings(store_path=tmp_path / "theirs.sqlite", config_file=tmp_path / "c.toml", config_exists=False,
                           desk="B02", operator="李娜", hub=hub), clock_ms=clock)
    theirs.sync_now()
    for r in ROWS:
        assert theirs.show(r["number"]).ticket.state == STATE[r["state"]]
    assert projection_mismatches(tmp_path / "theirs.sqlite") == []
