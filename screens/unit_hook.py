"""The hook where the unit picker (screens/lookup.py, built separately) plugs into forms.

When ``screens.lookup`` provides ``UnitPicker`` — a ``ModalScreen[str | None]`` returning a unit code —
``open_unit_picker`` pushes it; until then it returns False and the form asks for a code.
"""

from __future__ import annotations

from collections.abc import Callable


def open_unit_picker(app, chosen: Callable[[str | None], None]) -> bool:
    try:
        from screens.lookup import UnitPicker  # type: ignore[attr-defined]
    except ImportError:
        return False
    app.push_screen(UnitPicker(), chosen)
    return True
