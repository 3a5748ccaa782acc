"""Plain-text helpers for CJK-aware columns. Ticket text is always plain: never parsed as markup."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def one_line(value: object) -> str:
    """Text for a single line: control characters (newlines, escapes) become spaces."""
    return _CONTROL.sub(" ", str(value)).strip()


def fit(value: str, width: int) -> str:
    """Pad or crop ``value`` to exactly ``width`` terminal cells (a CJK character takes two). A cropped
    value ends in an ellipsis and keeps one blank cell, so it never runs into the next column."""
    if cell_len(value) <= width:
        return set_cell_size(value, width)
    return set_cell_size(value, max(width - 2, 0)) + "… "


def cells(value: str) -> int:
    return cell_len(value)


def plain(value: object, style: str = "") -> Text:
    """A rich Text holding ``value`` verbatim: brackets like [bold] stay brackets."""
    return Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")
