"""hotline_tui: a keyboard-driven terminal desk for a city's 12345 government-service hotline.

Importing this package must stay cheap: the desk's first frame depends on it.
"""

__version__ = "0.1.0"
