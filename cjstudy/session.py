"""A study session: what to ask next, what an answer does, undo, bury and the summary.

Pure logic over a `Store` and a `Scheduler` that are passed in; the clock (`now`, an aware
UTC datetime), the local study day and the RNG are arguments too, so tests replay a whole
session exactly. Each answer is committed to the store before `answer` returns.

Order of cards (as in Anki, but ranked by FSRS):
1. learning/relearning cards whose step is due now (they are time-critical);
2. the main queue: reviews due today, lowest retrievability first, with the day's new cards
   spread evenly among them;
3. when only learning cards due later remain, `next_card` returns None and `next_due` says when.

`StudySession` has exactly the methods `cjstudy.ui.study_loop.StudyBackend` asks for, and its
`progress`/`summary` results have the fields of the UI's `Progress`/`SummaryView`.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol

from cjstudy.errors import UsageError
from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review
from cjstudy.scheduler import Scheduler

DEFAULT_NEW_PER_DAY = 20
DEFAULT_ROLLOVER_HOUR = 4  # a study day starts at 04:00 local time, so a late night counts as "today"
LEARNING_STATES = ("learning", "relearning")


@dataclass(frozen=True)
class StudyDay:
    """The local study day as two UTC instants: today's reviews are due before `end`."""

    start: datetime
    end: datetime


