"""Shell completion of deck ids, card addresses and tags (`cjstudy --install-completion`).

Each function runs inside the shell's completion call: it reads the decks through the deck
cache (no store, no network), prints nothing, and returns nothing rather than fail, because
a traceback in the middle of a half-typed command line helps nobody.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cjstudy.model import Deck


def _decks(ctx: Any = None) -> "list[Deck]":
    try:
        from cjstudy.deck import load_deck_set
        from cjstudy.paths import bundled_decks_dir, deck_cache_dir, extra_deck_dirs

        extra: list[Path] = []
        while ctx is not None:  # --decks given to the command or before it
            extra += [Path(p) for p in (ctx.params.get("decks") or [])]
            ctx = ctx.parent
        folders = [f for f in extra_deck_dirs(extra, os.environ) if f.is_dir()]
        return load_deck_set(bundled_decks_dir(), folders, deck_cache_dir(os.environ), skip_broken=True).decks
    except Exception:  # noqa: BLE001  (completion must never break the shell)
        return []


def complete_deck_id(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Deck ids, each with its title as the shell's description."""
    return [(d.id, d.title) for d in _decks(ctx) if d.id.startswith(incomplete)]


def complete_tag(ctx: Any, incomplete: str) -> list[str]:
    """Tags of the chosen decks (all decks when no --deck is given yet)."""
    chosen = set(ctx.params.get("deck") or []) if ctx is not None else set()
    tags = {t for d in _decks(ctx) if not chosen or d.id in chosen for c in d.cards for t in c.tags}
    return sorted(t for t in tags if t.startswith(incomplete))


def complete_address(ctx: Any, incomplete: str) -> list[str]:
    """`deck/card` and `deck/card@variant`: deck ids first, then the cards of the typed deck."""
    decks = _decks(ctx)
    if "/" not in incomplete:
        return [f"{d.id}/" for d in decks if d.id.startswith(incomplete)]
    deck_id = incomplete.split("/", 1)[0]
    return [c.key.address for d in decks if d.id == deck_id for c in d.cards
            if c.key.address.startswith(incomplete)]


def complete_card_of_deck(ctx: Any, incomplete: str) -> list[str]:
    """Card ids (and `card@variant`) of the deck given before it (`cjstudy show DECK CARD`)."""
    deck_id = ctx.params.get("deck_id") if ctx is not None else None
    found = []
    for deck in _decks(ctx):
        if deck.id == deck_id:
            for card in deck.cards:
                name = card.key.card + (f"@{card.key.variant}" if card.key.variant else "")
                if name.startswith(incomplete):
                    found.append(name)
    return found
