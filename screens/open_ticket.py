"""Opening a ticket in F4 from another area, and the way back: Esc on F4 returns to the area (and the place
in its list) the ticket was opened from."""

from __future__ import annotations


def open_in_ticket_area(app, number: str, back_to: str | None = None) -> None:
    """Switch to F4 and open ``number`` there, as if typed into its number box; ``back_to`` is the mode Esc
    on F4 goes back to (None: Esc stays on F4)."""
    app.switch_mode("ticket")

    def open_it() -> None:
        for screen in reversed(app.screen_stack):
            if hasattr(screen, "open_ticket"):
                screen.back_to = back_to
                screen.open_ticket(number)
                return

    app.call_later(open_it)
