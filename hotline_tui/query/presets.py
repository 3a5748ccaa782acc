"""The workbench's preset views (F5, keys 1–9 and 0): each is a filter in the language the supervisor can read and
edit, never a hidden query."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    filter: str
    about: str
    short: str = ""  # the name where the line is narrow (80 columns)


PRESETS: tuple[Preset, ...] = (
    Preset("1", "超期", "overdue sort:due", "已过办理时限、仍在承办单位手中的工单, 超期最久的在前"),
    Preset("2", "将到期", "due-soon sort:due", "一个工作日内到期、尚未超期"),
    Preset("3", "重复件", "repeat>=3 sort:repeats", "同一事项来电三次及以上", "重复"),
    Preset("4", "回访不一致", "disputed sort:new", "单位称已解决、来电人回访称未解决", "不一致"),
    Preset("5", "不满意", "unsatisfied sort:new", "本轮回访不满意"),
    Preset("6", "多次退单", "returned>=2 sort:new", "退单两次及以上", "退单"),
    Preset("7", "久拖未决", "open age>30d sort:age", "受理超过 30 天仍未办结", "久拖"),
    Preset("8", "挂牌督办", "listed unfinished sort:due", "挂牌督办、尚未办结", "挂牌"),
    Preset("9", "已移交", "escalated sort:new", "已移交纪检监察或媒体", "移交"),
    Preset("0", "承诺未兑现", "commitment:unkept sort:due", "挂职干部承诺 (不解决找我) 的日期已过、工单未在当日办结", "承诺"),
)
BY_KEY = {p.key: p for p in PRESETS}
