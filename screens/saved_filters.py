"""The workbench's saved filters (F5): ``v`` lists them (Enter uses one, d deletes it), ``w`` saves the current
filter under a name. Kept in filters.toml beside the user's config (``Desk.save_filter``), off the UI thread."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError

from screens.text import fit, one_line

BOX_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 90%; max-width: 100; height: auto; max-height: 90%; border: round $accent;
    background: $surface; padding: 0 1; }}
{name} OptionList {{ height: auto; max-height: 20; border: none; }}
{name} Input {{ border: none; height: 1; padding: 0; background: $boost; }}
"""


class SavedFilters(ModalScreen[str | None]):
    DEFAULT_CSS = BOX_CSS.format(name="SavedFilters")
    BINDINGS = [
        Binding("d", "delete", "删除", id="saved.delete"),
        Binding("escape", "cancel", "返回", id="saved.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.filters: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("已存筛选   Enter 使用  d 删除  Esc 返回", style="bold"), id="saved-title")
            yield OptionList(id="saved")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    @work(thread=True, exclusive=True, group="saved")
    def _load(self, delete: str | None = None) -> None:
        desk = self.app.desk
        try:
            data = desk.delete_filter(delete) if delete else desk.saved_filters()
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="已存筛选", severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, data.saved)

    def _show(self, saved: dict[str, str]) -> None:
        self.filters = dict(saved)
        self.names = sorted(saved)
        menu = self.query_one(OptionList)
        menu.clear_options()
        if not self.names:
            menu.add_option(Option(Text("还没有存过筛选: 在工作台按 w 保存当前筛选。", style="dim"), disabled=True))
            return
        for i, name in enumerate(self.names):
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(fit(one_line(name), 20), style="bold")
            line.append(one_line(saved[name]))
            menu.add_option(Option(line, id=str(i)))
        menu.highlighted = 0

    @on(OptionList.OptionSelected)
    def _use(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.filters[self.names[int(event.option.id)]])

    def action_delete(self) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is None or not self.names:
            return
        name = self.names[menu.highlighted]
        self.notify(f"已删除「{name}」", title="已存筛选", markup=False)
        self._load(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveFilter(ModalScreen[str | None]):
    """Asks for a name and saves ``filter_text`` under it; dismissed with the name once saved."""

    DEFAULT_CSS = BOX_CSS.format(name="SaveFilter")
    BINDINGS = [Binding("escape", "cancel", "取消", id="save_filter.cancel")]

    def __init__(self, filter_text: str) -> None:
        super().__init__()
        self.filter_text = filter_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("保存当前筛选", style="bold"))
            yield Static(Text(one_line(self.filter_text or "(全部工单)"), style="dim"))
            yield Input(placeholder="名称, 例如 市北区超期; Enter 保存, Esc 取消", id="save-name")
            yield Static("", id="save-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self._store(event.value)

    @work(thread=True, exclusive=True, group="save-filter")
    def _store(self, name: str) -> None:
        try:
            self.app.desk.save_filter(name, self.filter_text)
        except HotlineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, name.strip())

    def _failed(self, message: str) -> None:
        self.query_one("#save-error", Static).update(Text(one_line(message), style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
