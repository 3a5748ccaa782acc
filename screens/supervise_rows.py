"""One line of the workbench's list (F5) for the width at hand, and the header over it.

Columns: number, age, working days left (negative when overdue), lead unit, place, channel, nature, category,
flags, summary; CJK aligned by display width. Narrow terminals drop the place and channel and shorten the
number (its desk, day and sequence stay), so every row fits 80 columns with room for the summary.
"""

from __future__ import annotations

from rich.text import Text

from hotline_tui.domain.vocabulary import NATURES, label

from screens.text import fit, one_line

CHANNEL_SHORT = {"hotline": "热线", "message_board": "留言板", "mailbox": "信箱", "newspaper": "日报",
                 "radio_tv": "广电", "petition": "信访"}
FLAG_SHORT = {"repeat": "重", "disputed_callback": "争", "listed": "挂", "escalated": "移", "supervised": "督",
              "urged": "催", "frequent_return": "退", "bounced": "诿", "conflict": "冲", "merged": "并"}
FLAG_ORDER = tuple(FLAG_SHORT)  # the first ones matter most to a supervisor
DAY_MS = 86_400_000
WIDE = 110  # from this width of a row every column shows, the number in full


def short_number(number: str) -> str:
    """QD-A07-20261125-0042 → A07·1125-0042 (desk, month-day, sequence)."""
    parts = number.split("-")
    if len(parts) == 4 and len(parts[2]) == 8:
        return f"{parts[1]}·{parts[2][4:]}-{parts[3]}"
    return number


def _columns(width: int) -> list[tuple[str, int]]:
    wide = width >= WIDE
    cols = [("number", 21 if wide else 14), ("age", 5), ("left", 5), ("unit", 18 if wide else 13)]
    if width >= 100:
        cols.append(("place", 12))
    if wide:
        cols.append(("channel", 7))
    cols += [("nature", 5), ("category", 12 if wide else 10), ("flags", 7)]
    return cols


HEADERS = {"number": "编号", "age": "受理", "left": "剩余", "unit": "承办单位", "place": "地点", "channel": "渠道",
           "nature": "性质", "category": "分类", "flags": "标记"}


def header(width: int) -> Text:
    """The header over rows drawn by ``draw`` at ``width - 1`` (the list's mark column comes first)."""
    line = Text(no_wrap=True, style="bold")
    line.append(" ")  # the mark column
    for name, w in _columns(width - 1):
        line.append(fit(HEADERS[name], w))
    line.append("摘要")
    return line


def age_text(ms: int, now_ms: int) -> str:
    age = max(0, now_ms - ms)
    days = age // DAY_MS
    return f"{days}d" if days else f"{age // 3_600_000}h"


def draw(row: dict, width: int, now_ms: int) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    for name, w in _columns(width):
        if name == "number":
            number = row["number"] if w > 20 else short_number(row["number"])
            line.append(fit(number, w), style="bold")
        elif name == "age":
            line.append(fit(age_text(row["registered_ms"], now_ms), w), style="cyan")
        elif name == "left":
            left = row.get("workdays_left")
            if left is None:
                line.append(fit("", w))
            else:
                style = "bold red" if left < 0 or row.get("overdue") else "bold yellow" if left <= 1 else ""
                line.append(fit(str(left), w), style=style)
        elif name == "unit":
            line.append(fit(one_line(row.get("lead_name") or "未派单"), w), style="" if row.get("lead_unit") else "dim")
        elif name == "place":
            line.append(fit(one_line(row.get("place_name") or ""), w), style="dim")
        elif name == "channel":
            line.append(fit(CHANNEL_SHORT.get(row.get("channel"), row.get("channel") or ""), w))
        elif name == "nature":
            line.append(fit(label(NATURES, row.get("nature")), w))
        elif name == "category":
            line.append(fit(one_line((row.get("category") or "").split(" › ")[-1]), w))
        elif name == "flags":
            flags = [FLAG_SHORT[f] for f in FLAG_ORDER if f in row.get("flags", ())]
            line.append(fit("".join(flags), w), style="bold magenta")
    line.append(one_line(row.get("summary") or ""))
    return line