def study_day(now: datetime, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> StudyDay:
    """The study day containing `now` in time zone `tz` (the CLI passes the local zone)."""
    local = now.astimezone(tz)
    start = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    end = start + timedelta(days=1)
    return StudyDay(start.astimezone(timezone.utc), end.astimezone(timezone.utc))


@dataclass(frozen=True)
class SessionOptions:
    """What `cjstudy study` lets the student choose."""

    decks: tuple[str, ...] = ()  # deck ids; empty means every deck given
    tags: tuple[str, ...] = ()  # a card qualifies if it has any of these (deck tags included)
    new_per_day: int = DEFAULT_NEW_PER_DAY  # daily limit; new cards already started today count
    new_cards: int | None = None  # `--new N`: at most N new cards this session, whatever the day's count
    limit: int | None = None  # `--limit N`: at most N reviews + new cards (reviews first)
    new_siblings: bool = False  # allow two variants of one note as new cards in the same session
    source: str = "study"  # what the review log records: study | exam


@dataclass(frozen=True)
class SessionProgress:
    """Counts for the header (same fields as `cjstudy.ui.study_screen.Progress`)."""

    done: int
    new: int
    learning: int
    review: int

    @property
    def left(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class SessionSummary:
    """End-of-session figures (same fields as `cjstudy.ui.study_screen.SummaryView`)."""

    cards: int  # answers given (a card answered twice counts twice)
    again: int
    seconds: float  # summed answer durations; the UI replaces it with wall-clock time
    next_due: datetime | None  # when something in these decks is next due (now if cards are left)
    due_tomorrow: int = 0  # started cards due during the next study day
    learning_left: int = 0  # learning cards that still come back today

    @property
    def again_rate(self) -> float:
        return self.again / self.cards if self.cards else 0.0


@dataclass
class _Answered:
    """One undoable step: the stored review and where its card came from."""

    review: Review
    card: Card
    was_new: bool


@dataclass
class StudySession:
    """One run of `cjstudy study`. Build it with `StudySession.start(...)`."""

    store: "StoreLike"
    scheduler: Scheduler
    day: StudyDay
    rng: random.Random
    options: SessionOptions
    cards: dict[CardKey, Card]
    decks: dict[str, Deck]
    queue: deque[CardKey] = field(default_factory=deque)  # reviews and new cards, in asking order
    learning: dict[CardKey, datetime] = field(default_factory=dict)  # learning cards and their due time
    states: dict[CardKey, CardState] = field(default_factory=dict)
    new_keys: set[CardKey] = field(default_factory=set)  # still-new cards in `queue`
    answered: list[_Answered] = field(default_factory=list)  # undo stack
    buried_count: int = 0
    _fuzz: dict[CardKey, float] = field(default_factory=dict)
    _siblings: dict[tuple[str, str], list[Card]] = field(default_factory=dict)

    # --- building ------------------------------------------------------------------------

    @classmethod
    def start(cls, store: "StoreLike", decks: Sequence[Deck], scheduler: Scheduler, now: datetime,
              day: StudyDay, rng: random.Random, options: SessionOptions = SessionOptions()) -> "StudySession":
        """Select the cards, read their states and build today's queue."""
        chosen = select_decks(decks, options.decks)
        cards = select_cards(chosen, options.tags)
        session = cls(store, scheduler, day, rng, options, cards, {d.id: d for d in decks})
        snapshot = store.queue_snapshot(now, day.end, decks=[d.id for d in chosen])
        reviews: list[tuple[float, int, CardKey]] = []
        for key, state in snapshot.scheduled:
            if key not in cards or state.due is None:
                continue
            session.states[key] = state
            if state.state in LEARNING_STATES:
                session.learning[key] = state.due
            else:
                rank = _recall(scheduler, state, now)
                reviews.append((rank, int(state.due.timestamp()), key))
        reviews.sort(key=lambda item: (item[0], item[1]))
        review_keys = [key for _, _, key in reviews]
        new_keys = session._pick_new(snapshot.started | snapshot.buried, store, max_new=options.new_cards)
        if options.limit is not None:
            review_keys = review_keys[:max(0, options.limit)]
            new_keys = new_keys[:max(0, options.limit - len(review_keys))]
        session.new_keys = set(new_keys)
        session.queue = deque(interleave(review_keys, new_keys))
        return session

    def _pick_new(self, not_new: set[tuple[str, str, str]], store: "StoreLike", max_new: int | None) -> list[CardKey]:
        if max_new is None:
            max_new = self.options.new_per_day - store.count_new_introduced(self.day.start, self.day.end)
        picked: list[CardKey] = []
        notes: set[tuple[str, str]] = set()
        if max_new <= 0:
            return picked
        for key in self.cards:
            if (key.deck, key.card, key.variant) in not_new:
                continue
            note = (key.deck, key.card)
            if note in notes and not self.options.new_siblings:
                continue
            notes.add(note)
            picked.append(key)
            if len(picked) >= max_new:
                break
        return picked

    # --- asking --------------------------------------------------------------------------

    def next_card(self, now: datetime) -> Card | None:
        """The card to ask now, left in place until answered or buried; None if nothing is due now."""
        if self.learning:
            key, due = min(self.learning.items(), key=lambda item: (item[1], item[0]))
            if due <= now:
                return self.cards[key]
        if self.queue:
            return self.cards[self.queue[0]]
        return None

    def next_due(self) -> datetime | None:
        """When the next learning card of this session comes due (None: the session is over)."""
        return min(self.learning.values()) if self.learning else None

    def state_of(self, card: Card) -> CardState:
        return self.states.get(card.key, CardState())

    def _fuzz_for(self, key: CardKey) -> float | None:
        """One fuzz draw per card turn, shared by the preview and the answer so buttons tell the truth."""
        if not self.scheduler.config.fuzz:
            return None
        if key not in self._fuzz:
            self._fuzz[key] = self.rng.random()
        return self._fuzz[key]

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating button would give (exactly, fuzz included)."""
        return self.scheduler.preview(self.state_of(card), now, fuzz=self._fuzz_for(card.key))

    def retrievability(self, card: Card, now: datetime) -> float:
        return self.scheduler.retrievability(self.state_of(card), now)

    # --- changing ------------------------------------------------------------------------

    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None) -> Review:
        """Rate the card: committed to the store before this returns; learning steps come back today."""
        key = card.key
        fuzz = self._fuzz_for(key)

        def compute(before: CardState) -> Review:
            after = self.scheduler.review(before, rating, now, fuzz=fuzz, duration_ms=duration_ms)
            return Review(key, now, Rating(rating), duration_ms, before, after, self.options.source)

        review = self.store.review_with(key, compute)
        self._take_out(key)
        self._fuzz.pop(key, None)
        self.states[key] = review.after
        self._requeue_learning(key, review.after)
        self.answered.append(_Answered(review, card, was_new=review.before.is_new))
        return review

    def _requeue_learning(self, key: CardKey, state: CardState) -> None:
        if state.state in LEARNING_STATES and state.due is not None and state.due < self.day.end:
            self.learning[key] = state.due

    def _take_out(self, key: CardKey) -> None:
        self.learning.pop(key, None)
        self.new_keys.discard(key)
        if self.queue and self.queue[0] == key:
            self.queue.popleft()
        elif key in self.queue:
            self.queue.remove(key)

    def undo(self, now: datetime) -> Card | None:
        """Take back this session's last answer: old state restored, log row kept but marked undone.

        The card goes to the front of the queue, so it is asked again next.
        """
        if not self.answered:
            return None
        last = self.answered.pop()
        key = last.review.key
        assert last.review.id is not None
        self.store.undo_review(last.review.id, now)
        self._take_out(key)
        self.states[key] = last.review.before
        self.queue.appendleft(key)
        if last.was_new:
            self.new_keys.add(key)
        return last.card

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts (stored, so other sessions skip it too)."""
        self.store.bury(card.key, until=self.day.end, now=now)
        self._take_out(card.key)
        self._fuzz.pop(card.key, None)
        self.buried_count += 1

    # --- reporting -----------------------------------------------------------------------

    def progress(self, now: datetime) -> SessionProgress:
        new = len(self.new_keys)
        return SessionProgress(done=len(self.answered), new=new, learning=len(self.learning),
                               review=len(self.queue) - new)

    def summary(self, now: datetime) -> SessionSummary:
        """Answers, again-count, time and when these decks next need the student."""
        again = sum(1 for a in self.answered if a.review.rating == Rating.AGAIN)
        seconds = sum((a.review.duration_ms or 0) for a in self.answered) / 1000
        decks = sorted({key.deck for key in self.cards})
        next_due: datetime | None = now if self.queue else None
        if next_due is None and self.learning:
            next_due = min(self.learning.values())
        due_tomorrow = 0
        tomorrow_end = self.day.end + timedelta(days=1)
        for key, due in self.store.iter_due(now, decks=decks):
            if key not in self.cards:
                continue
            if next_due is None or due < next_due:
                next_due = due
            if due >= tomorrow_end:
                break
            if due >= self.day.end:
                due_tomorrow += 1
        return SessionSummary(len(self.answered), again, seconds, next_due, due_tomorrow, len(self.learning))

    def deck_title(self, card: Card) -> str:
        deck = self.decks.get(card.key.deck)
        return deck.title if deck else card.key.deck

    def siblings(self, card: Card) -> list[Card]:
        """Other variants of the same note (a reverse card, other cloze gaps), for the grader's guard."""
        if not self._siblings:
            for other in self.cards.values():
                self._siblings.setdefault((other.key.deck, other.key.card), []).append(other)
        return [c for c in self._siblings.get((card.key.deck, card.key.card), []) if c.key != card.key]


class StoreLike(Protocol):
    """The part of `cjstudy.store.Store` a session uses (so tests may pass a fake)."""

    def queue_snapshot(self, now: datetime, until: datetime, decks: Iterable[str] | None = None): ...
    def count_new_introduced(self, since: datetime, until: datetime) -> int: ...
    def review_with(self, key: CardKey, compute): ...
    def undo_review(self, review_id: int, now: datetime): ...
    def bury(self, key: CardKey, until: datetime, now: datetime) -> None: ...
    def iter_due(self, after: datetime, decks: Iterable[str] | None = None): ...


def select_decks(decks: Sequence[Deck], wanted: Sequence[str]) -> list[Deck]:
    """The decks named with `--deck` (all if none); an unknown id is a usage error."""
    if not wanted:
        return list(decks)
    by_id = {deck.id: deck for deck in decks}
    missing = [deck_id for deck_id in wanted if deck_id not in by_id]
    if missing:
        known = ", ".join(sorted(by_id)) or "none"
        raise UsageError(f"no deck '{missing[0]}' (loaded: {known}); `cjstudy decks` lists them")
    return [by_id[deck_id] for deck_id in dict.fromkeys(wanted)]


def select_cards(decks: Iterable[Deck], tags: Sequence[str]) -> dict[CardKey, Card]:
    """Cards of `decks` in deck order, keeping those with any of `tags` (all if no tags)."""
    wanted = set(tags)
    return {card.key: card for deck in decks for card in deck.cards
            if not wanted or not wanted.isdisjoint(card.tags)}


def interleave(reviews: Sequence[CardKey], new: Sequence[CardKey]) -> list[CardKey]:
    """Spread `new` evenly through `reviews`, keeping both orders (no new card first unless no reviews)."""
    if not new or not reviews:
        return [*reviews, *new]
    total = len(reviews) + len(new)
    slots = {int((i + 0.5) * total / len(new)) for i in range(len(new))}
    result: list[CardKey] = []
    review_iter, new_iter = iter(reviews), iter(new)
    for position in range(total):
        source = new_iter if position in slots else review_iter
        item = next(source, None)
        if item is None:  # one side ran out early: take the other
            item = next(new_iter if source is review_iter else review_iter)
        result.append(item)
    return result


def _recall(scheduler: Scheduler, state: CardState, now: datetime) -> float:
    """Retrievability on fractional days: finer than FSRS's whole days, so ties are rare."""
    if state.stability is None or state.last_review is None:
        return 0.0
    return scheduler.retrievability_raw(state.stability, (now - state.last_review).total_seconds() / 86400)
