"""One line editor for every typed answer: exam, retest and `study --type`.

Why our own and not Python's `readline`: the exam's clock must keep counting while the
student types and must end the question at zero without a key press. `readline` blocks
inside C until Enter and redraws the line on its own, so it can neither tick a clock nor
give up at a deadline; signals and alarms around it are fragile and platform-bound. A small
editor over the raw key bytes (the same cbreak handling as `ui/keys.py`) does both, costs
no import beyond the standard library, and never echoes an escape code: keys are decoded
first and only printable text enters the line.

Three parts, the first two pure:
- `KeyDecoder` (`ui/line_keys.py`) turns bytes into key names (arrows, Home/End, Delete,
  Ctrl keys, text), swallowing any escape sequence it does not know.
- `LineBuffer` applies keys to the text, the cursor and this session's history.
- `LineEditor` reads a terminal: draws `clock + prompt + text` on one line (scrolled
  sideways when it is longer than the terminal), redraws every second when a deadline is
  given, and raises `TimeUp` at zero.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from cjstudy.ui.line_keys import (  # noqa: F401  (some only re-exported)
    BACKSPACE, DELETE, DOWN, END, ENTER, EOF, ESCAPE, HOME, KILL_END, KILL_START, KILL_WORD, LEFT, RIGHT, UP,
    WORD_LEFT, WORD_RIGHT, KeyDecoder,
)


@dataclass
class LineBuffer:
    """The text being typed, the cursor, and this session's earlier answers for ↑/↓."""

    text: str = ""
    cursor: int = 0
    history: list[str] = field(default_factory=list)
    _browse: int | None = None  # index into history while ↑/↓ is used
    _draft: str = ""  # what was typed before ↑ was first pressed

    def reset(self) -> None:
        self.text, self.cursor, self._browse, self._draft = "", 0, None, ""

    def submit(self) -> str:
        """The finished line; a non-empty one joins the history (once, most recent last)."""
        line = self.text
        if line.strip():
            if line in self.history:
                self.history.remove(line)
            self.history.append(line)
        self.reset()
        return line

    def apply(self, key: str) -> None:
        """Apply one editing key or insert text; ENTER and EOF are the caller's business."""
        text, cursor = self.text, self.cursor
        if key == LEFT:
            cursor = max(0, cursor - 1)
        elif key == RIGHT:
            cursor = min(len(text), cursor + 1)
        elif key == HOME:
            cursor = 0
        elif key == END:
            cursor = len(text)
        elif key == BACKSPACE:
            if cursor:
                text, cursor = text[:cursor - 1] + text[cursor:], cursor - 1
        elif key == DELETE:
            text = text[:cursor] + text[cursor + 1:]
        elif key == KILL_START:
            text, cursor = text[cursor:], 0
        elif key == KILL_END:
            text = text[:cursor]
        elif key == KILL_WORD:
            start = _word_start(text, cursor)
            text, cursor = text[:start] + text[cursor:], start
        elif key == WORD_LEFT:
            cursor = _word_start(text, cursor)
        elif key == WORD_RIGHT:
            cursor = _word_end(text, cursor)
        elif key in (UP, DOWN):
            self._recall(-1 if key == UP else 1)
            return
        elif key in (ENTER, EOF, ESCAPE):
            return
        else:
            insert = "".join(ch for ch in key if ch >= " " and ch != "\x7f")
            text, cursor = text[:cursor] + insert + text[cursor:], cursor + len(insert)
        self.text, self.cursor = text, cursor

    def _recall(self, step: int) -> None:
        if not self.history:
            return
        if self._browse is None:
            if step > 0:
                return
            self._draft = self.text
            index = len(self.history) - 1
        else:
            index = self._browse + step
        if index < 0:
            index = 0
        if index >= len(self.history):
            self._browse = None
            self.text = self._draft
        else:
            self._browse = index
            self.text = self.history[index]
        self.cursor = len(self.text)


def _word_start(text: str, cursor: int) -> int:
    i = cursor
    while i > 0 and text[i - 1] == " ":
        i -= 1
    while i > 0 and text[i - 1] != " ":
        i -= 1
    return i


def _word_end(text: str, cursor: int) -> int:
    i = cursor
    while i < len(text) and text[i] == " ":
        i += 1
    while i < len(text) and text[i] != " ":
        i += 1
    return i


class TimeUp(Exception):
    """The deadline passed while a line was being typed; `text` is what had been typed."""

    def __init__(self, text: str) -> None:
        super().__init__("time is up")
        self.text = text


