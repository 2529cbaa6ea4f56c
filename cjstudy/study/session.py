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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import chain
from typing import Protocol

from cjstudy.errors import UsageError
from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review, StudyProgress
from cjstudy.memory.scheduler import Scheduler
from cjstudy.study.queue import MainQueue, interleave  # noqa: F401  (interleave re-exported)

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
    extra_reviews: tuple[CardKey, ...] = ()  # not due yet but asked after today's due reviews (exam planning)
    exam_in_days: int | None = None  # days to a saved exam (`plan --exam DATE --save`), shown in header and summary


# The header counts live in the model so the UI and the session share one definition.
SessionProgress = StudyProgress


@dataclass(frozen=True)
class SessionSummary:
    """End-of-session figures (same fields as `cjstudy.ui.study_screen.SummaryView`)."""

    cards: int  # answers given (a card answered twice counts twice)
    again: int
    seconds: float  # summed answer durations; the UI replaces it with wall-clock time
    next_due: datetime | None  # when something in these decks is next due (now if cards are left)
    due_tomorrow: int = 0  # started cards due during the next study day
    learning_left: int = 0  # learning cards that still come back today
    hard: int = 0
    good: int = 0
    easy: int = 0
    buried: int = 0  # cards the student buried (s) this session, undone buries not counted
    siblings_buried: int = 0  # related cards (reverse, other gaps) held back until tomorrow
    exam_in_days: int | None = None

    @property
    def again_rate(self) -> float:
        return self.again / self.cards if self.cards else 0.0


@dataclass
class _Answered:
    """One undoable answer: the stored review, its card and the siblings it buried."""

    review: Review
    card: Card
    buried_siblings: list[CardKey] = field(default_factory=list)


@dataclass
class _Buried:
    """One undoable bury: the card and the queue it came from."""

    card: Card
    kind: str


def _kind(state: CardState) -> str:
    return "new" if state.is_new else "learning" if state.state in LEARNING_STATES else "review"


