"""Sync with the hub from the desk (the F9 key) as plain calls."""

from __future__ import annotations


class SyncPart:
    """Mixed into ``services.Desk``."""
