"""A small store for the analysis tests (决策参考), made through the desk's own API on a moving clock: requests
in November 2025 (the same month last year), October 2026 (last month) and November 2026 (the month analysed),
handled in several ways, with repeat calls and a canary phone number. Tests work out every expected figure
from the tickets as the domain folded them (``Desk.show``), never from the analysis's SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.domain.ticket import Ticket
from tests.deskkit import TAIDONG, ZHUHAILU, Clock, china_ms, new_request, shipped_desk

WEIHAI = "370203021001"  # 市北区 台东街道 威海路社区
CANARY = "13912345678"  # a caller's phone that must appear in no output
MONTH, LAST_MONTH, LAST_YEAR, EMPTY_MONTH = "2026-11", "2026-10", "2025-11", "2026-06"
NOW = (2026, 12, 2, 10, 0)

STALLS = ["城乡建设", "市容环境", "占道经营"]
HEATING = ["城乡建设", "供热", "暖气不热"]
WAGES = ["劳动和社会保障", "劳动关系", "拖欠工资"]
NOISE = ["环境保护", "噪声污染", "施工噪音"]
ORDER = ["公安政法", "治安管理", "治安问题"]
FIRE = ["公安政法", "消防安全", "消防隐患"]


@dataclass
class Fixture:
    folder: object
    desk: object
    numbers: list[str] = field(default_factory=list)

    def tickets(self) -> list[Ticket]:
        return [self.desk.show(n).ticket for n in self.numbers]


def _request(category, place, description, phone, address="台东三路88号", **over):
    return new_request(category=category, place=place, description=description, caller_phone=phone, address=address, **over)


def build(folder) -> Fixture:
    clock = Clock(china_ms(2025, 11, 1, 9, 0))
    desk = shipped_desk(folder, clock)
    fx = Fixture(folder, desk)

    def reg(at, category, place, description, phone, handle=None, **over):
        clock.ms = china_ms(*at)
        handling = {"mode": "dispatch", "lead": handle} if handle else None
        n = desk.register(_request(category, place, description, phone, **({"handling": handling} if handling else {}), **over))
        fx.numbers.append(n)
        return n

    def work(n, claim_after_h=1, reply=True, close=True):
        clock.advance(hours=claim_after_h)
        desk.act(n, "claim", {})
        if reply:
            clock.advance(hours=3)
            desk.act(n, "reply", {"handling": "已处理", "answer": "已联系当事人", "resolved": True})
            desk.act(n, "reply_approve", {})
            if close:
                desk.act(n, "callback", {"satisfaction": "satisfied", "resolved": True})
                desk.act(n, "close", {})

    # November 2025: the same month last year (its first request on the 1st: the store holds the whole month)
    n = reg((2025, 11, 1, 9, 0), STALLS, WEIHAI, "烧烤摊占道经营，油烟很大", "13800000001", TAIDONG)
    work(n)
    reg((2025, 11, 5, 10, 0), HEATING, ZHUHAILU, "暖气不热，室温只有十二度", "13800000002", ZHUHAILU)
    n = reg((2025, 11, 28, 16, 0), NOISE, ZHUHAILU, "工地夜间施工", "13800000003", ZHUHAILU)  # due in December
    work(n, claim_after_h=0.5)

    # October 2026: last month
    for day in (8, 9):
        n = reg((2026, 10, day, 10, 0), HEATING, ZHUHAILU, "暖气不热，家里有老人", "1380000001" + str(day), ZHUHAILU)
        work(n)
    reg((2026, 10, 12, 11, 0), STALLS, WEIHAI, "早市摊贩占道", "13800000020", TAIDONG)
    reg((2026, 10, 13, 11, 0), WAGES, TAIDONG, "包工头拖欠工资", "13800000021")

    # November 2026: the month analysed
    stalls = [reg((2026, 11, 3 + i, 9, 30), STALLS, WEIHAI, text, phone, TAIDONG)
              for i, (text, phone) in enumerate([("烧烤摊占道经营，晚上油烟大", CANARY),
                                                 ("夜市摊贩占用人行道", "13800000031"),
                                                 ("流动摊点占道，行人走机动车道", "13800000032")])]
    clock.advance(hours=2)
    desk.add_call(stalls[0], "又来了，烧烤摊还在", caller_phone="13800000033")
    clock.advance(hours=1)  # another caller, merged into the first request (并单): a request, not a dispatch
    fx.numbers.append(desk.register(_request(STALLS, WEIHAI, "烧烤摊又出摊了", "13800000034"), merge_into=stalls[0]))
    work(stalls[0])
    work(stalls[1], claim_after_h=24 * 10, close=False)  # claimed ten days late, replied, not closed
    heat = [reg((2026, 11, 10 + i, 8, 0), HEATING, ZHUHAILU, "暖气不热，屋里冷", "13800000040", ZHUHAILU) for i in range(2)]
    desk.add_call(heat[0], "还是不热")
    work(heat[0])
    for i, text in enumerate(["包工头拖欠农民工工资三个月", "公司拖欠工资不发", "讨薪无门，拖欠工资"]):
        n = reg((2026, 11, 16 + i, 14, 0), WAGES, TAIDONG, text, "1380000005" + str(i), TAIDONG)
        if i == 0:
            work(n, reply=False)
    reg((2026, 11, 20, 22, 0), NOISE, ZHUHAILU, "夜间工地施工噪音扰民", "13800000060", ZHUHAILU)
    reg((2026, 11, 21, 23, 0), ORDER, TAIDONG, "楼道内有人打架", "13800000061")
    reg((2026, 11, 24, 20, 0), FIRE, TAIDONG, "楼道里电动车充电，有火灾隐患", "13800000062", TAIDONG)
    clock.ms = china_ms(*NOW)
    return fx
