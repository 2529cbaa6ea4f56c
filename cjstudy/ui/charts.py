"""Small terminal charts: a column chart of daily counts and a one-line sparkline.

Drawn with the eight block characters (▁▂▃▄▅▆▇█), so a chart reads the same with NO_COLOR
(colour is only a style on top) and fits 80 columns: 30 days take 60 columns plus the axis.
Renderables with `__rich_console__`, so they adapt to the width Rich gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions
from rich.text import Text

EIGHTHS = " ▁▂▃▄▅▆▇█"


def _levels(values: Sequence[float], rows: int) -> list[int]:
    """Each value as a height in eighths of a row; any value above zero shows at least one eighth."""
    top = max(values, default=0)
    if top <= 0:
        return [0 for _ in values]
    return [max(1, round(v / top * rows * 8)) if v > 0 else 0 for v in values]


def sparkline(values: Sequence[float]) -> str:
    """One line of blocks, one per value, scaled to the largest."""
    return "".join(EIGHTHS[level] for level in _levels(values, 1))


@dataclass
class ColumnChart:
    """Vertical bars for a series (e.g. reviews per day), with the maximum on the axis.

    `first_label` / `last_label` name the ends of the x axis ("30 days ago", "today").
    """

    values: Sequence[float]
    title: str = ""
    first_label: str = ""
    last_label: str = ""
    height: int = 6
    style: str = "cyan"

    def lines(self, width: int = 80) -> list[Text]:
        values = list(self.values)
        top = max(values, default=0)
        axis = max(len(_number(top)), 1)
        room = width - axis - 2
        step = 2 if len(values) * 2 <= room else 1  # a gap between bars when there is room
        if len(values) * step > room and room > 0:
            values = values[-room:]  # too narrow: keep the newest
        levels = _levels(values, self.height)
        out: list[Text] = []
        if self.title:
            out.append(Text(self.title, style="bold"))
        for row in range(self.height - 1, -1, -1):
            label = "0" if row == 0 else (_number(top) if row == self.height - 1 and top > 0 else "")
            line = Text(f"{label:>{axis}} │", style="dim")
            bars = "".join(EIGHTHS[min(max(level - row * 8, 0), 8)] + " " * (step - 1) for level in levels)
            line.append(bars.rstrip(), style=self.style)
            out.append(line)
        span = len(values) * step
        out.append(Text(" " * axis + " └" + "─" * max(span, 1), style="dim"))
        if self.first_label or self.last_label:
            gap = max(span - len(self.first_label) - len(self.last_label), 1)
            out.append(Text(" " * (axis + 2) + self.first_label + " " * gap + self.last_label, style="dim"))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield from self.lines(options.max_width)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) and not value.is_integer() else str(int(value))
