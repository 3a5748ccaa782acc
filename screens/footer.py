"""The desk's footer: every key with its whole label, flowing onto as many rows as the terminal allows.

Labels are never cut. When the keys do not all fit (an 80×24 terminal, F4's two dozen actions), the
footer keeps, in this order: F1 (whose panel lists every key, and which then says how many it holds),
the keys that can be used now, the desk's own keys (quit, sync, commands), and last the dimmed keys that
the state or role does not allow; once a key does not fit, no key of a later kind takes the room left.
Kept keys stay in their usual order. Two rows under 30 terminal lines,
four from 30.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
TALL_LINES = 30  # from this many terminal lines the footer may take four rows instead of two


@dataclass(frozen=True)
class FooterItem:
    key: str
    display: str
    label: str
    action: str
    enabled: bool = True
    tooltip: str = ""
    rank: int = 1  # 0 F1 help, 1 usable now, 2 the desk's own keys, 3 dimmed

    @property
    def width(self) -> int:
        return cell_len(self.display) + (1 + cell_len(self.label) if self.label else 0)


def more_label(label: str, hidden: int) -> str:
    return f"{label} (另{hidden}键)" if hidden else label


def flow(items: list[FooterItem], width: int, gap: int) -> list[list[FooterItem]]:
    rows: list[list[FooterItem]] = []
    used = width + 1  # start a row at the first item
    for item in items:
        need = item.width if used > width else gap + item.width
        if used + need > width:
            rows.append([])
            used, need = 0, item.width
        rows[-1].append(item)
        used += need
    return rows


def plan(items: list[FooterItem], width: int, max_rows: int, gap: int = 1) -> list[list[FooterItem]]:
    """The rows to show: as many items as fit in ``max_rows`` rows of ``width`` cells, by rank, in order."""
    if not items or width <= 0:
        return []
    order = {id(item): i for i, item in enumerate(items)}
    kept: list[FooterItem] = []
    full_at = None  # the rank at which the first item did not fit: later ranks do not get the leftovers
    for item in sorted(items, key=lambda it: (it.rank, order[id(it)])):
        if full_at is not None and item.rank > full_at:
            break
        trial = sorted(kept + [item], key=lambda it: order[id(it)])
        if len(flow(_with_count(trial, len(items)), width, gap)) <= max_rows:
            kept = trial
        elif full_at is None:
            full_at = item.rank
    return flow(_with_count(kept, len(items)), width, gap)


def _with_count(kept: list[FooterItem], total: int) -> list[FooterItem]:
    hidden = total - len(kept)
    return [replace(it, label=more_label(it.label, hidden)) if it.action == HELP_ACTION else it for it in kept]


class DeskFooter(Footer):
    """Textual's footer, laid out by ``plan`` instead of one clipped line or a grid of clipped cells."""

    DEFAULT_CSS = """
    DeskFooter { layout: vertical; height: auto; max-height: 4; }
    DeskFooter > HorizontalGroup { height: 1; width: 1fr; }
    DeskFooter FooterKey { margin-right: 1; }
    DeskFooter.-roomy FooterKey { margin-right: 2; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(compact=True, show_command_palette=False, **kw)
        self._planned_for = (0, 0)

    def items(self) -> list[FooterItem]:
        """One item per action shown in the footer (its first key), as Textual's footer has them."""
        seen: set[str] = set()
        out = []
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            rank = 0 if binding.action == HELP_ACTION else 3 if not enabled else 2 if node is self.app else 1
            out.append(FooterItem(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                                  enabled, tooltip or binding.description, rank))
        return out

    def _room(self) -> tuple[int, int]:
        width = self.size.width or self.screen.size.width or self.app.size.width
        return width, 2 if self.app.size.height < TALL_LINES else 4

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width, rows = self._room()
        self._planned_for = (width, rows)
        roomy = width >= 100
        self.set_class(roomy, "-roomy")
        for row in plan(self.items(), width, rows, gap=2 if roomy else 1):
            with HorizontalGroup():
                for item in row:
                    yield FooterKey(item.key, item.display, item.label, item.action, disabled=not item.enabled,
                                    tooltip=item.tooltip).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if self._bindings_ready and self._room() != self._planned_for:
            self.call_after_refresh(self.recompose)
