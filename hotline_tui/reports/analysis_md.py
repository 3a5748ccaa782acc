"""The analysis as Markdown: one heading and one table per table of analysis_tables."""

from __future__ import annotations

from typing import Any

from hotline_tui.reports.analysis_tables import cell_text, tables


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(a: dict[str, Any]) -> str:
    lines = [f"# 12345 决策参考 · {a['month']}", ""]
    if not a["tickets"]:
        lines += [f"{a['month']} 没有登记的诉求。", ""]
    for t in tables(a):
        lines += [f"## {t.title}", ""]
        if t.note:
            lines += [t.note, ""]
        if not t.rows:
            lines += ["(无)", ""]
            continue
        lines.append("| " + " | ".join(t.header) + " |")
        lines.append("|" + "|".join("---:" if k != "text" else "---" for k in t.kinds) + "|")
        for row in t.rows:
            lines.append("| " + " | ".join(_cell(cell_text(v, k)) for v, k in zip(row, t.kinds)) + " |")
        lines.append("")
    return "\n".join(lines)
