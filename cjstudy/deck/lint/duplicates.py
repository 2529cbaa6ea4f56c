"""Near-duplicate cards across decks: the same fact asked twice is studied twice and counted twice."""

from __future__ import annotations

from collections.abc import Iterator

from cjstudy.deck.cloze import rebuild
from cjstudy.deck.lint import words as w
from cjstudy.deck.lint.rules import CardInput
from cjstudy.model import Note

SIMILARITY = 0.75  # Jaccard overlap of content words
MIN_WORDS = 4


def fingerprint(note: Note, language: str) -> frozenset[str]:
    """The content words of what a card asks and what it expects."""
    if note.type == "basic":
        text = f"{note.front} {note.back}"
    elif note.type == "cloze":
        text = rebuild(note.text, lambda gap: gap.answer)
    elif note.type == "choice":
        text = " ".join((note.prompt, *note.answers))
    else:
        text = " ".join((note.prompt, *note.items))
    return frozenset(w.content_stems(text.replace("|", " "), language))


def near_duplicates(cards: list[tuple[str, CardInput]]) -> Iterator[tuple[int, int, float]]:
    """Pairs (later, earlier, similarity) of cards in different decks that say nearly the same."""
    prints = [fingerprint(card.note, card.language) for _, card in cards]
    for j in range(len(cards)):
        if len(prints[j]) < MIN_WORDS:
            continue
        for i in range(j):
            if cards[i][0] == cards[j][0] or len(prints[i]) < MIN_WORDS:
                continue
            union = len(prints[i] | prints[j])
            score = len(prints[i] & prints[j]) / union
            if score >= SIMILARITY:
                yield j, i, score
