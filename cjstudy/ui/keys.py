"""Reading single keys without Enter, and a scripted stand-in so the study loop can be tested.

The terminal is put in cbreak mode only for the moment one key is read and restored right
after (in a `finally`), so a crash, a Ctrl-C or a SIGKILL between keys never leaves the
user's terminal without echo. Modes are switched with TCSANOW, not the default TCSAFLUSH,
so keys typed ahead (a quick "space 3 space 3", or a pty test) are not thrown away.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Protocol

# Names for keys that are not printable characters.
ENTER = "enter"
SPACE = "space"
ESCAPE = "escape"
BACKSPACE = "backspace"
EOF = "eof"  # Ctrl-D or a closed input

_NAMED = {"\r": ENTER, "\n": ENTER, " ": SPACE, "\x1b": ESCAPE, "\x7f": BACKSPACE, "\x08": BACKSPACE,
          "\x04": EOF}


class KeySource(Protocol):
    """Where the study loop gets its input: one key at a time, or one typed line."""

    def read_key(self) -> str:
        """One key: a printable character as itself, or ENTER, SPACE, ESCAPE, BACKSPACE, EOF."""
        ...

    def read_line(self, prompt: str) -> str:
        """A whole line typed with the usual line editing; raises EOFError on Ctrl-D."""
        ...


def key_name(char: str) -> str:
    """The name the loop uses for one character read from the terminal."""
    if char == "\x03":
        raise KeyboardInterrupt
    return _NAMED.get(char, char)


class TerminalKeys:
    """Keys straight from a terminal on `fd` (stdin by default)."""

    def __init__(self, fd: int | None = None) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._editor = None  # the line editor, made on first use; it keeps this session's history

    def read_key(self) -> str:
        import termios

        saved = termios.tcgetattr(self.fd)
        raw = termios.tcgetattr(self.fd)
        raw[3] &= ~(termios.ECHO | termios.ICANON)  # lflag: no echo, no line buffering; ISIG stays
        raw[6][termios.VMIN] = 1
        raw[6][termios.VTIME] = 0
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, raw)
            return key_name(self._read_char())
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, saved)

    def _read_char(self) -> str:
        """One UTF-8 character (Dutch keyboards send é as two bytes); escape sequences collapse to ESC."""
        first = os.read(self.fd, 1)
        if not first:
            return "\x04"
        if first == b"\x1b":
            self._drain_escape_sequence()
            return "\x1b"
        needed = _utf8_length(first[0])
        data = first
        while len(data) < needed:
            more = os.read(self.fd, 1)
            if not more:
                break
            data += more
        return data.decode("utf-8", errors="replace")

    def _drain_escape_sequence(self) -> None:
        """Arrow and function keys send ESC [ …; swallow the rest so it is not read as keys."""
        import select

        while select.select([self.fd], [], [], 0.03)[0]:
            if not os.read(self.fd, 1):
                return

    def read_line(self, prompt: str) -> str:
        """A line from the shared editor (`ui/line_editor.py`): arrows, Home/End, ↑ for earlier lines."""
        from cjstudy.ui.line_editor import LineEditor

        if self._editor is None:
            self._editor = LineEditor(sys.stdout, fd=self.fd)
        line = self._editor.read(prompt)
        if line is None:
            raise EOFError
        return line

    def discard_pending(self) -> None:
        """Forget keys already typed or pasted but not yet read: after a typed answer, the rest
        of a multi-line paste is text, never a rating or a command (`s` must not bury)."""
        import termios

        if self._editor is not None:
            self._editor._ahead = []
        try:
            termios.tcflush(self.fd, termios.TCIFLUSH)
        except termios.error:
            pass

    def wait(self, seconds: float) -> str | None:
        """Sleep up to `seconds` with keys unechoed and swallowed; return early with q or EOF.

        Used while a learning card is not yet due: keys pressed during the wait must neither
        scribble on the screen nor stay buffered to answer the next card unseen.
        """
        import select
        import termios
        import time

        deadline = time.monotonic() + seconds
        saved = termios.tcgetattr(self.fd)
        quiet = termios.tcgetattr(self.fd)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)
        quiet[6][termios.VMIN] = 1
        quiet[6][termios.VTIME] = 0
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, quiet)
            while (left := deadline - time.monotonic()) > 0:
                if not select.select([self.fd], [], [], left)[0]:
                    break
                key = key_name(self._read_char())
                if key in ("q", "Q", EOF):
                    return key
            return None
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, saved)


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if lead >> 5 == 0b110:
        return 2
    if lead >> 4 == 0b1110:
        return 3
    if lead >> 3 == 0b11110:
        return 4
    return 1


class KeysExhausted(RuntimeError):
    """A scripted test ran out of keys: the loop asked for more input than the script gave."""


class ScriptedKeys:
    """Keys and lines given in advance, for tests; `read_line` takes the next entry whole.

    Entries are key names ("space", "enter", "3", "u", "q") or, where a line is asked for,
    the line's text. `ScriptedKeys.typed("…")` is only for readability in tests.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = list(entries)
        self.position = 0
        self.prompts: list[str] = []

    def _next(self) -> str:
        if self.position >= len(self.entries):
            raise KeysExhausted(f"script ran out after {self.position} entries")
        entry = self.entries[self.position]
        self.position += 1
        return entry

    def read_key(self) -> str:
        entry = self._next()
        if entry == "ctrl-c":
            raise KeyboardInterrupt
        return _NAMED.get(entry, entry) if len(entry) == 1 else entry

    def read_line(self, prompt: str) -> str:
        self.prompts.append(prompt)
        entry = self._next()
        if entry == EOF:
            raise EOFError
        if entry == "ctrl-c":
            raise KeyboardInterrupt
        return entry

    @property
    def remaining(self) -> int:
        return len(self.entries) - self.position