def clock_text(seconds_left: float) -> str:
    """mm:ss (h:mm:ss from an hour), never negative; rounds up so 00:00 means really over."""
    seconds = max(0, int(-(-seconds_left // 1)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def visible_line(prompt: str, text: str, cursor: int, width: int) -> tuple[str, int]:
    """What fits on one terminal row: the prompt and a window of the text around the cursor.

    Returns the row's text and the cursor column. The line never wraps, so redrawing it with a
    carriage return is always right; a scrolled-off part is marked with "…".
    """
    from rich.cells import cell_len

    room = max(4, width - cell_len(prompt) - 1)
    if cell_len(text) <= room:
        return prompt + text, cell_len(prompt) + cell_len(text[:cursor])
    start = 0
    # Keep the cursor in view with a little context on its left.
    while cell_len(text[start:cursor]) > room - 2:
        start += 1
    shown = text[start:]
    if start:
        shown = "…" + shown[1:] if len(shown) > 1 else "…"
    while cell_len(shown) > room:
        shown = shown[:-2] + "…"
    return prompt + shown, cell_len(prompt) + cell_len(text[start:cursor])


Clock = Callable[[], datetime]


class LineEditor:
    """Read lines from a terminal with editing, history and an optional live clock.

    `out` is the text stream the terminal shows (stdout); `fd` is the terminal's input.
    The terminal is in cbreak mode (no echo, no line buffering, signals kept so Ctrl-C still
    interrupts) only while a line is read, and restored in a `finally`.
    """

    live = True  # draws its own prompt

    def __init__(self, out: IO[str], clock: Clock | None = None, fd: int | None = None,
                 width: Callable[[], int] | None = None) -> None:
        import sys

        self.out = out
        self.clock = clock
        self.fd = sys.stdin.fileno() if fd is None else fd
        self.width = width or self._terminal_width
        self.buffer = LineBuffer()
        self.decoder = KeyDecoder()
        self._ahead: list[str] = []  # keys that came after an Enter (a pasted second line)

    def _terminal_width(self) -> int:
        try:
            return os.get_terminal_size(self.out.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return 80

    def read(self, prompt: str = "> ", deadline: datetime | None = None) -> str | None:
        """One edited line; None on Ctrl-D at an empty line; TimeUp at the deadline.

        A deadline needs the clock given at construction (only the CLI reads the real one).
        """
        if deadline is not None and self.clock is None:
            raise ValueError("a deadline needs a clock")
        import select
        import termios

        decoder = self.decoder
        self.buffer.reset()
        saved = termios.tcgetattr(self.fd)
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        typed = ""
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, mode)
            self._draw(prompt, deadline)
            while True:
                timeout = self._tick(deadline)
                if timeout is not None and timeout <= 0:
                    typed = self.buffer.text
                    raise TimeUp(typed)
                if self._ahead:
                    keys, self._ahead = self._ahead, []
                else:
                    if decoder.waiting:
                        timeout = 0.05 if timeout is None else min(timeout, 0.05)
                    if select.select([self.fd], [], [], timeout)[0]:
                        data = os.read(self.fd, 1024)
                        keys = decoder.feed(data) if data else [EOF]
                    else:
                        keys = decoder.flush()
                        if not keys:  # a clock tick
                            self._draw(prompt, deadline)
                            continue
                for index, key in enumerate(keys):
                    if key == ENTER:
                        self._ahead = keys[index + 1:]
                        typed = self.buffer.text
                        return self.buffer.submit()
                    if key == EOF:
                        if not self.buffer.text:
                            self._ahead = keys[index + 1:]
                            return None
                        self.buffer.apply(DELETE)
                        continue
                    self.buffer.apply(key)
                self._draw(prompt, deadline)
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, saved)
            self._end_line(prompt, deadline, typed or self.buffer.text)

    def _now(self) -> datetime:
        assert self.clock is not None
        return self.clock()

    def _tick(self, deadline: datetime | None) -> float | None:
        """Seconds until the clock next changes (or the deadline), None without a deadline."""
        if deadline is None:
            return None
        left = (deadline - self._now()).total_seconds()
        if left <= 0:
            return 0.0
        fraction = left % 1.0
        return fraction if fraction > 0.001 else 1.0

    def _row(self, prompt: str, deadline: datetime | None) -> tuple[str, int]:
        lead = ""
        if deadline is not None:
            lead = f"{clock_text((deadline - self._now()).total_seconds())} left "
        return visible_line(lead + prompt, self.buffer.text, self.buffer.cursor, self.width())

    def _draw(self, prompt: str, deadline: datetime | None) -> None:
        row, column = self._row(prompt, deadline)
        from rich.cells import cell_len

        back = cell_len(row) - column
        self.out.write("\r" + row + "\x1b[K" + (f"\x1b[{back}D" if back > 0 else ""))
        self.out.flush()

    def _end_line(self, prompt: str, deadline: datetime | None, typed: str) -> None:
        """Leave the line as typed (the whole text, wrapped if long) and move below it."""
        lead = ""
        if deadline is not None:
            lead = f"{clock_text((deadline - self._now()).total_seconds())} left "
        self.out.write("\r\x1b[K" + lead + prompt + typed + "\n")
        self.out.flush()


class StreamLines:
    """Lines from a pipe or file (one answer per line), without editing or a live clock."""

    live = False

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def read(self, prompt: str = "> ", deadline: datetime | None = None) -> str | None:
        line = self.stream.readline()
        if not line:
            return None
        return line.rstrip("\r\n")
