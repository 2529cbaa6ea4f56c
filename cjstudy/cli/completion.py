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


def complete_exam_types(ctx: Any, incomplete: str) -> list[str]:
    """Question kinds for `exam --types` (after a comma, the next kind of the list)."""
    from cjstudy.exam.questions import KINDS

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + kind for kind in KINDS if kind.startswith(last) and kind not in done.split(",")]


# What each parameter completes, by the parameter's name in the command function: one table
# for every command, so a new command with a `deck` option completes deck ids without more code.
BY_NAME = {
    "deck": complete_deck_id,
    "deck_id": complete_deck_id,
    "tag": complete_tag,
    "types": complete_exam_types,
    "address": complete_address,
    "card_id": complete_card_of_deck,
}


def attach_completion(command: Any) -> None:
    """Give the command's parameters named in BY_NAME their completion (unless they have one)."""
    for param in getattr(command, "params", []):
        function = BY_NAME.get(param.name or "")
        if function is None or getattr(param, "_custom_shell_complete", None) is not None:
            continue
        if param.name == "deck_id" and getattr(command, "name", "") == "new":
            continue  # `new DECK-ID` names a deck that does not exist yet

        def complete(ctx: Any, _param: Any, incomplete: str, function: Any = function) -> list[Any]:
            from typer._click.shell_completion import CompletionItem

            items = []
            for found in function(ctx, incomplete):
                value, help_text = found if isinstance(found, tuple) else (found, None)
                items.append(CompletionItem(value, help=help_text))
            return items

        param._custom_shell_complete = complete
