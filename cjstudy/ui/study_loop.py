"""The interactive study loop: show a card, read keys, rate, repeat, then summarise.

The loop owns only the conversation with the student. What comes next, what a rating does to
a card and what is saved belong to a `StudyBackend` (the session over the store); the clock,
the sleep, the RNG, the keys and the console are all passed in, so tests drive the whole
loop with scripted keys, a fake clock and a StringIO console.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.text import Text

from cjstudy.errors import CjstudyError
from cjstudy.model import Card, Rating
from cjstudy.ui import study_screen as screen
from cjstudy.ui.card_view import hint_on_demand
from cjstudy.ui.keys import ENTER, EOF, SPACE, KeySource
from cjstudy.ui.typed import suggest_rating

RATING_KEYS = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}
QUIT_KEYS = {"q", "Q", EOF}
GO_KEYS = {SPACE, ENTER}


class StudyBackend(Protocol):
    """What the loop needs from the session; every call that changes state saves it at once."""

    def next_card(self, now: datetime) -> Card | None:
        """The card to ask now, without taking it off the queue (None: nothing due now)."""
        ...

    def next_due(self) -> datetime | None:
        """When the next card of this session comes due, if only later ones are left."""
        ...

    def progress(self, now: datetime) -> screen.Progress: ...

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]: ...

    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int) -> None: ...

    def undo(self, now: datetime) -> Card | None:
        """Take back the last rating of this session; returns its card, or None if there is none."""
        ...

    def bury(self, card: Card, now: datetime) -> None: ...

    def summary(self, now: datetime) -> screen.SummaryView: ...

    def deck_title(self, card: Card) -> str: ...

    def deck_path(self, card: Card) -> str: ...

    def siblings(self, card: Card) -> Sequence[Card]: ...


Grader = Callable[..., Any]  # grading.grade(card, given, siblings=...) -> GradeResult


@dataclass
class StudyIO:
    """Everything from the outside world the loop uses."""

    console: Console
    keys: KeySource
    clock: Callable[[], datetime]
    sleep: Callable[[float], object]  # may return a quit key pressed during the wait
    rng: random.Random = field(default_factory=random.Random)
    opener: Callable[[Path], None] | None = None  # shows an image or plays a sound (`o`); None: not here


class _Quit(Exception):
    """The student asked to stop (q, Ctrl-D, Ctrl-C)."""


@dataclass
class _Turn:
    """The card being asked and what has happened to it so far."""

    card: Card
    options: tuple[str, ...] | None
    shown_at: datetime
    suggested: Rating | None = None


def run_study(backend: StudyBackend, io: StudyIO, *, typed: bool = False,
              grader: Grader | None = None) -> screen.SummaryView:
    """Ask cards until none are due (or the student stops); print and return the summary.

    Ctrl-C prints the summary too and then raises KeyboardInterrupt again, so the command
    exits 130 like every other command interrupted with Ctrl-C (q and Ctrl-D exit 0).
    """
    loop = _Loop(backend, io, typed, grader)
    started = io.clock()
    interrupted = False
    try:
        loop.run()
    except _Quit:
        pass
    except KeyboardInterrupt:
        interrupted = True
    end = io.clock()
    summary = replace(backend.summary(end), seconds=(end - started).total_seconds())
    io.console.print()
    progress = backend.progress(end)
    io.console.print(screen.summary_panel(summary, end, left=progress.new + progress.review))
    if interrupted:
        raise KeyboardInterrupt
    return summary


class _Loop:
    def __init__(self, backend: StudyBackend, io: StudyIO, typed: bool, grader: Grader | None) -> None:
        if typed and grader is None:
            from cjstudy.grading.grade import grade

            grader = grade
        self.backend, self.io, self.typed, self.grader = backend, io, typed, grader
        self.out = io.console
        self.asked = 0  # cards shown so far

    def run(self) -> None:
        while True:
            now = self.io.clock()
            card = self.backend.next_card(now)
            if card is None:
                due = self.backend.next_due()
                if due is None:
                    message = "Nothing more is due now. Well done." if self.asked else "Nothing is due now."
                    self.out.print(Text(message, style="bold"))
                    waiting = getattr(self.backend, "buried_until_tomorrow", None)
                    buried = waiting(now) if waiting is not None else 0
                    if buried and not self.asked:
                        verb = "waits" if buried == 1 else "wait"
                        self.out.print(Text(f"{buried} card{'s' * (buried != 1)} {verb} for tomorrow (buried, or "
                                            "related to a card answered today).", style="dim"))
                    return
                self._wait_for(due)
                continue
            self._ask(card)

    def _key(self) -> str:
        key = self.io.keys.read_key()
        if key in QUIT_KEYS:
            raise _Quit
        return key

    def _wait_for(self, due: datetime) -> None:
        self.out.print(screen.waiting_prompt(due, self.io.clock()))
        while True:
            key = self._key()
            if key in ("w", "W", SPACE, ENTER):
                self._count_down(due)
                return
            if key == "?":
                self.out.print(screen.help_panel())

    def _count_down(self, due: datetime) -> None:
        """Wait for `due`; on a terminal the line counts down each second (q stops)."""
        seconds = (due - self.io.clock()).total_seconds()
        if seconds <= 0:
            return
        if not self.out.is_terminal:  # a log or a test: one line, one wait
            self.out.print(screen.waiting_line(due - self.io.clock()))
            if self.io.sleep(seconds) in QUIT_KEYS:
                raise _Quit
            return
        from rich.live import Live

        with Live(screen.waiting_line(due - self.io.clock()), console=self.out, auto_refresh=False) as live:
            while (left := due - self.io.clock()).total_seconds() > 0:
                live.update(screen.waiting_line(left), refresh=True)
                if self.io.sleep(min(1.0, left.total_seconds())) in QUIT_KEYS:
                    raise _Quit

    def _ask(self, card: Card) -> None:
        now = self.io.clock()
        options = None
        if card.type == "choice":
            options = tuple(self.io.rng.sample(card.options, len(card.options))) if card.shuffle else card.options
        turn = _Turn(card, options, now)
        self.asked += 1
        self.out.print()
        self.out.print(screen.header(self.backend.deck_title(card), self.backend.progress(now)))
        self.out.print(screen.question_panel(card, options))
        if self.typed:
            self._typed_answer(turn)
        else:
            self.out.print(screen.question_keys(hint=hint_on_demand(card) is not None))
            if not self._wait_reveal(turn):
                return
            self.out.print(screen.answer_panel(card, options))
        self._rate(turn)

    def _wait_reveal(self, turn: _Turn) -> bool:
        """Until space/enter; False when the card was buried or a rating undone instead."""
        while True:
            key = self._key()
            if key in GO_KEYS:
                return True
            if key in ("h", "H") and hint_on_demand(turn.card):
                self.out.print(screen.hint_line(turn.card))
                continue
            if self._common_key(key, turn):
                return False

    def _common_key(self, key: str, turn: _Turn) -> bool:
        """Keys that work at any point of a card: bury, undo, help. True when the card is left."""
        if key in ("s", "S"):
            self.backend.bury(turn.card, self.io.clock())
            self.out.print(Text("buried until tomorrow", style="dim"))
            return True
        if key in ("u", "U"):
            try:
                undone = self.backend.undo(self.io.clock())
            except CjstudyError as error:  # e.g. the card was answered again in another session
                self.out.print(Text(f"cannot undo: {error}", style="yellow"))
                return False
            if undone is None:
                self.out.print(Text("nothing to undo in this session", style="dim"))
                return False
            self.out.print(Text(f"undone: {undone.key.address} comes back", style="dim"))
            return True
        if key in ("o", "O"):
            self.out.print(Text(self._open_media(turn.card), style="dim"))
            return False
        if key == "?":
            self.out.print(screen.help_panel())
        return False

    def _open_media(self, card: Card) -> str:
        from cjstudy.ui.media import open_first

        if self.io.opener is None:
            return "no viewer here to open images or sounds"
        deck_file = self.backend.deck_path(card)
        return open_first(card, Path(deck_file).parent if deck_file else Path("."), self.io.opener)

    def _rate(self, turn: _Turn) -> None:
        if self.typed:  # what a paste left after its first line is not a rating key
            discard = getattr(self.io.keys, "discard_pending", None)
            if discard is not None:
                discard()
        now = self.io.clock()
        preview = self.backend.preview(turn.card, now)
        self.out.print(screen.rating_buttons(preview, turn.suggested))
        self.out.print(screen.rating_keys(turn.suggested))
        while True:
            key = self._key()
            if key in RATING_KEYS:
                rating = RATING_KEYS[key]
            elif key in GO_KEYS:
                rating = turn.suggested or Rating.GOOD
            else:
                if self._common_key(key, turn):
                    return
                continue
            answered = self.io.clock()
            duration_ms = max(0, int((answered - turn.shown_at).total_seconds() * 1000))
            self.backend.answer(turn.card, rating, answered, duration_ms)
            self.out.print(Text(f"→ {rating.name.capitalize()}, next in {screen.format_interval(preview[rating])}",
                                style=screen.RATING_STYLE[rating]))
            return

    def _typed_answer(self, turn: _Turn) -> None:
        """Read and grade a typed answer and set the suggested rating (Ctrl-D stops the session)."""
        card = turn.card
        hint_shown = hint_on_demand(card) is None
        hint_used = False
        while True:
            self.out.print(screen.typed_prompt_line(not hint_shown))
            try:
                given = self.io.keys.read_line("> ")
            except EOFError:
                raise _Quit from None
            if given.strip():
                break
            if not hint_shown:
                self.out.print(screen.hint_line(card))
                hint_shown = hint_used = True
                continue
            self.out.print(screen.answer_panel(card, turn.options))
            turn.suggested = Rating.AGAIN
            return
        seconds = (self.io.clock() - turn.shown_at).total_seconds()
        graded_card = replace(card, options=turn.options) if turn.options is not None else card
        result = self.grader(graded_card, given, siblings=self.backend.siblings(card))
        verdict = getattr(result, "verdict", "")
        if verdict == "unsure":  # the grader cannot tell: the student rates against the marked answer
            turn.suggested = None
            self.out.print(screen.grade_line(False, result.score, result.feedback, verdict))
            self.out.print(screen.answer_panel(card, turn.options, marked=tuple(result.matched)))
            return
        turn.suggested = suggest_rating(result.correct, typo=result.typo or result.accent_only,
                                        hint_used=hint_used, seconds=seconds, typed_chars=len(given))
        self.out.print(screen.grade_line(result.correct, result.score, result.feedback))
        self.out.print(screen.answer_panel(card, turn.options))
