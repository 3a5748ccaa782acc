"""Where the backlog sits (F5 g): the current filter's tickets counted by district, by unit (a district's own
units count for it, a municipal department's sub-units for the department) or by category. Enter drills in:
the screen is dismissed with the filter term of the group, which the workbench adds to its filter."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError

from screens.text import fit, one_line

GROUPINGS = (("district", "区市"), ("unit", "单位"), ("category", "分类"))
BAR = 16


class GroupScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    GroupScreen { align: center middle; }
    GroupScreen #groups-box { width: 90%; max-width: 100; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    GroupScreen #groups-title { height: 2; }
    GroupScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("tab", "next_grouping", "区市/单位/分类", id="groups.next"),
        Binding("1", "grouping('district')", "区市", show=False, id="groups.district"),
        Binding("2", "grouping('unit')", "单位", show=False, id="groups.unit"),
        Binding("3", "grouping('category')", "分类", show=False, id="groups.category"),
        Binding("escape", "cancel", "返回", id="groups.back"),
    ]

    def __init__(self, filter_text: str, by: str = "district") -> None:
        super().__init__()
        self.filter_text, self.by = filter_text, by
        self.groups: list[dict] = []
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="groups-box"):
            yield Static("", id="groups-title")
            yield OptionList(id="groups")

    def on_mount(self) -> None:
        self._show_title("统计中…")
        self.query_one(OptionList).focus()
        self._load_groups()

    def _show_title(self, note: str = "") -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        for code, name in GROUPINGS:
            title.append(f" {name} ", style="bold reverse" if code == self.by else "")
            title.append(" ")
        title.append(f"  {note}", style="dim")
        title.append("\n" + one_line(self.filter_text or "全部工单"), style="dim")
        self.query_one("#groups-title", Static).update(title)

    def _load_groups(self) -> None:
        self._generation += 1
        self._fetch(self.app.desk, self.filter_text, self.by, self._generation)

    @work(thread=True, exclusive=True, group="groups")
    def _fetch(self, desk, text: str, by: str, generation: int) -> None:
        try:
            groups = desk.query_groups(text, by)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc), generation)
            return
        self.app.call_from_thread(self._arrived, groups, generation)

    def _arrived(self, groups: list[dict], generation: int) -> None:
        if generation != self._generation:
            return
        self.groups = groups
        total = sum(g["count"] for g in groups)
        top = max((g["count"] for g in groups), default=1) or 1
        options = []
        for i, g in enumerate(groups):
            line = Text(no_wrap=True)
            line.append(fit(one_line(g["label"]), 28))
            line.append(f"{g['count']:>9,}  ", style="bold")
            line.append("█" * max(1, round(BAR * g["count"] / top)), style="cyan")
            options.append(Option(line, id=str(i)))
        menu = self.query_one(OptionList)
        menu.clear_options()
        menu.add_options(options)
        if options:
            menu.highlighted = 0
        self._show_title(f"共 {total:,} 件 · {len(groups)} 组   Enter 进入  Tab 切换  Esc 返回")

    def _failed(self, message: str, generation: int) -> None:
        if generation == self._generation:
            self._show_title(f"统计失败: {one_line(message)}")

    @on(OptionList.OptionSelected)
    def _drill(self, event: OptionList.OptionSelected) -> None:
        group = self.groups[int(event.option.id)]
        self.dismiss(group["filter"])

    def action_grouping(self, by: str) -> None:
        if by != self.by:
            self.by = by
            self.query_one(OptionList).clear_options()
            self._show_title("统计中…")
            self._load_groups()

    def action_next_grouping(self) -> None:
        codes = [c for c, _ in GROUPINGS]
        self.action_grouping(codes[(codes.index(self.by) + 1) % len(codes)])

    def action_cancel(self) -> None:
        self.dismiss(None)
