"""Fields that keep a fast typist's keys in order when focus moves on.

Textual hands each key to the widget focused when the key is read, through that widget's queue. When an
operator types ``13805321234⏎⏎1zd`` in one burst, the keys after the first Enter are already queued for
the number box before Enter has moved focus on, and would land in the wrong field. These widgets act on
Enter at once (not through a binding that runs later) and pass any key that reaches them after they have
lost focus on to the widget that has it now, in the order typed.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea


def pass_on(widget, event: events.Key) -> bool:
    """Send ``event`` to the focused widget if that is no longer ``widget``; True when it was passed on."""
    app = widget.app
    focused = app.focused
    if focused is None or focused is widget or widget.screen is not app.screen:
        return False
    event.stop()
    event.prevent_default()
    focused._forward_event(events.Key(event.key, event.character))
    return True


class FormInput(Input):
    """A one-line field; Enter calls the screen's ``field_entered(input)`` straight away."""

    async def _on_key(self, event: events.Key) -> None:
        if pass_on(self, event):
            return
        if event.key == "enter":
            handler = getattr(self.screen, "field_entered", None)
            if handler is not None:
                event.stop()
                event.prevent_default()
                handler(self)
                return
        await super()._on_key(event)


class FormTextArea(TextArea):
    """A multi-line field that passes on keys that reach it after focus moved elsewhere."""

    async def _on_key(self, event: events.Key) -> None:
        if pass_on(self, event):
            return
        await super()._on_key(event)
