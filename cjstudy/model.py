"""The data every layer shares: decks, notes, study cards, memory state, reviews.

Plain frozen dataclasses with no behaviour beyond small derived properties, so every layer
can pass them around without importing anything heavier than the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

CARD_TYPES = ("basic", "cloze", "list", "sequence", "choice")
LANGUAGES = ("en", "nl", "und")  # und: undetermined (imported decks in other languages)


class Rating(IntEnum):
    """The four self-ratings, numbered as the keys that give them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True, order=True)
class CardKey:
    """A study card's identity: progress is stored against this, never against the text."""

    deck: str
    card: str
    variant: str = ""  # "" | "reverse" | "c1", "c2", ...

    @property
    def address(self) -> str:
        """`deck/card` or `deck/card@variant`, the form `cjstudy grade` and `show` accept."""
        base = f"{self.deck}/{self.card}"
        return f"{base}@{self.variant}" if self.variant else base


@dataclass(frozen=True)
class ClozeGap:
    number: int  # the N of cN
    answer: str
    hint: str | None = None


@dataclass(frozen=True)
class Note:
    """One card entry as the instructor wrote it in the YAML file."""

    id: str
    type: str
    line: int = 0
    explicit_id: bool = True
    front: str = ""
    back: str = ""
    answer: str | None = None
    accept: tuple[str, ...] = ()
    reverse: bool = False
    text: str = ""
    prompt: str = ""
    items: tuple[str, ...] = ()
    min: int | None = None
    options: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # the correct option(s) of a choice card
    shuffle: bool = True
    hint: str | None = None
    explanation: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """One study card: what the student sees and what counts as right.

    `question` and `shown_answer` are display text; `expected` holds the strings a typed
    answer is graded against (alternatives for basic cards, one per gap for cloze).
    """

    key: CardKey
    type: str
    question: str
    shown_answer: str
    expected: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    min: int | None = None
    options: tuple[str, ...] = ()
    correct_options: tuple[str, ...] = ()
    shuffle: bool = True
    gaps: tuple[ClozeGap, ...] = ()
    hint: str | None = None
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    line: int = 0
    # Set from the deck when it is loaded (not cached per card): how typed answers are read.
    language: str = "en"
    synonyms: tuple[tuple[str, ...], ...] = ()

    @property
    def deck_id(self) -> str:
        return self.key.deck

    @property
    def multiple_answers(self) -> bool:
        return self.type == "choice" and len(self.correct_options) > 1


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    language: str
    path: str
    description: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    version: int = 1
    bundled: bool = False
    notes: tuple[Note, ...] = ()
    cards: tuple[Card, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()  # the deck's `synonyms:` groups, first member first
    # `deck_fingerprint` of the card keys, set by the loader (and kept in the deck cache) so that
    # starting a session need not hash every key again; empty: compute it when needed.
    fingerprint: str = ""

    def keys_fingerprint(self) -> str:
        return self.fingerprint or deck_fingerprint([card.key for card in self.cards])

    def card(self, card_id: str, variant: str = "") -> Card | None:
        for card in self.cards:
            if card.key.card == card_id and card.key.variant == variant:
                return card
        return None


@dataclass(frozen=True)
class CardState:
    """A card's FSRS memory state; `None` stability means it has never been reviewed."""

    state: str = "new"  # new | learning | review | relearning
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        return self.state == "new"


@dataclass(frozen=True)
class Review:
    """One row of the append-only review log."""

    key: CardKey
    reviewed_at: datetime
    rating: Rating
    duration_ms: int | None = None
    before: CardState = field(default_factory=CardState)
    after: CardState = field(default_factory=CardState)
    source: str = "study"  # study | exam | import
    id: int | None = None


@dataclass(frozen=True)
class StudyProgress:
    """What a study session has done and has left; `left` splits into new, learning and review."""

    done: int
    new: int
    learning: int
    review: int
    exam_in_days: int | None = None  # days to a saved exam, if one is saved and still ahead

    @property
    def left(self) -> int:
        return self.new + self.learning + self.review


def deck_fingerprint(keys: "Iterable[CardKey]") -> str:
    """A hash of a deck's card keys in order: an unchanged deck needs no re-sync."""
    import hashlib

    text = "\x1e".join([key.card + "\x1f" + key.variant for key in keys])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
