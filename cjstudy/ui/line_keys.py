"""Decoding terminal input bytes into key names for the line editor (`ui/line_editor.py`).

Pure: bytes in, names out. Arrows, Home/End, Delete and Ctrl keys get names; printable text
is passed on as itself; every other escape sequence (F-keys, mouse reports, paste markers)
decodes to nothing, so no escape code can ever reach a typed answer.
"""

from __future__ import annotations

import codecs

# Key names besides printable text (which is passed on as itself, possibly several chars).
LEFT, RIGHT, UP, DOWN = "left", "right", "up", "down"
HOME, END, DELETE, BACKSPACE = "home", "end", "delete", "backspace"
ENTER, EOF, ESCAPE = "enter", "eof", "escape"
KILL_START, KILL_END, KILL_WORD = "kill-start", "kill-end", "kill-word"
WORD_LEFT, WORD_RIGHT = "word-left", "word-right"

_CONTROL = {
    "\r": ENTER, "\n": ENTER, "\x7f": BACKSPACE, "\x08": BACKSPACE, "\x04": EOF,
    "\x01": HOME, "\x05": END, "\x02": LEFT, "\x06": RIGHT, "\x10": UP, "\x0e": DOWN,
    "\x15": KILL_START, "\x0b": KILL_END, "\x17": KILL_WORD,
}
# Final part of CSI (ESC [) and SS3 (ESC O) sequences, after any numeric parameters.
_CSI_FINAL = {"A": UP, "B": DOWN, "C": RIGHT, "D": LEFT, "H": HOME, "F": END}
_CSI_TILDE = {"1": HOME, "7": HOME, "4": END, "8": END, "3": DELETE}


def _csi_key(params: str, final: str) -> str | None:
    if final == "~":
        return _CSI_TILDE.get(params.split(";")[0])
    key = _CSI_FINAL.get(final)
    if key in (LEFT, RIGHT) and params.endswith(("5", "3")):  # Ctrl/Alt + arrow: a word
        return WORD_LEFT if key == LEFT else WORD_RIGHT
    return key


class KeyDecoder:
    """Bytes in, key names out; an escape sequence split across reads is kept until complete.

    Unknown sequences (F-keys, mouse reports, bracketed-paste markers) decode to nothing, so
    no escape code ever reaches the line.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> list[str]:
        return self.feed_text(self._utf8.decode(data))

    def feed_text(self, text: str) -> list[str]:
        keys: list[str] = []
        chars = self._pending + text
        self._pending = ""
        i = 0
        plain = ""
        while i < len(chars):
            char = chars[i]
            if char == "\x1b":
                used, key = _escape(chars, i)
                if used == 0:  # incomplete: wait for more bytes
                    self._pending = chars[i:]
                    break
                if plain:
                    keys.append(plain)
                    plain = ""
                if key:
                    keys.append(key)
                i += used
                continue
            if char in _CONTROL or char == "\x03":
                if plain:
                    keys.append(plain)
                    plain = ""
                if char == "\x03":
                    raise KeyboardInterrupt
                keys.append(_CONTROL[char])
            elif char == "\t":
                plain += " "
            elif char >= " ":
                plain += char
            # other control characters are dropped
            i += 1
        if plain:
            keys.append(plain)
        return keys

    @property
    def waiting(self) -> bool:
        """Part of an escape sequence is waiting for its end."""
        return bool(self._pending)

    def flush(self) -> list[str]:
        """No more bytes came after a lone ESC: it was the Escape key (which edits nothing)."""
        if not self._pending:
            return []
        pending, self._pending = self._pending, ""
        keys = [ESCAPE]
        rest = pending[1:]
        if rest.startswith(("[", "O")):  # a cut-off sequence: drop it whole
            return keys
        return keys + self.feed_text(rest)


def _escape(chars: str, start: int) -> tuple[int, str | None]:
    """(characters used, key) for the sequence at `start`; (0, None) when it is incomplete."""
    if start + 1 >= len(chars):
        return 0, None
    second = chars[start + 1]
    if second in "[O":
        j = start + 2
        while j < len(chars) and (chars[j].isdigit() or chars[j] in ";?<>="):
            j += 1
        if j >= len(chars):
            return 0, None
        final = chars[j]
        params = chars[start + 2:j]
        if second == "[" and params == "200" and final == "~":
            return j - start + 1, None  # bracketed paste start: ignore the marker, keep the text
        return j - start + 1, _csi_key(params, final)
    if second in "bB":
        return 2, WORD_LEFT  # Alt-b
    if second in "fF":
        return 2, WORD_RIGHT  # Alt-f
    if second in "\x7f\x08":
        return 2, KILL_WORD  # Alt-Backspace
    return 2, None  # Alt + something else: ignored
