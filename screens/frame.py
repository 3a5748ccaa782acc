"""The frame every area shares: the desk header (who, hub, date, areas) over the screen, the footer under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from screens.footer import DeskFooter

AREAS = (  # (mode, F-key, label)
    ("intake", "F2", "受理"),
    ("lookup", "F3", "单位"),
    ("ticket", "F4", "工单"),
    ("supervise", "F5", "督办"),
    ("reports", "F6", "统计"),
    ("shadow", "F7", "体悟"),
)


def _spread(left: Text, right: Text, width: int, keep_left: bool = False) -> Text:
    """``left`` and ``right`` on one line of ``width`` cells; the one not kept gives way first."""
    if keep_left:
        left.truncate(width, overflow="ellipsis")
        room = width - left.cell_len - 2
        right = right if room >= min(right.cell_len, 10) else Text()  # no stub of a date
        right.truncate(max(room, 0), overflow="ellipsis")
    else:
        right.truncate(max(width - 12, 0), overflow="ellipsis")
        left.truncate(max(width - right.cell_len - 2, 0), overflow="ellipsis")
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append_text(left)
    line.append(" " * max(width - left.cell_len - right.cell_len, 2 if right.cell_len else 0))
    line.append_text(right)
    line.truncate(width)
    return line


def header_lines(status: dict, mode: str, width: int) -> tuple[Text, Text]:
    """The header's two lines at ``width`` cells: nothing wraps; the area tabs close up when the date needs
    room, and the date gives way to the tabs."""
    top = _spread(Text(status.get("who", ""), style="bold"), Text(status.get("hub", "")), width)
    day = Text(status.get("day", ""), style=status.get("day_style", ""))
    for pad, join in ((" ", " "), ("", " "), ("", "")):
        tabs = Text()
        for area, key, name in AREAS:
            tabs.append(f"{pad}{key}{join}{name}{pad}", style="bold reverse" if area == mode else "")
            tabs.append(" ")
        if tabs.cell_len + day.cell_len + 2 <= width:
            break
    return top, _spread(tabs, day, width, keep_left=True)


class DeskHeader(Static):
    """Two lines: the desk, its person and the hub; the areas and today's date. Follows ``app.status``."""

    DEFAULT_CSS = """
    DeskHeader { height: 2; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def on_mount(self) -> None:
        self.watch(self.app, "status", self._show, init=True)

    def _show(self, status: dict) -> None:
        width = (self.size.width or self.app.size.width) - 2
        self.update(Text("\n").join(header_lines(status, self.mode, width)))

    def on_resize(self) -> None:
        self._show(self.app.status)


class DeskScreen(Screen):
    """A screen inside the frame. Subclasses give ``MODE`` and ``compose_body``."""

    MODE = ""

    def compose(self) -> ComposeResult:
        yield DeskHeader(self.MODE)
        yield from self.compose_body()
        yield DeskFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def desk(self):
        """The app's Desk facade, or None while the store is still opening."""
        return getattr(self.app, "desk", None)


class AreaPlaceholder(DeskScreen):
    """An area not built yet: says plainly what will be here. No invented data."""

    PLANNED = {
        "intake": "受理 (F2): 来电登记 — 来电号码与来电历史、性质、分类、地点、诉求、建议承办单位、派单或直接答复。尚未实现。",
        "lookup": "单位 (F3): 承办单位查找 — 中文、拼音、简称、旧称、派单目录职责; 职责清单与未办结工单。尚未接入。",
        "supervise": "督办 (F5): 超期、将到期、重复件、回访不一致; 催办、督办、挂牌督办、移交。尚未实现。",
        "shadow": "体悟 (F7): 处级干部接线体悟 — 本单位未办结工单与职责清单。尚未实现。",
    }

    def __init__(self, mode: str) -> None:
        self.MODE = mode
        super().__init__(name=mode)

    def compose_body(self) -> ComposeResult:
        text = self.PLANNED.get(self.MODE, "尚未实现。")
        yield Static(Text(text + "\n\nF4 工单 已可用: 打开工单、时间线与办理操作。"), classes="placeholder")
