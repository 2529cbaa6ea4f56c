"""Scheduler: intervals pinned with fuzzing off, our own seeded fuzz, reps/lapses, config errors."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from cjstudy.errors import UsageError
from cjstudy.model import CardState, Rating
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig, default_parameters, fuzz_range, fuzzed_days

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)


@pytest.fixture
def plain() -> Scheduler:
    return Scheduler(SchedulerConfig(fuzz=False))


def graduated(s: Scheduler) -> CardState:
    """New → Good → Good ten minutes later: a review card due in 2 days."""
    state = s.review(CardState(), Rating.GOOD, T0)
    return s.review(state, Rating.GOOD, T0 + 10 * MIN)


def test_new_card_intervals_are_the_fsrs6_defaults(plain: Scheduler):
    assert plain.preview(CardState(), T0) == {
        Rating.AGAIN: 1 * MIN, Rating.HARD: timedelta(seconds=330), Rating.GOOD: 10 * MIN, Rating.EASY: 8 * DAY,
    }


def test_learning_steps_then_graduation(plain: Scheduler):
    first = plain.review(CardState(), Rating.GOOD, T0)
    assert (first.state, first.step, first.due, first.reps, first.lapses) == ("learning", 1, T0 + 10 * MIN, 1, 0)
    assert first.stability == pytest.approx(2.3065)
    assert plain.preview(first, T0 + 10 * MIN) == {
        Rating.AGAIN: 1 * MIN, Rating.HARD: 10 * MIN, Rating.GOOD: 2 * DAY, Rating.EASY: 4 * DAY,
    }
    second = graduated(plain)
    assert (second.state, second.step, second.reps) == ("review", None, 2)
    assert second.due == T0 + 10 * MIN + 2 * DAY
    assert second.last_review == T0 + 10 * MIN


def test_review_intervals_and_a_lapse(plain: Scheduler):
    card = graduated(plain)
    at = card.due
    assert plain.preview(card, at) == {
        Rating.AGAIN: 10 * MIN, Rating.HARD: 8 * DAY, Rating.GOOD: 11 * DAY, Rating.EASY: 19 * DAY,
    }
    lapsed = plain.review(card, Rating.AGAIN, at)
    assert (lapsed.state, lapsed.step, lapsed.reps, lapsed.lapses) == ("relearning", 0, 3, 1)
    assert lapsed.due == at + 10 * MIN
    back = plain.review(lapsed, Rating.GOOD, lapsed.due)
    assert (back.state, back.reps, back.lapses) == ("review", 4, 1)
    assert back.due == lapsed.due + 1 * DAY


def test_again_on_a_learning_card_is_not_a_lapse(plain: Scheduler):
    state = plain.review(CardState(), Rating.AGAIN, T0)
    state = plain.review(state, Rating.AGAIN, T0 + MIN)
    assert (state.state, state.reps, state.lapses) == ("learning", 2, 0)


def test_lower_desired_retention_means_longer_intervals():
    card = graduated(Scheduler(SchedulerConfig(fuzz=False)))
    good = {r: Scheduler(SchedulerConfig(desired_retention=r, fuzz=False)).preview(card, card.due)[Rating.GOOD]
            for r in (0.8, 0.9, 0.95)}
    assert good == {0.8: 36 * DAY, 0.9: 11 * DAY, 0.95: 4 * DAY}


def test_custom_steps_are_used():
    s = Scheduler(SchedulerConfig(learning_steps=(5 * MIN,), relearning_steps=(), fuzz=False))
    assert s.preview(CardState(), T0)[Rating.AGAIN] == 5 * MIN
    assert s.review(CardState(), Rating.GOOD, T0).state == "review"


def test_maximum_interval_caps_reviews():
    s = Scheduler(SchedulerConfig(maximum_interval=3, fuzz=False))
    card = graduated(s)
    assert s.preview(card, card.due)[Rating.EASY] == 3 * DAY


def test_retrievability(plain: Scheduler):
    import fsrs

    assert plain.retrievability(CardState(), T0) == 0.0
    card = graduated(plain)
    assert plain.retrievability(card, card.last_review) == pytest.approx(1.0)
    values = [plain.retrievability(card, card.last_review + n * DAY) for n in (1, 2, 5, 30)]
    assert values == sorted(values, reverse=True) and values[-1] < 0.7
    # At the scheduled due date recall is about the desired retention.
    assert plain.retrievability(card, card.due) == pytest.approx(0.9, abs=0.03)
    reference = fsrs.Scheduler(enable_fuzzing=False)
    fcard = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=card.stability, difficulty=card.difficulty,
                      due=card.due, last_review=card.last_review)
    at = card.last_review + 7 * DAY
    assert plain.retrievability(card, at) == pytest.approx(reference.get_card_retrievability(fcard, at))


def test_fuzz_range_pinned():
    assert fuzz_range(2) == (2, 2)
    assert fuzz_range(3) == (2, 4)
    assert fuzz_range(10) == (8, 12)
    assert fuzz_range(100) == (93, 107)
    assert fuzz_range(100, maximum_interval=101) == (93, 101)
    assert [fuzzed_days(10, f) for f in (0.0, 0.2, 0.5, 0.99, 1.0)] == [8, 9, 10, 12, 12]


def long_intervals(seed: int) -> list[timedelta]:
    """A card answered Good at each due date; fuzz applies from the first 3+ day interval on."""
    s = Scheduler(SchedulerConfig(), rng=random.Random(seed))
    state, at, out = graduated(s), T0, []
    for _ in range(6):
        at = state.due
        state = s.review(state, Rating.GOOD, at)
        out.append(state.due - at)
    return out


def test_fuzz_is_deterministic_with_a_seeded_rng_and_varies_between_seeds():
    assert long_intervals(7) == long_intervals(7)
    assert any(long_intervals(seed) != long_intervals(7) for seed in range(8, 14))


def test_fuzz_stays_in_range_and_whole_days():
    unfuzzed = Scheduler(SchedulerConfig(fuzz=False))
    card = graduated(unfuzzed)
    base = unfuzzed.preview(card, card.due)[Rating.GOOD].days
    low, high = fuzz_range(base)
    seen = set()
    for seed in range(200):
        s = Scheduler(SchedulerConfig(), rng=random.Random(seed))
        delta = s.review(card, Rating.GOOD, card.due).due - card.due
        assert delta.seconds == 0 and low <= delta.days <= high
        seen.add(delta.days)
    assert seen == set(range(low, high + 1))


def test_preview_with_the_same_fuzz_tells_the_truth():
    s = Scheduler(SchedulerConfig())
    card = graduated(Scheduler(SchedulerConfig(fuzz=False)))
    for fuzz in (0.0, 0.37, 0.99):
        shown = s.preview(card, card.due, fuzz=fuzz)
        for rating in Rating:
            assert s.review(card, rating, card.due, fuzz=fuzz).due - card.due == shown[rating]


def test_fuzz_leaves_the_global_random_alone():
    random.seed(123)
    expected = [random.random() for _ in range(3)]
    random.seed(123)
    s = Scheduler(SchedulerConfig(), rng=random.Random(1))
    card = graduated(s)
    for _ in range(5):
        card = s.review(card, Rating.GOOD, card.due)
    assert [random.random() for _ in range(3)] == expected


def test_short_intervals_are_never_fuzzed():
    s = Scheduler(SchedulerConfig(), rng=random.Random(3))
    assert s.preview(CardState(), T0, fuzz=0.99) == Scheduler(SchedulerConfig(fuzz=False)).preview(CardState(), T0) | {
        Rating.EASY: s.preview(CardState(), T0, fuzz=0.99)[Rating.EASY]}
    assert s.review(CardState(), Rating.GOOD, T0, fuzz=0.99).due == T0 + 10 * MIN


def test_times_in_other_zones_are_accepted_and_naive_ones_refused(plain: Scheduler):
    from datetime import timezone as tz

    cet = T0.astimezone(tz(timedelta(hours=1)))
    assert plain.review(CardState(), Rating.GOOD, cet).due == T0 + 10 * MIN
    with pytest.raises(ValueError, match="timezone-aware"):
        plain.review(CardState(), Rating.GOOD, T0.replace(tzinfo=None))


@pytest.mark.parametrize("config, message", [
    (SchedulerConfig(desired_retention=1.5), "desired retention"),
    (SchedulerConfig(desired_retention=0.0), "desired retention"),
    (SchedulerConfig(parameters=(1.0, 2.0)), "invalid FSRS parameters"),
    (SchedulerConfig(parameters=(500.0,) * 21), "invalid FSRS parameters"),
    (SchedulerConfig(learning_steps=(timedelta(0),)), "learning steps"),
    (SchedulerConfig(maximum_interval=0), "maximum interval"),
])
def test_bad_config_is_a_usage_error(config: SchedulerConfig, message: str):
    with pytest.raises(UsageError, match=message):
        Scheduler(config)


def test_default_parameters_are_fsrs6():
    params = default_parameters()
    assert len(params) == 21
    assert Scheduler(SchedulerConfig(parameters=params, fuzz=False)).preview(CardState(), T0)[Rating.EASY] == 8 * DAY


def test_importing_the_scheduler_does_not_import_fsrs():
    code = "import sys, cjstudy.memory.scheduler, cjstudy.study.session; print('fsrs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
