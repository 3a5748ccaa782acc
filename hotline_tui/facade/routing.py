"""Routing suggestions for a new request (which units, and why)."""

from __future__ import annotations


class RoutingPart:
    """Mixed into ``services.Desk``."""
