"""One place that decides how the terminal is driven (width, colour, NO_COLOR)."""

from __future__ import annotations

from rich.console import Console

READING_WIDTH = 100  # text wider than this is hard to read: wide terminals get 100 columns


def make_console(stderr: bool = False) -> Console:
    """Rich already honours NO_COLOR and COLUMNS; highlighting of numbers etc. is off for calm text.

    The width follows the terminal up to `READING_WIDTH` columns."""
    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if console.width > READING_WIDTH:
        console.width = READING_WIDTH
    return console
