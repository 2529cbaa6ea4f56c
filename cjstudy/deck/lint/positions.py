"""Where the keys sit: a deck whose correct options all share one position can be passed blind.

Options may be shuffled when a card is shown, but exports, printouts and `cjstudy show` keep the
order written in the file, so the file itself should not teach "always pick a)".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cjstudy.deck.lint.rules import CardInput

MIN_CHOICE_CARDS = 3  # below this a shared position is chance
MAX_SHARE = 2 / 3  # from SHARE_FROM cards on, at most this share of keys in one position
SHARE_FROM = 6


def key_index(card: CardInput) -> int:
    """The position of the first correct option (0 = a)."""
    keys = {a.casefold() for a in card.note.answers}
    return next((i for i, o in enumerate(card.note.options) if o.casefold() in keys), 0)


def crowded_position(cards: list[CardInput]) -> Iterator[tuple[CardInput, str]]:
    """At most one finding per deck: the first card whose key sits in the crowded position."""
    choice = [c for c in cards if c.note.type == "choice" and c.note.answers]
    if len(choice) < MIN_CHOICE_CARDS:
        return
    counts = Counter(key_index(c) for c in choice)
    position, count = counts.most_common(1)[0]
    crowded = count == len(choice) or (len(choice) >= SHARE_FROM and count / len(choice) > MAX_SHARE)
    if not crowded:
        return
    letter = chr(ord("a") + position)
    first = next(c for c in choice if key_index(c) == position)
    yield first, (f"the key is option {letter}) on {count} of {len(choice)} choice cards in this deck; "
                  "put keys in varied positions so that always picking one letter does not pass")
