"""The monthly report as Markdown: the formulas, the two rankings, totals by channel and nature, the
supervision list."""

from __future__ import annotations

from typing import Any

from hotline_tui.domain.calendar import CHINA
from hotline_tui.reports.columns import HEAD, SHORT_COLUMNS, TOTAL_COLUMNS, cell_text
from hotline_tui.reports.formulas import rules_from


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...], head: dict[str, str] | None = None) -> list[str]:
    head = head or HEAD
    out = ["| " + " | ".join(head.get(c, c) for c in columns) + " |",
           "|" + "|".join("---" if c == "name" else "---:" for c in columns) + "|"]
    for r in rows:
        out.append("| " + " | ".join(cell_text(r, c).replace("|", "\\|") for c in columns) + " |")
    return out


def _when(ms: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%Y-%m-%d %H:%M")


def render_md(report: dict[str, Any]) -> str:
    month = report["month"]
    lines = [f"# 12345 热线月通报 {month}", ""]
    pub = report.get("publication") or {}
    if report.get("published"):
        lines.append(f"已发布: {_when(pub['published_ms'])} {pub.get('actor', '')} ({pub.get('desk', '')})")
    else:
        lines.append("未发布 (计算于当前数据)")
    lines += ["", "## 计算口径", ""]
    lines += [f"- {line}" for line in rules_from(_raw_rules(report.get("formulas", {}))).describe_zh()]
    lines += ["- 率的括号内为较上月变化 (百分点); 升降为名次较上月的变化; — 表示无可计算的数据"]
    lines += [f"- {ytd_note(report)}", ""]
    lines += ["## 区市排名", ""] + _table(report["districts"], SHORT_COLUMNS) + [""]
    lines += ["## 市直部门排名", ""] + _table(report["units"], SHORT_COLUMNS) + [""]
    lines += ["## 全市合计", ""] + _table([report["totals"]], TOTAL_COLUMNS) + [""]
    lines += ["## 按渠道", ""] + _table(report["channels"], TOTAL_COLUMNS, {**HEAD, "name": "渠道"}) + [""]
    lines += ["## 按诉求性质", ""] + _table(report["natures"], TOTAL_COLUMNS, {**HEAD, "name": "性质"}) + [""]
    lines += ["## 督办清单 (本月挂牌督办、移交)", ""]
    sup = report.get("supervision") or []
    if not sup:
        lines.append("本月无挂牌督办或移交的工单。")
    else:
        lines += ["| 日期 | 工单 | 督办 | 承办单位 | 分类 | 现状态 |", "|---|---|---|---|---|---|"]
        for s in sup:
            action = s["action_name"] + (f" ({s['target']})" if s.get("target") else "")
            lines.append(f"| {_when(s['at_ms'])[:10]} | {s['number']} | {action} | {s['unit_name'] or '—'} |"
                         f" {s['category'] or '—'} | {s['state_name']} |")
    if "commitments" in report:  # reports published before commitments were counted have none
        lines += ["", "## 不解决找我 (挂职干部承诺)", ""] + commitment_lines(report["commitments"])
    return "\n".join(lines) + "\n"


def commitment_lines(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["本月无挂职干部承诺。"]
    out = ["| 单位 | 本月承诺 | 本月到期 | 已兑现 | 未兑现 | 承诺中 | 承诺干部 |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        name = (r.get("unit_name") or r.get("unit") or "—").replace("|", "\\|")
        cadres = "、".join(r.get("cadres") or []).replace("|", "\\|") or "—"
        out.append(f"| {name} | {r['made']} | {r['due']} | {r['kept']} | {r['unkept']} | {r['open']} | {cadres} |")
    return out


def ytd_note(report: dict[str, Any]) -> str:
    """What the year's deduction (年累计扣分) adds up: this month and the year's earlier published months."""
    ytd = report.get("ytd") or {}
    done, missing = ytd.get("published") or [], ytd.get("unpublished") or []
    text = "年累计扣分 = 本月扣分" + (f" + 已发布月份 ({', '.join(done)}) 的扣分" if done else "")
    if missing:
        text += f"; 未发布的 {', '.join(missing)} 未计入 (发布后计入)"
    return text


def _raw_rules(formulas: dict[str, Any]) -> dict[str, Any]:
    """The ``[report]`` table equivalent of a report's ``formulas`` (so a stored report prints its own)."""
    rates = {k: v.split(" / ") for k, v in formulas.items() if isinstance(v, str) and " / " in v}
    raw: dict[str, Any] = {"rates": rates}
    if "deductions" in formulas:
        raw["deductions"] = formulas["deductions"]
    rank = formulas.get("rank_weights")
    if rank:
        raw["rank"] = rank
    return raw
