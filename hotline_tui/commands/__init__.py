"""Command groups of the ``hotline`` command line; see ``hotline_tui.cli``."""
