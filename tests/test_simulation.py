"""The simulated learner: the memory model, determinism by seed, shared luck, the exam goal, `simulate`."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from cjstudy.memory.model import DEFAULT_PARAMETERS, Memory, MemoryModel
from cjstudy.model import CardState, Rating
from cjstudy.memory.simulation import (
    LearnerProfile, SimulationConfig, StartCard, _sm2, average, card_streams, profile_from_history, simulate,
)

# --- the memory model agrees with the scheduler -------------------------------------------


def test_default_parameters_are_fsrs_defaults():
    from cjstudy.memory.scheduler import default_parameters

    assert DEFAULT_PARAMETERS == default_parameters()


@pytest.mark.parametrize("parameters", [None, (0.1, 0.4, 0.8, 3.0, 6.4, 0.83, 3.0, 0.01, 2.1, 0.17, 0.8, 1.5,
                                               0.06, 0.26, 1.65, 0.6, 1.87, 0.54, 0.09, 0.07, 0.5)])
def test_memory_model_matches_the_scheduler(parameters):
    from cjstudy.memory.scheduler import Scheduler, SchedulerConfig

    scheduler = Scheduler(SchedulerConfig(parameters=parameters, fuzz=False))
    model = MemoryModel(parameters)
    rng = random.Random(5)
    for _ in range(100):
        moment = datetime(2025, 1, 1, 9, tzinfo=timezone.utc)
        state, memory = CardState(), None
        for step in range(8):
            rating = rng.choice((1, 2, 3, 3, 3, 4))
            later = moment + timedelta(days=rng.choice((0, 0, 1, 3, 8, 21)) if step else 0, minutes=10)
            state = scheduler.review(state, Rating(rating), later)
            memory = model.initial(rating) if memory is None else model.review(memory, rating, (later - moment).days)
            moment = later
            assert memory.stability == pytest.approx(state.stability, rel=1e-9)
            assert memory.difficulty == pytest.approx(state.difficulty, rel=1e-9)
            assert model.retrievability(memory.stability, 4) == pytest.approx(
                scheduler.retrievability(state, moment + timedelta(days=4)), rel=1e-9)


def test_model_refuses_a_wrong_vector():
    with pytest.raises(ValueError):
        MemoryModel([0.1] * 19)


def test_scheduled_days_at_the_desired_retention():
    model = MemoryModel()
    days = model.scheduled_days(10.0, 0.9)
    assert days == 10  # by definition R falls to 0.9 after S days
    assert model.retrievability(10.0, days) == pytest.approx(0.9)


# --- SM-2 -------------------------------------------------------------------------------


def test_sm2_steps():
    assert _sm2(10, 2.5, 3, 0) == (25, 2.5)
    assert _sm2(10, 2.5, 2, 0) == (12, 2.35)
    assert _sm2(10, 2.5, 4, 0) == pytest.approx((32.5, 2.65))
    assert _sm2(10, 2.5, 1, 0) == (1.0, pytest.approx(2.3))
    assert _sm2(10, 1.3, 1, 0)[1] == 1.3  # ease floor
    assert _sm2(1, 1.3, 3, 0)[0] == 3  # good is always at least hard + 1


# --- determinism and shared luck ----------------------------------------------------------


def as_data(results):
    return [r.to_dict(days=True) for r in results]


def test_same_seed_same_run_other_seed_other_run():
    config = SimulationConfig(cards=60, new_per_day=10, exam_in=14, seed=3)
    assert as_data(simulate(config)) == as_data(simulate(config))
    other = SimulationConfig(cards=60, new_per_day=10, exam_in=14, seed=4)
    assert as_data(simulate(config)) != as_data(simulate(other))


def test_strategies_do_not_disturb_each_others_luck():
    config = SimulationConfig(cards=50, new_per_day=10, exam_in=12, seed=9)
    together = {r.name: r.to_dict(days=True) for r in simulate(config)}
    for name in ("sm2", "fsrs", "exam"):
        assert simulate(config, strategies=[name])[0].to_dict(days=True) == together[name]


def test_card_streams_are_fixed_by_the_seed():
    assert card_streams(1, 3) == card_streams(1, 3) != card_streams(2, 3)
    assert card_streams(1, 5)[:3] == card_streams(1, 3)


def test_first_days_are_identical_until_schedules_differ():
    """Same luck: every strategy introduces the same cards with the same first answers."""
    results = simulate(SimulationConfig(cards=40, new_per_day=40, exam_in=10, seed=1))
    first_days = {(r.days[0].new, r.days[0].reviews, round(r.days[0].seconds, 6)) for r in results}
    assert len(first_days) == 1


def test_unknown_strategy_and_bad_config():
    with pytest.raises(ValueError):
        simulate(SimulationConfig(cards=5), strategies=["leitner"])
    with pytest.raises(ValueError):
        simulate(SimulationConfig(cards=5, exam_in=0))


# --- what the exam strategy is for ----------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_exam_goal_200_cards_20_a_day_exam_in_21_days(seed):
    sm2, fsrs, exam = simulate(SimulationConfig(cards=200, new_per_day=20, exam_in=21, seed=seed))
    assert exam.recall_at_exam >= fsrs.recall_at_exam + 0.01
    assert exam.review_minutes <= 1.15 * fsrs.review_minutes
    assert 0.9 < fsrs.recall_at_exam < 1 and sm2.reviews > fsrs.reviews


def test_exam_strategy_paces_new_cards_to_finish_early():
    config = SimulationConfig(cards=200, new_per_day=5, exam_in=21, seed=0)
    fsrs, exam = simulate(config, strategies=["fsrs", "exam"])
    assert sum(d.new for d in fsrs.days) == 105  # 5 a day for 21 days
    assert sum(d.new for d in exam.days) == 200
    assert all(d.new == 0 for d in exam.days[-3:])
    assert exam.recall_at_exam > fsrs.recall_at_exam + 0.3


def test_start_cards_carry_existing_progress():
    model = MemoryModel()
    start = [StartCard(Memory(30.0, 5.0), -2, 25) for _ in range(10)] + [StartCard() for _ in range(10)]
    fsrs, exam = simulate(SimulationConfig(cards=20, new_per_day=10, exam_in=7), model,
                          strategies=["fsrs", "exam"], start=start)
    assert sum(d.new for d in fsrs.days) == 10  # only the new ones are introduced
    # the started cards are due after the exam: exam-aware scheduling reviews them before it
    assert exam.reviews > fsrs.reviews and exam.recall_at_exam > fsrs.recall_at_exam


def test_average_of_runs():
    runs = [simulate(SimulationConfig(cards=30, exam_in=8, seed=s), strategies=["fsrs"]) for s in range(3)]
    (mean,) = average(runs)
    assert mean.recall_at_exam == pytest.approx(sum(r[0].recall_at_exam for r in runs) / 3)
    assert len(mean.days) == 8


def test_profile_from_history_uses_medians_where_there_is_enough():
    answers = [("review", 3, 6000)] * 40 + [("review", 1, 30000)] * 5 + [("new", 3, 999_999)] * 40
    profile = profile_from_history(answers)
    assert profile.review_seconds[2] == 6.0
    assert profile.review_seconds[0] == LearnerProfile().review_seconds[0]  # too few: typical
    assert profile.learn_seconds == LearnerProfile().learn_seconds  # over 5 minutes: ignored
    assert profile.source == "your history"
    assert profile_from_history([]).source == "typical"


# --- CLI --------------------------------------------------------------------------------


def run_json(runner, *args):
    from cjstudy.cli import app

    result = runner.invoke(app, ["simulate", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_simulate_cli_json_is_deterministic_by_seed(runner):
    first = run_json(runner, "--cards", "80", "--new-per-day", "10", "--exam-in", "15", "--seed", "7")
    assert [s["name"] for s in first["strategies"]] == ["sm2", "fsrs", "exam"]
    assert set(first["strategies"][0]) == {"name", "recall_at_exam", "review_minutes", "reviews"}
    assert first == run_json(runner, "--cards", "80", "--new-per-day", "10", "--exam-in", "15", "--seed", "7")
    assert first != run_json(runner, "--cards", "80", "--new-per-day", "10", "--exam-in", "15", "--seed", "8")
    assert first["parameters"] == "default" and first["answer_times"] == "typical"


def test_simulate_cli_defaults_meet_the_goal(runner):
    data = run_json(runner)
    by_name = {s["name"]: s for s in data["strategies"]}
    assert data["cards"] == 200 and data["new_per_day"] == 20 and data["exam_in"] == 21
    assert by_name["exam"]["recall_at_exam"] >= by_name["fsrs"]["recall_at_exam"] + 0.01
    assert by_name["exam"]["review_minutes"] <= 1.15 * by_name["fsrs"]["review_minutes"]


def test_simulate_cli_table_and_bad_values(runner):
    from cjstudy.cli import app

    result = runner.invoke(app, ["simulate", "--cards", "50"])
    assert result.exit_code == 0 and "exam" in result.output and "recall at exam" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())
    result = runner.invoke(app, ["simulate", "--cards", "0"])
    assert result.exit_code == 2 and "Traceback" not in result.output
