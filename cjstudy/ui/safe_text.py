"""Text from files, packages and students, made safe to print: no control characters.

Kept apart from `ui/console.py` so that plain `echo` lines can use it without importing Rich.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 (ESC, BEL, CR, backspace, CSI …).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# A colour or style (SGR) sequence, as `typer.style` makes: it cannot move the cursor,
# clear the screen or set a title.
_STYLE = re.compile("\x1b\\[[0-9;]*m")


def printable(text: str, keep_style: bool = False) -> str:
    """`text` without control characters: an escape code from a deck, a package, a CSV cell or
    the student's own input is shown as its harmless remainder (`[2J`), never obeyed. With
    `keep_style`, colour and style sequences stay (a line the program styled itself)."""
    if not _CONTROL.search(text):
        return text
    if not keep_style:
        return _CONTROL.sub("", text)
    pieces, done = [], 0
    for match in _STYLE.finditer(text):
        pieces.append(_CONTROL.sub("", text[done:match.start()]))
        pieces.append(match.group())
        done = match.end()
    pieces.append(_CONTROL.sub("", text[done:]))
    return "".join(pieces)
