"""What several commands share: the `--decks` option, loading decks, opening the store, the clock."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from cjstudy.deck import DeckSet

DECKS_OPTION_HELP = "Extra folder of deck files (repeatable; also CJSTUDY_DECKS)."


def decks_option() -> Optional[list[Path]]:
    return typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR")


def now() -> datetime:
    """The real clock: only the CLI layer reads it."""
    return datetime.now(timezone.utc)


def user_deck_dirs(extra: Optional[list[Path]]) -> list[Path]:
    """Deck folders beyond the bundled ones: global and per-command `--decks`, then `CJSTUDY_DECKS`."""
    from cjstudy.paths import extra_deck_dirs

    from cjstudy.cli.app import GLOBAL_OPTIONS

    return extra_deck_dirs(GLOBAL_OPTIONS["decks"] + list(extra or []), os.environ)


def load_decks(extra: Optional[list[Path]]) -> "DeckSet":
    """Bundled decks plus user folders; any deck error aborts with every problem and its position."""
    from cjstudy.deck import load_deck_set
    from cjstudy.paths import bundled_decks_dir, deck_cache_dir

    return load_deck_set(bundled_decks_dir(), user_deck_dirs(extra), deck_cache_dir(os.environ))
