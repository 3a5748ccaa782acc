"""F2's part in the shadow shift (接线体悟): the draft the cadre beside the operator sees, and 我当接线员.

``LiveDraft`` publishes the form as it is (masked number, nature, category, place, a summary; the facade does
the masking and writes only while a cadre's shift is beside this operator) a moment after the typing pauses,
from a worker; it is cleared on save or when the form is emptied. ``Taking`` is the state of a call the cadre
takes on this screen with the operator's confirmation: a banner above the form, and the save records both.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.text import Text
from textual.widgets import Static

from screens.text import one_line

PUBLISH_AFTER_S = 0.5


class LiveDraft:
    """Owned by the intake screen: ``changed()`` on every edit, ``cleared()`` when the form empties."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self._timer = None

    def changed(self) -> None:
        if self.screen.desk is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(PUBLISH_AFTER_S, self._publish)

    def cleared(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        desk = self.screen.desk
        if desk is not None:
            self.screen.run_worker(lambda: _quietly(desk.clear_live_draft), thread=True, group="intake-live",
                                   exclusive=True)

    def _publish(self) -> None:
        self._timer = None
        desk = self.screen.desk
        if desk is None:
            return
        values: dict[str, Any] = asdict(self.screen.values)
        self.screen.run_worker(lambda: _quietly(desk.publish_live_draft, values), thread=True, group="intake-live",
                               exclusive=True)


def _quietly(call, *args) -> None:
    """What the cadre sees must never get in the way of the call being taken: a failure is dropped."""
    try:
        call(*args)
    except Exception:
        pass


def taking_text(shift: dict[str, Any]) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(" 我当接线员 ", style="bold reverse")
    out.append(f" {one_line(shift['cadre'])} 接听 · 接线员 {one_line(shift['operator'])} 已确认 · 保存时记录双方",
               style="bold")
    out.append("   ctrl+n 两次 取消", style="dim")
    return out


class Taking:
    """The call the cadre is taking on this screen (None: an ordinary call)."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.shift: dict[str, Any] | None = None

    @property
    def taken_by(self) -> str | None:
        return self.shift["cadre"] if self.shift else None

    def start(self, shift: dict[str, Any]) -> None:
        self.stop()
        self.shift = shift
        banner = Static(taking_text(shift), id="intake-taking")
        self.screen.query_one("#intake-body").mount(banner, before=0)

    def stop(self) -> None:
        self.shift = None
        for banner in self.screen.query("#intake-taking"):
            banner.remove()
