"""A unit's tickets and this desk's use of units, for the lookup screen."""

from __future__ import annotations


class UnitsPart:
    """Mixed into ``services.Desk``."""
