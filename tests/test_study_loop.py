"""The study loop driven by scripted keys against a small in-memory backend.

These pin the conversation (which key does what, what is printed); the real session and
store are exercised end to end in test_study_session.py and test_pty_study.py.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console

from cjstudy.model import Card, CardKey, Rating
from cjstudy.ui.keys import KeysExhausted, ScriptedKeys
from cjstudy.ui.study_loop import StudyIO, run_study
from cjstudy.ui.study_screen import Progress, SummaryView
from cjstudy.ui.typed import suggest_rating

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def basic(card_id: str, front: str = "Q?", back: str = "A", **extra) -> Card:
    return Card(CardKey("d", card_id), "basic", front, back, expected=(back,), **extra)


@dataclass
class FakeClock:
    now: datetime = T0
    step: timedelta = timedelta(seconds=2)

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept = seconds
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeBackend:
    """Queue of cards; Again puts a card back as due in 10 minutes."""

    queue: list[Card]
    answers: list[tuple[str, Rating]] = field(default_factory=list)
    later: list[tuple[datetime, Card]] = field(default_factory=list)
    buried: list[str] = field(default_factory=list)

    def next_card(self, now):
        for due, card in sorted(self.later, key=lambda x: x[0]):
            if due <= now:
                self.later.remove((due, card))
                self.queue.insert(0, card)
                break
        return self.queue[0] if self.queue else None

    def next_due(self):
        return min((due for due, _ in self.later), default=None)

    def progress(self, now):
        return Progress(done=len(self.answers), new=len(self.queue), learning=len(self.later), review=0)

    def preview(self, card, now):
        return {Rating.AGAIN: timedelta(minutes=10), Rating.HARD: timedelta(days=1),
                Rating.GOOD: timedelta(days=3), Rating.EASY: timedelta(days=8)}

    def answer(self, card, rating, now, duration_ms):
        self.queue.remove(card)
        self.answers.append((card.key.address, rating))
        if rating == Rating.AGAIN:
            self.later.append((now + timedelta(minutes=10), card))

    def undo(self, now):
        if not self.answers:
            return None
        address, _rating = self.answers.pop()
        card = next(c for c in self.all_cards() if c.key.address == address)
        self.later = [(d, c) for d, c in self.later if c != card]
        self.queue.insert(0, card)
        return card

    def all_cards(self):
        return self.queue + [c for _, c in self.later] + self._seen

    _seen: list[Card] = field(default_factory=list)

    def bury(self, card, now):
        self.queue.remove(card)
        self.buried.append(card.key.address)

    def summary(self, now):
        return SummaryView(cards=len(self.answers), again=sum(r == Rating.AGAIN for _, r in self.answers),
                           seconds=0, next_due=self.next_due())

    def deck_title(self, card):
        return "Touch points"

    deck_file: str = ""

    def deck_path(self, card):
        return self.deck_file

    def siblings(self, card):
        return self.queue


def run(backend, keys, typed=False, width=80, clock=None):
    clock = clock or FakeClock()
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    script = ScriptedKeys(keys)
    # Answered cards must stay findable for undo.
    backend._seen = list(backend.queue)
    summary = run_study(backend, StudyIO(console, script, clock, clock.sleep, random.Random(7)), typed=typed)
    return summary, out.getvalue(), script


def test_reveal_then_rate_with_number_keys_and_space_means_good():
    backend = FakeBackend([basic("a", "Front A", "Back A"), basic("b", "Front B", "Back B")])
    summary, text, script = run(backend, ["space", "2", "enter", "space"])
    assert backend.answers == [("d/a", Rating.HARD), ("d/b", Rating.GOOD)]
    assert "Front A" in text and "Back A" in text
    assert "1 Again 10m  2 Hard 1d  3 Good 3d  4 Easy 8d" in text
    assert "Touch points" in text and "0 done · 2 left" in text and "1 done · 1 left" in text
    assert summary.cards == 2 and summary.again == 0
    assert "session summary" in text and script.remaining == 0


def test_answer_is_hidden_until_reveal_and_quit_shows_summary():
    backend = FakeBackend([basic("a", "Front A", "Secret back"), basic("b")])
    backend.summary = lambda now: SummaryView(cards=0, again=0, seconds=0, next_due=now)
    summary, text, _ = run(backend, ["q"])
    assert "Front A" in text and "Secret back" not in text
    assert backend.answers == [] and summary.cards == 0
    assert "session summary" in text and "now: 2 cards of this session not asked yet" in text


def test_other_keys_are_ignored_while_waiting_to_reveal():
    backend = FakeBackend([basic("a")])
    run(backend, ["x", "7", "space", "x", "3"])
    assert backend.answers == [("d/a", Rating.GOOD)]


def test_undo_brings_the_last_card_back_and_its_new_rating_replaces_the_old():
    backend = FakeBackend([basic("a", "Front A"), basic("b", "Front B")])
    _, text, _ = run(backend, ["space", "1", "u", "space", "4", "space", "3"])
    assert backend.answers == [("d/a", Rating.EASY), ("d/b", Rating.GOOD)]
    assert "undone: d/a comes back" in text
    assert text.count("Front A") == 2


def test_undo_with_nothing_to_undo_says_so():
    backend = FakeBackend([basic("a")])
    _, text, _ = run(backend, ["u", "space", "3"])
    assert "nothing to undo" in text
    assert backend.answers == [("d/a", Rating.GOOD)]


def test_bury_skips_the_card():
    backend = FakeBackend([basic("a"), basic("b")])
    run(backend, ["s", "space", "3"])
    assert backend.buried == ["d/a"] and backend.answers == [("d/b", Rating.GOOD)]


def test_help_lists_the_keys_and_keeps_the_card():
    backend = FakeBackend([basic("a")])
    _, text, _ = run(backend, ["?", "space", "?", "3"])
    assert "undo the last rating" in text and "bury the card until tomorrow" in text
    assert backend.answers == [("d/a", Rating.GOOD)]


def test_again_card_comes_back_after_waiting_with_injected_sleep():
    backend = FakeBackend([basic("a", "Front A")])
    clock = FakeClock()
    _, text, _ = run(backend, ["space", "1", "w", "space", "3"], clock=clock)
    assert backend.answers == [("d/a", Rating.AGAIN), ("d/a", Rating.GOOD)]
    assert "Only learning cards are left" in text and "w wait" in text
    assert 590 <= clock.slept <= 600


def test_stopping_at_the_wait_prompt_reports_when_the_next_is_due():
    backend = FakeBackend([basic("a")])
    summary, text, _ = run(backend, ["space", "1", "q"])
    assert summary.next_due is not None and summary.again == 1
    assert "again" in text and "1 (100%)" in text


def test_ctrl_c_shows_the_summary_then_interrupts():
    backend = FakeBackend([basic("a"), basic("b")])
    console = Console(file=io.StringIO(), width=80, color_system=None)
    with pytest.raises(KeyboardInterrupt):  # the CLI turns it into exit code 130
        run_study(backend, StudyIO(console, ScriptedKeys(["space", "3", "ctrl-c"]), lambda: T0, lambda s: None))
    assert "session summary" in console.file.getvalue() and len(backend.answers) == 1


def test_script_that_runs_out_fails_loudly():
    with pytest.raises(KeysExhausted):
        run(FakeBackend([basic("a")]), ["space"])


def test_choice_options_are_lettered_and_shuffled_with_the_session_rng():
    card = Card(CardKey("d", "c"), "choice", "Which?", "Right", expected=("Right",),
                options=("Right", "Wrong one", "Wrong two", "Wrong three"), correct_options=("Right",))
    _, text, _ = run(FakeBackend([card]), ["space", "3"])
    shown = random.Random(7).sample(card.options, 4)
    for letter, option in zip("abcd", shown):
        assert f"{letter}) {option}" in text
    assert f"✓ {'abcd'[shown.index('Right')]}) Right" in text


def test_list_answer_is_numbered_and_explanation_follows_reveal():
    card = Card(CardKey("d", "l"), "list", "Name the stages.", "1. pre-purchase\n2. purchase\n3. post-purchase",
                items=("pre-purchase", "purchase", "post-purchase"), explanation="Lemon & Verhoef 2016.")
    _, text, _ = run(FakeBackend([card]), ["space", "3"])
    assert "3 items" in text
    assert "1. pre-purchase" in text and "3. post-purchase" in text
    assert text.index("Lemon & Verhoef") > text.index("1. pre-purchase")


def test_cloze_shows_the_gap_with_its_hint():
    card = Card(CardKey("d", "z", "c1"), "cloze", "A blueprint shows [visible to the customer] actions.",
                "A blueprint shows [onstage] actions.", expected=("onstage",))
    _, text, _ = run(FakeBackend([card]), ["space", "3"])
    assert "[visible to the customer]" in text and "fill the gap" in text
    question = text.split("show answer")[0]
    assert "d/z@c1" not in question and "d/z@c1" in text  # the id only after reveal


def test_every_line_fits_80_columns_with_dutch_text_and_long_titles():
    card = basic("nl", "Wat is een klantreis? Beschrijf de fasen vóór, tijdens en ná de aankoop " * 3,
                 "De reis die een klant aflegt: oriëntatie, aankoop, gebruik en evaluatie — ‘één’ ervaring.",
                 tags=("klantreis", "definities"))
    backend = FakeBackend([card])
    backend.deck_title = lambda c: "Klantreizen en contactmomenten in de dienstverlening " * 2
    _, text, _ = run(backend, ["space", "3"])
    assert "ná de aankoop" in text and "‘één’ ervaring" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_typed_right_answer_suggests_and_enter_accepts():
    card = basic("a", "Capital of the Netherlands?", "Amsterdam")
    clock = FakeClock(step=timedelta(seconds=1))
    _, text, _script = run(FakeBackend([card]), ["amsterdam", "enter"], typed=True, clock=clock)
    assert "✓ right" in text and "Amsterdam" in text
    assert "▸ 4 Easy" in text  # right and fast


def test_typed_wrong_answer_suggests_again_and_number_overrides():
    backend = FakeBackend([basic("a", "Capital?", "Amsterdam")])
    _, text, _ = run(backend, ["Rotterdam", "3"], typed=True)
    assert "✗ wrong" in text and "▸ 1 Again" in text
    assert backend.answers == [("d/a", Rating.GOOD)]


def test_typed_enter_alone_shows_hint_then_answer():
    backend = FakeBackend([basic("a", "Who controls it?", "the firm", hint="think ownership")])
    _, text, _script = run(backend, ["", "", "enter", "q"], typed=True)
    assert "hint: think ownership" in text
    assert backend.answers == [("d/a", Rating.AGAIN)]
    assert text.index("hint: think ownership") < text.index("the firm")


def test_typed_hint_hidden_until_asked():
    backend = FakeBackend([basic("a", "Who controls it?", "the firm", hint="think ownership")])
    _, _text, _ = run(backend, ["", "the firm", "enter"], typed=True)
    assert backend.answers == [("d/a", Rating.HARD)]  # right, but with the hint


def test_typed_ctrl_d_quits():
    backend = FakeBackend([basic("a")])
    summary, text, _ = run(backend, ["eof"], typed=True)
    assert summary.cards == 0 and "session summary" in text


@pytest.mark.parametrize(("correct", "typo", "hint", "seconds", "expected"), [
    (False, False, False, 1, Rating.AGAIN),
    (True, True, False, 1, Rating.HARD),
    (True, False, True, 1, Rating.HARD),
    (True, False, False, 60, Rating.HARD),
    (True, False, False, 8, Rating.GOOD),
    (True, False, False, 2, Rating.EASY),
])
def test_suggested_rating_ladder(correct, typo, hint, seconds, expected):
    assert suggest_rating(correct, typo=typo, hint_used=hint, seconds=seconds, typed_chars=8) == expected


def test_one_rule_for_hints_they_wait_until_asked_in_normal_mode_too():
    card = basic("a", "Who controls it?", "the firm", hint="think ownership")
    _, text, _ = run(FakeBackend([card]), ["space", "3"])
    assert "think ownership" not in text and "h hint" in text
    _, text, _ = run(FakeBackend([card]), ["h", "space", "3"])
    assert text.index("hint: think ownership") < text.index("the firm")


def test_a_cloze_gap_hint_looks_like_a_hint_not_an_answer():
    from cjstudy.deck import parse_deck

    deck = parse_deck(b"deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: z\n"
                      b"    text: 'Loyalty comes {{c1::post-purchase::after buying}}.'\n", "d.yaml").deck
    card = deck.cards[0]
    _, text, _ = run(FakeBackend([card]), ["space", "3"])
    assert "[… hint: after buying]" in text and "[post-purchase]" in text
    assert "h hint" not in text  # the hint is already in the gap


def test_the_learning_wait_counts_down_on_a_terminal():
    backend = FakeBackend([basic("a")])
    clock = FakeClock(step=timedelta(0))
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.sleep(seconds)

    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system=None)
    run_study(backend, StudyIO(console, ScriptedKeys(["space", "1", "w", "space", "3"]), clock, sleep))
    text = out.getvalue()
    assert len(slept) >= 590 and max(slept) <= 1.0  # one redraw a second for the 10-minute step
    assert "waiting 10m 00s… (q stops)" in text and "waiting 5m 00s… (q stops)" in text
    assert "waiting 1s… (q stops)" in text


def test_o_opens_the_cards_image_with_the_viewer_and_keeps_the_card(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "map.png").write_bytes(b"\x89PNG")
    card = basic("img", front="Which map? [image: media/map.png]", back="The journey map")
    backend = FakeBackend([card], deck_file=str(tmp_path / "deck.yaml"))
    opened = []
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None, highlight=False)
    clock = FakeClock()
    run_study(backend, StudyIO(console, ScriptedKeys(["o", " ", "3", "q"]), clock, clock.sleep, random.Random(7),
                               opener=opened.append))
    assert opened == [tmp_path / "media" / "map.png"]
    assert "opened map.png" in out.getvalue() and backend.answers == [("d/img", Rating.GOOD)]


def test_o_without_a_viewer_or_media_says_so():
    _, output, _ = run(FakeBackend([basic("a")]), ["o", " ", "3", "q"])
    assert "no viewer here" in output
