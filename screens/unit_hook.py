"""Where the unit picker (screens/lookup.py) plugs into forms: one call, so every form picks alike."""

from __future__ import annotations

from collections.abc import Callable


def open_unit_picker(app, chosen: Callable[[str | None], None], query: str = "") -> bool:
    """Push the picker, started on ``query`` (what the field already holds); ``chosen`` gets the code or None."""
    from screens.lookup import UnitPicker

    app.push_screen(UnitPicker(query=query), chosen)
    return True
