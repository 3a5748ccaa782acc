"""The analysis as an xlsx workbook (openpyxl): one sheet per table of analysis_tables, the header row frozen
and bold, counts as whole numbers, shares and rates as percentages, columns as wide as their Chinese text."""

from __future__ import annotations

import io
from typing import Any

from hotline_tui.reports.analysis_tables import PERCENT, cell_text, tables
from hotline_tui.reports.columns import width as display_width

FORMATS = {"int": "#,##0", PERCENT: "0.0%"}
MAX_WIDTH = 80


def workbook_bytes(a: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for t in tables(a):
        ws = wb.create_sheet(t.name[:31])
        ws.append(list(t.header))
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in t.rows:
            ws.append(list(row))
        widths = [display_width(h) for h in t.header]
        for r, row in enumerate(t.rows, start=2):
            for i, (value, kind) in enumerate(zip(row, t.kinds)):
                cell = ws.cell(row=r, column=i + 1)
                if value is None:
                    cell.value = "—"
                elif kind in FORMATS:
                    cell.number_format = FORMATS[kind]
                widths[i] = max(widths[i], display_width(cell_text(value, kind)))
        for i, w in enumerate(widths):
            ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = min(MAX_WIDTH, w + 2)
        ws.freeze_panes = "A2"
        if t.note:
            ws.cell(row=len(t.rows) + 3, column=1, value=t.note)
        elif not t.rows:
            ws.cell(row=3, column=1, value="(无)")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
