"""Images and sounds on cards: find the files a card references and open one with the system viewer.

The opener is injected (tests pass a recorder; the screens pass `system_opener()`), so nothing
here starts a program by itself. Wiring a key to `open_first` is up to each screen.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cjstudy.deck.media import MediaRef, find_refs, resolve
from cjstudy.model import Card

Opener = Callable[[Path], None]


def card_refs(card: Card, *, answer: bool = True) -> list[MediaRef]:
    """References on the question side, then (with `answer`) the answer and explanation."""
    texts = [card.question] + ([card.shown_answer, card.explanation or ""] if answer else [])
    seen: dict[str, MediaRef] = {}
    for text in texts:
        for ref in find_refs(text):
            seen.setdefault(ref.path, ref)
    return list(seen.values())


def media_files(card: Card, deck_folder: Path, *, answer: bool = True) -> list[Path]:
    """The existing files a card references, inside its deck folder only."""
    found = []
    for ref in card_refs(card, answer=answer):
        target = resolve(deck_folder, ref.path)
        if target is not None and target.is_file():
            found.append(target)
    return found


def open_first(card: Card, deck_folder: Path, opener: Opener, *, answer: bool = True) -> str:
    """Open the card's first media file; the line to show the student either way."""
    files = media_files(card, deck_folder, answer=answer)
    if not files:
        return "no image or sound on this card"
    try:
        opener(files[0])
    except OSError as error:
        return f"could not open {files[0].name}: {error.strerror or error}"
    more = f" ({len(files) - 1} more on this card)" if len(files) > 1 else ""
    return f"opened {files[0].name}{more}"


def system_opener() -> Opener:
    """The platform's viewer: `open` on macOS, `os.startfile` on Windows, `xdg-open` elsewhere."""
    if sys.platform == "win32":
        import os

        return lambda path: os.startfile(str(path))  # type: ignore[attr-defined]
    command = "open" if sys.platform == "darwin" else "xdg-open"

    def run(path: Path) -> None:
        subprocess.Popen([command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)

    return run
