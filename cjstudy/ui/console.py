"""One place that decides how the terminal is driven (width, colour, NO_COLOR), and the
guarantee that nothing we print can drive it but us."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from cjstudy.ui.safe_text import printable

class SafeConsole(Console):
    """A Console that strips control characters from every piece of text it writes, so no
    renderable, wherever its text came from, can emit an escape code. Rich's own control
    segments (colour, cursor moves of a live display) pass untouched."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(printable(segment.text), segment.style, segment.control)
            for segment in buffer
        )

READING_WIDTH = 100  # text wider than this is hard to read: wide terminals get 100 columns


def make_console(stderr: bool = False) -> Console:
    """Rich already honours NO_COLOR and COLUMNS; highlighting of numbers etc. is off for calm text.

    The width follows the terminal up to `READING_WIDTH` columns."""
    console = SafeConsole(stderr=stderr, highlight=False, soft_wrap=False)
    if console.width > READING_WIDTH:
        console.width = READING_WIDTH
    return console