@dataclass
class StudySession:
    """One run of `cjstudy study`. Build it with `StudySession.start(...)`."""

    store: "StoreLike"
    scheduler: Scheduler
    day: StudyDay
    rng: random.Random
    options: SessionOptions
    decks: dict[str, Deck]  # every loaded deck (titles, siblings)
    chosen: dict[str, Deck]  # the decks studied
    main: MainQueue = field(default_factory=lambda: MainQueue(iter(()), 0, []))
    learning: dict[CardKey, datetime] = field(default_factory=dict)  # learning cards and their due time
    answered: list[_Answered] = field(default_factory=list)  # answers standing (not undone), in order
    steps: list["_Answered | _Buried"] = field(default_factory=list)  # undo stack: answers and buries
    buried_count: int = 0
    siblings_buried: int = 0
    _states: dict[CardKey, CardState] = field(default_factory=dict)
    _fuzz: dict[CardKey, float] = field(default_factory=dict)
    _index: dict[str, dict[tuple[str, str], Card]] = field(default_factory=dict)

    # --- building ------------------------------------------------------------------------

    @classmethod
    def start(cls, store: "StoreLike", decks: Sequence[Deck], scheduler: Scheduler, now: datetime,
              day: StudyDay, rng: random.Random, options: SessionOptions = SessionOptions(),
              page: int = 200) -> "StudySession":
        """Select the decks, sync their card lists to the store and set up today's queue.

        Costs one pass over each deck's keys (to see whether it changed) plus a few indexed
        queries; due reviews are then read `page` at a time as the session goes.
        """
        chosen = select_decks(decks, options.decks)
        session = cls(store, scheduler, day, rng, options, {d.id: d for d in decks}, {d.id: d for d in chosen})
        for deck in chosen:
            store.sync_deck(deck.id, (c.key for c in deck.cards), now, deck.keys_fingerprint())
        deck_ids = list(session.chosen)
        tagged = bool(options.tags)
        for key, due in store.due_learning(now, day.end, deck_ids):
            if not tagged or session.card(key) is not None:
                session.learning[key] = due
        if tagged:  # tags live in the deck files, not the store: filter every due review here
            keys = [key for key, _ in store.due_reviews(now, day.end, deck_ids) if session.card(key) is not None]
            reviews, review_total = iter(keys), len(keys)
        else:
            reviews = _pages(store, now, day.end, deck_ids, page)
            review_total = store.count_due_reviews(now, day.end, deck_ids)
        extra = [key for key in options.extra_reviews if session.card(key) is not None]
        if extra:  # a saved exam brings weak cards forward (cjstudy.memory.planning.bring_forward)
            reviews, review_total = chain(reviews, extra), review_total + len(extra)
        max_new = options.new_cards
        if max_new is None:
            max_new = options.new_per_day - store.count_new_introduced(day.start, day.end)
        new_keys = session._pick_new(now, max_new)
        if options.limit is not None:
            review_total = min(review_total, max(0, options.limit))
            new_keys = new_keys[:max(0, options.limit - review_total)]
        session.main = MainQueue(reviews, review_total, new_keys)
        return session

    def _pick_new(self, now: datetime, max_new: int) -> list[CardKey]:
        """The first never-studied cards in deck order, one per note unless `new_siblings`."""
        picked: list[CardKey] = []
        notes: set[tuple[str, str]] = set()
        for deck_id in self.chosen:
            if len(picked) >= max_new:
                break
            for card_id, variant in self.store.new_cards(deck_id, now):
                key = CardKey(deck_id, card_id, variant)
                if self.options.tags and self.card(key) is None:
                    continue
                if (deck_id, card_id) in notes and not self.options.new_siblings:
                    continue
                notes.add((deck_id, card_id))
                picked.append(key)
                if len(picked) >= max_new:
                    break
        return picked

    def card(self, key: CardKey) -> Card | None:
        """The studied card with this key (None if its deck is not chosen, it is gone or lacks the tags)."""
        index = self._index.get(key.deck)
        if index is None:
            deck = self.chosen.get(key.deck)
            if deck is None:
                return None
            wanted = set(self.options.tags)
            index = self._index[key.deck] = {
                (c.key.card, c.key.variant): c for c in deck.cards if not wanted or not wanted.isdisjoint(c.tags)}
        return index.get((key.card, key.variant))

    # --- asking --------------------------------------------------------------------------

    def next_card(self, now: datetime) -> Card | None:
        """The card to ask now, left in place until answered or buried; None if nothing is due now."""
        while self.learning:
            key, due = min(self.learning.items(), key=lambda item: (item[1], item[0]))
            if due > now:
                break
            card = self.card(key)
            if card is not None:
                return card
            del self.learning[key]  # its deck changed under us: drop it from this session
        while (key := self.main.head()) is not None:
            card = self.card(key)
            if card is not None:
                return card
            self.main.take(key)
        return None

    def next_due(self) -> datetime | None:
        """When the next learning card of this session comes due (None: the session is over)."""
        return min(self.learning.values()) if self.learning else None

    def state_of(self, card: Card) -> CardState:
        """The card's state as this session knows it (read from the store once, new if unknown)."""
        return self.state_of_key(card.key)

    def _fuzz_for(self, key: CardKey) -> float | None:
        """One fuzz draw per card and session, shared by every preview and answer (undo included),
        so the interval a student saw on the buttons is the one they get."""
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
        """Rate the card: committed to the store before this returns; learning steps come back today.

        Its new and review siblings (a reverse card, other cloze gaps) are buried in the store
        until the next study day, as Anki does, so a second session today does not ask them.
        """
        key = card.key
        fuzz = self._fuzz_for(key)

        def compute(before: CardState) -> Review:
            after = self.scheduler.review(before, rating, now, fuzz=fuzz, duration_ms=duration_ms)
            return Review(key, now, Rating(rating), duration_ms, before, after, self.options.source)

        review = self.store.review_with(key, compute)
        self._take_out(key)
        self._states[key] = review.after
        after = review.after
        if after.state in LEARNING_STATES and after.due is not None and after.due < self.day.end:
            self.learning[key] = after.due
        step = _Answered(review, card, self._bury_siblings(card, now))
        self.answered.append(step)
        self.steps.append(step)
        return review

    def _bury_siblings(self, card: Card, now: datetime) -> list[CardKey]:
        """Bury the card's unburied new and review siblings until tomorrow; returns those buried."""
        if self.options.new_siblings:
            return []
        keys = [c.key for c in self.siblings(card) if c.key not in self.learning]
        if not keys:
            return []
        before = {key: self.state_of_key(key) for key in keys}
        buried = self.store.bury_siblings(keys, until=self.day.end, now=now)
        for key in buried:
            state = before[key]
            pending = state.is_new or (state.state == "review" and (
                (state.due is not None and state.due < self.day.end) or key in self.options.extra_reviews))
            self.main.drop(key, _kind(state), pending)
        self.siblings_buried += len(buried)
        return buried

    def state_of_key(self, key: CardKey) -> CardState:
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = self.store.state(key) or CardState()
        return state

    def _take_out(self, key: CardKey) -> None:
        self.learning.pop(key, None)
        self.main.take(key)

    def undo(self, now: datetime) -> Card | None:
        """Take back this session's last answer or bury.

        An answer: old state restored, log row kept but marked undone, the siblings it buried
        unburied. A bury: the card unburied. Either way the card is asked again next.
        """
        if not self.steps:
            return None
        last = self.steps[-1]
        if isinstance(last, _Buried):
            key = last.card.key
            self.store.unbury([key])
            self.steps.pop()
            self.buried_count -= 1
            self.main.put_front(key, last.kind)
            return last.card
        key = last.review.key
        assert last.review.id is not None
        self.store.undo_review(last.review.id, now)
        self.steps.pop()
        self.answered.pop()
        if last.buried_siblings:
            self.store.unbury(last.buried_siblings)
            self.siblings_buried -= len(last.buried_siblings)
            for sibling in last.buried_siblings:
                self.main.restore(sibling)
        self._take_out(key)
        self._states[key] = last.review.before
        self.main.put_front(key, _kind(last.review.before))
        return last.card

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts (stored, so other sessions skip it too)."""
        kind = "learning" if card.key in self.learning else _kind(self.state_of(card))
        self.store.bury(card.key, until=self.day.end, now=now)
        self._take_out(card.key)
        self.buried_count += 1
        self.steps.append(_Buried(card, kind))

    # --- reporting -----------------------------------------------------------------------

    def progress(self, now: datetime) -> SessionProgress:
        return SessionProgress(done=len(self.answered), new=self.main.left("new"),
                               learning=len(self.learning) + self.main.left("learning"),
                               review=self.main.left("review"), exam_in_days=self.options.exam_in_days)

    def summary(self, now: datetime) -> SessionSummary:
        """Answers, again-count, time and when these decks next need the student."""
        counts = {rating: sum(1 for a in self.answered if a.review.rating == rating) for rating in Rating}
        seconds = sum((a.review.duration_ms or 0) for a in self.answered) / 1000
        next_due: datetime | None = now if self.main.head() is not None else None
        if next_due is None and self.learning:
            next_due = min(self.learning.values())
        due_tomorrow = 0
        tomorrow_end = self.day.end + timedelta(days=1)
        for key, due in self.store.iter_due(now, decks=list(self.chosen)):
            if self.options.tags and self.card(key) is None:
                continue
            if next_due is None or due < next_due:
                next_due = due
            if due >= tomorrow_end:
                break
            if due >= self.day.end:
                due_tomorrow += 1
        return SessionSummary(len(self.answered), counts[Rating.AGAIN], seconds, next_due, due_tomorrow,
                              len(self.learning), hard=counts[Rating.HARD], good=counts[Rating.GOOD],
                              easy=counts[Rating.EASY], buried=self.buried_count,
                              siblings_buried=self.siblings_buried, exam_in_days=self.options.exam_in_days)

    def buried_until_tomorrow(self, now: datetime) -> int:
        """Cards of the studied decks that are buried now (siblings and `s`), back next study day."""
        return sum(1 for key in self.store.buried(now) if key.deck in self.chosen
                   and (not self.options.tags or self.card(key) is not None))

    def deck_title(self, card: Card) -> str:
        deck = self.decks.get(card.key.deck)
        return deck.title if deck else card.key.deck

    def deck_path(self, card: Card) -> str:
        """The deck file the card comes from (media paths are relative to its folder)."""
        deck = self.decks.get(card.key.deck)
        return deck.path if deck else ""

    def siblings(self, card: Card) -> list[Card]:
        """Other variants of the same note (a reverse card, other cloze gaps), for the grader's guard."""
        deck = self.decks.get(card.key.deck)
        if deck is None:
            return []
        return [c for c in deck.cards if c.key.card == card.key.card and c.key != card.key]


