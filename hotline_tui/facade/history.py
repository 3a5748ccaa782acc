"""What intake needs to know while the caller talks: their earlier requests and similar open ones."""

from __future__ import annotations


class HistoryPart:
    """Mixed into ``services.Desk``."""
