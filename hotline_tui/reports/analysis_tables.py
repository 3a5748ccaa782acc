"""The analysis as tables (title, header, rows of plain values): what the Markdown and the xlsx both print, so
the two always hold the same figures. A share or rate is a float in 0..1 (None when its denominator is 0)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PERCENT = "percent"  # a column kind: rates and shares


@dataclass(frozen=True)
class Table:
    name: str  # short: the xlsx sheet's name (at most 31 characters)
    title: str
    header: tuple[str, ...]
    kinds: tuple[str, ...]  # per column: "text", "int" or PERCENT
    rows: list[tuple[Any, ...]]
    note: str = ""


def _joined(items: list[dict], key: str, drop_first: bool = False) -> str:
    """``a 12、b 7``; ``drop_first``: a category without its first level (the industry the row is about)."""
    return "、".join(f"{i[key].split(' › ', 1)[-1] if drop_first else i[key]} {i['tickets']}" for i in items)


def tables(a: dict[str, Any]) -> list[Table]:
    T, I, P = "text", "int", PERCENT
    out = [
        Table("概况", f"{a['month']} 概况", ("项目", "数值"), (T, I),
              [("诉求 (工单)", a["tickets"]), ("来电 (含重复来电)", a["calls"]),
               (f"上月 {a['last_month']['month']} 诉求", a["last_month"]["tickets"])]),
        Table("分类", "本月主要诉求分类", ("分类", "诉求", "占比"), (T, I, P),
              [(c["category"], c["tickets"], c["tickets"] / a["tickets"]) for c in a["categories"]]),
        Table("区市", "各区市诉求与热点", ("区市", "诉求", "占比", "主要分类", "关键词"), (T, I, P, T, T),
              [(d["name"], d["tickets"], d["share"], _joined(d["top_categories"], "category"),
                _joined(d["top_keywords"], "word")) for d in a["districts"]]),
        Table("行业", "各行业 (一级分类) 诉求与热点", ("行业", "诉求", "占比", "主要分类", "关键词"), (T, I, P, T, T),
              [(d["name"], d["tickets"], d["share"], _joined(d["top_categories"], "category", drop_first=True),
                _joined(d["top_keywords"], "word")) for d in a["industries"]]),
        Table("关键词", "本月关键词 (来电人所述)", ("关键词", "诉求"), (T, I),
              [(k["word"], k["tickets"]) for k in a["keywords"]],
              "分类关键词在诉求描述中出现的工单数"),
    ]
    for key, label, other in (("last_month", "环比 (较上月)", a["last_month"]["month"]),
                              ("last_year", "同比 (较去年同月)", a["last_year"]["month"])):
        rising = a["rising"][key]
        out.append(Table("环比上升" if key == "last_month" else "同比上升", f"上升最快的诉求 {label}",
                         ("分类", "本月", other, "增加", "增幅"), (T, I, I, I, P),
                         [(r["category"], r["tickets"], r["before"], r["rise"], r["ratio"]) for r in rising or []],
                         "" if rising is not None else f"库中没有 {other} 整月的诉求, 无从比较"))
    lim = a["limits"]
    out.append(Table("重复热点", "重复热点 (同一地点同一事项)", ("地点", "区市", "分类", "来电", "工单", "来电人"),
                     (T, T, T, I, I, I),
                     [(s["place_name"], s["district"], s["category"], s["calls"], s["tickets"], s["callers"])
                      for s in a["hot_spots"]],
                     f"来电至少 {lim['hot_min_calls']} 次、来电人至少 {lim['hot_min_callers']} 人"))
    out.append(Table("民生领域", "十大民生领域占比", ("领域", "诉求", "占比"), (T, I, P),
                     [(r["area"], r["tickets"], r["share"]) for r in a["areas"]]))
    out.append(Table("十二个月", "近十二个月诉求量与三率", ("月份", "诉求", "认领率", "办结率", "反馈率"), (T, I, P, P, P),
                     [(r["month"], r["tickets"], r["claim_rate"], r["completion_rate"], r["feedback_rate"])
                      for r in a.get("trend") or []],
                     "认领率 = 按时签收 ÷ 派单; 办结率 = 办结 ÷ 当月到期; 反馈率 = 按时答复 ÷ 当月到期"))
    return out


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == "int":
        return f"{value:,}"
    return str(value)