class StoreLike(Protocol):
    """The part of `cjstudy.store.Store` a session uses (so tests may pass a fake)."""

    def sync_deck(self, deck: str, keys: Iterable[CardKey], now: datetime, fingerprint: str | None = None) -> bool: ...
    def due_learning(self, now: datetime, until: datetime, decks: Iterable[str] | None = None) -> list: ...
    def due_reviews(self, now: datetime, until: datetime, decks: Iterable[str] | None = None, *,
                    after: tuple[float, int] | None = None, limit: int | None = None) -> list: ...
    def count_due_reviews(self, now: datetime, until: datetime, decks: Iterable[str] | None = None) -> int: ...
    def new_cards(self, deck: str, now: datetime) -> Iterator[tuple[str, str]]: ...
    def count_new_introduced(self, since: datetime, until: datetime) -> int: ...
    def state(self, key: CardKey) -> CardState | None: ...
    def review_with(self, key: CardKey, compute: Callable[[CardState], Review]) -> Review: ...
    def undo_review(self, review_id: int, now: datetime) -> Review: ...
    def bury(self, key: CardKey, until: datetime, now: datetime) -> None: ...
    def bury_siblings(self, keys: Sequence[CardKey], until: datetime, now: datetime) -> list[CardKey]: ...
    def unbury(self, keys: Iterable[CardKey] | None = None) -> int: ...
    def buried(self, now: datetime) -> dict[CardKey, datetime]: ...
    def iter_due(self, after: datetime, decks: Iterable[str] | None = None) -> Iterator[tuple[CardKey, datetime]]: ...


def _pages(store: StoreLike, now: datetime, until: datetime, decks: list[str], page: int) -> Iterator[CardKey]:
    """Due review keys, lowest retrievability first, read from the store one page at a time."""
    after = None
    while True:
        rows = store.due_reviews(now, until, decks, after=after, limit=page)
        for key, _place in rows:
            yield key
        if len(rows) < page:
            return
        after = rows[-1][1]


def select_decks(decks: Sequence[Deck], wanted: Sequence[str]) -> list[Deck]:
    """The decks named with `--deck` (all if none); an unknown id is a usage error."""
    if not wanted:
        return list(decks)
    by_id = {deck.id: deck for deck in decks}
    missing = [deck_id for deck_id in wanted if deck_id not in by_id]
    if missing:
        from cjstudy.deck.suggest import did_you_mean

        raise UsageError(f"no deck '{missing[0]}'{did_you_mean(missing[0], sorted(by_id))}; "
                         "`cjstudy decks` lists them")
    return [by_id[deck_id] for deck_id in dict.fromkeys(wanted)]
