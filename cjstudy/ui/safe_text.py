"""Text from files, packages and students, made safe to print: no control characters.

Kept apart from `ui/console.py` so that plain `echo` lines can use it without importing Rich.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 (ESC, BEL, CR, backspace, CSI …).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters: an escape code from a deck, a package, a CSV cell or
    the student's own input is shown as its harmless remainder (`[2J`), never obeyed."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text
