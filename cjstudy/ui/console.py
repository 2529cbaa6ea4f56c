"""One place that decides how the terminal is driven (width, colour, NO_COLOR)."""

from __future__ import annotations

from rich.console import Console


def make_console(stderr: bool = False) -> Console:
    """Rich already honours NO_COLOR and COLUMNS; highlighting of numbers etc. is off for calm text."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)
