"""Exam-date planning: new-card pacing, bringing weak cards forward, the saved exam, `plan`."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest

from cjstudy.memory.model import GOOD, Memory, MemoryModel
from cjstudy.model import CardKey, CardState
from cjstudy.study.pacing import ExamPlan
from cjstudy.memory.planning import (
    DEFAULT_LANDING, DEFAULT_TARGET, FINAL_WINDOW_DAYS, bring_forward, new_card_quota, recall_on,
    review_day,
)

MODEL = MemoryModel()
NOON = datetime(2025, 5, 20, 12, 0, tzinfo=timezone.utc)
TODAY = NOON.date().toordinal()


def day_of(moment: datetime) -> int:
    return moment.date().toordinal()


# --- pacing -----------------------------------------------------------------------------


@pytest.mark.parametrize("remaining, days_left, per_day, expected", [
    (0, 10, 20, 0),  # nothing left
    (30, 10, 20, 20),  # the student's own limit already finishes in time
    (30, 10, 2, 5),  # 7 days for new cards: ceil(30 / 7)
    (70, 10, 2, 10),
    (5, 10, 20, 5),  # never more than there is
    (30, 3, 2, 30),  # inside the last 3 days: everything left
    (30, 1, 2, 30),
])
def test_new_card_quota(remaining, days_left, per_day, expected):
    assert new_card_quota(remaining, days_left, per_day) == expected


def test_pacing_introduces_every_card_three_days_before_the_exam():
    remaining, introduced_on = 100, []
    for day in range(20):
        quota = new_card_quota(remaining, 20 - day, 3)
        introduced_on += [day] * quota
        remaining -= quota
    assert len(introduced_on) == 100 and max(introduced_on) < 17
    # spread evenly, not crammed: no day takes more than ceil(100 / 17) + 1
    assert max(introduced_on.count(d) for d in range(20)) <= 7


# --- bringing forward -------------------------------------------------------------------


def test_fsrs_due_before_the_exam_stands():
    weak = Memory(1.0, 7.0)
    assert review_day(MODEL, weak, 10, 12, 30) == 12


def test_strong_cards_keep_their_fsrs_day():
    strong = Memory(400.0, 3.0)
    assert MODEL.retrievability(400.0, 20) > DEFAULT_TARGET
    assert review_day(MODEL, strong, 10, 200, 30) == 200


def test_weak_card_due_after_the_exam_is_reviewed_shortly_before_it():
    memory = Memory(12.0, 5.0)
    last, exam = 10, 30
    assert MODEL.retrievability(memory.stability, exam - last) < DEFAULT_TARGET
    day = review_day(MODEL, memory, last, 35, exam)
    assert exam - FINAL_WINDOW_DAYS <= day < exam
    after = MODEL.review(memory, GOOD, day - last)
    landing = MODEL.retrievability(after.stability, exam - day)
    assert landing >= DEFAULT_LANDING or day == exam - 1
    if day > exam - FINAL_WINDOW_DAYS:  # the chosen day is the earliest in the window that lands
        before = MODEL.review(memory, GOOD, day - 1 - last)
        assert MODEL.retrievability(before.stability, exam - day + 1) < DEFAULT_LANDING


def test_weakest_cards_land_last():
    days = [review_day(MODEL, Memory(s, 5.0), 0, 60, 40) for s in (3.0, 15.0, 40.0)]
    assert days == sorted(days, reverse=True) and days[0] > days[-1]
    assert all(40 - FINAL_WINDOW_DAYS <= day <= 39 for day in days)


def test_no_review_on_or_after_exam_day_is_invented():
    memory = Memory(2.0, 5.0)
    assert review_day(MODEL, memory, 29, 31, 30) == 31  # reviewed yesterday: nothing left to move
    assert review_day(MODEL, memory, 30, 32, 30) == 32


def card(due_in: float, stability: float, last_ago: float = 5, kind: str = "review") -> CardState:
    return CardState(kind, None, stability, 5.0, NOON + timedelta(days=due_in), NOON - timedelta(days=last_ago), 4, 0)


def test_bring_forward_picks_weak_cards_not_yet_due_weakest_first():
    exam_day = TODAY + 1  # exam tomorrow: today is the last day to review
    states = {
        CardKey("d", "weak"): card(10, 3.0),  # R(exam) low, due after the exam: bring forward
        CardKey("d", "weaker"): card(12, 2.0),
        CardKey("d", "strong"): card(90, 300.0),  # recalled at the exam anyway
        CardKey("d", "due"): card(-1, 2.0),  # already due: the normal queue has it
        CardKey("d", "learning"): card(10, 2.0, kind="learning"),
        CardKey("d", "new"): CardState(),
    }
    picked = bring_forward(states, today=TODAY, exam_day=exam_day, day_of=day_of, model=MODEL)
    assert [p.key.card for p in picked] == ["weaker", "weak"]
    assert all(p.recall_at_exam < DEFAULT_TARGET for p in picked)
    only = bring_forward(states, today=TODAY, exam_day=exam_day, day_of=day_of, model=MODEL,
                         keys=[CardKey("d", "weak")])
    assert [p.key.card for p in only] == ["weak"]


def test_nothing_is_brought_forward_before_its_day():
    states = {CardKey("d", "weak"): card(10, 3.0)}
    assert bring_forward(states, today=TODAY, exam_day=TODAY + 40, day_of=day_of, model=MODEL) == []
    # exam in two days: this card's day is tomorrow (no earlier day would carry it to 0.99)
    assert bring_forward(states, today=TODAY, exam_day=TODAY + 2, day_of=day_of, model=MODEL) == []
    assert len(bring_forward(states, today=TODAY + 1, exam_day=TODAY + 2, day_of=day_of, model=MODEL)) == 1


def test_recall_on_counts_unstudied_cards_as_zero():
    states = [card(3, 10.0, last_ago=0), CardState()]
    assert recall_on(MODEL, states, TODAY, day_of) == pytest.approx(0.5)


# --- the saved exam ---------------------------------------------------------------------


def test_exam_plan_round_trips_and_refuses_junk():
    plan = ExamPlan(date(2025, 6, 30), ("touch-points",), ("definitions",))
    assert ExamPlan.from_setting(plan.to_setting()) == plan
    for junk in (None, "2025-06-30", {"date": "30/06/2025"}, {"date": "2025-06-30", "decks": [1]}):
        assert ExamPlan.from_setting(junk) is None


# --- CLI --------------------------------------------------------------------------------

DECK = "deck: plan-deck\ntitle: Plan\nlanguage: en\ncards:\n" + "".join(
    f"  - {{id: c{i}, front: Question {i}, back: Answer {i}, tags: [{'even' if i % 2 == 0 else 'odd'}]}}\n"
    for i in range(30))


@pytest.fixture
def deck_dir(write_deck):
    return str(write_deck(DECK).parent)


def set_new_per_day(value: int) -> None:
    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    with open_store(store_path(os.environ)) as store:
        store.set_setting("new_per_day", value)


def plan_json(runner, deck_dir, *args):
    from cjstudy.cli import app

    result = runner.invoke(app, ["--decks", deck_dir, "plan", "--deck", "plan-deck", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_plan_paces_new_cards_to_finish_before_the_exam(runner, deck_dir):
    set_new_per_day(2)  # at 2 a day, 30 cards would take 15 days: too slow for an exam in 10
    exam = date.today() + timedelta(days=10)
    data = plan_json(runner, deck_dir, "--exam", exam.isoformat())
    days = data["days"]
    assert len(days) == (exam - date.fromisoformat(data["today"])).days
    assert data["cards"] == 30 and data["started"] == 0
    assert sum(d["new"] for d in days[:len(days) - 3]) == 30
    assert all(d["new"] == 0 for d in days[len(days) - 3:])
    assert max(d["new"] for d in days) <= 6  # spread, not all on day one
    # plain FSRS at 2 a day leaves cards unseen: exam-aware scheduling recalls clearly more
    assert data["recall_at_exam"]["exam_aware"] > data["recall_at_exam"]["fsrs"] + 0.2


def test_plan_tag_filter_and_save_then_clear(runner, deck_dir):
    from cjstudy.cli import app

    exam = (date.today() + timedelta(days=14)).isoformat()
    data = plan_json(runner, deck_dir, "--exam", exam, "--tag", "even", "--save")
    assert data["cards"] == 15 and data["tags"] == ["even"]
    saved = plan_json(runner, deck_dir)  # no --exam: the saved exam, decks and tags
    assert saved["exam"] == exam and saved["cards"] == 15
    result = runner.invoke(app, ["plan", "--clear"])
    assert result.exit_code == 0 and "removed" in result.output
    result = runner.invoke(app, ["--decks", deck_dir, "plan"])
    assert result.exit_code == 2 and "no exam saved" in result.output


def test_plan_table_at_80_columns(runner, deck_dir):
    from cjstudy.cli import app

    exam = (date.today() + timedelta(days=12)).isoformat()
    result = runner.invoke(app, ["--decks", deck_dir, "plan", "--exam", exam, "--deck", "plan-deck"])
    assert result.exit_code == 0, result.output
    assert "plain FSRS" in result.output and "exam-aware" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())


SOON = (date.today() + timedelta(days=30)).isoformat()


@pytest.mark.parametrize("args, message", [
    (["--exam", (date.today() - timedelta(days=3)).isoformat()], "must be after today"),
    (["--exam", "next week"], "is not a date like"),
    (["--exam", (date.today() + timedelta(days=4000)).isoformat()], "more than 3650 days"),
    (["--clear", "--exam", SOON], "cannot be combined"),
    (["--exam", SOON, "--deck", "nope"], "no deck 'nope'"),
    (["--exam", SOON, "--tag", "nope"], "no card has the tag 'nope'"),
])
def test_plan_bad_input_is_one_line(runner, deck_dir, args, message):
    from cjstudy.cli import app

    result = runner.invoke(app, ["--decks", deck_dir, "plan", *args])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def local_zone():
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def test_study_paces_new_cards_while_an_exam_is_saved(runner, deck_dir):
    from cjstudy.cli.insight_support import local_day_of, memory_model_of
    from cjstudy.study.pacing import exam_pacing
    from cjstudy.deck import parse_deck
    from cjstudy.paths import store_path
    from cjstudy.study.pacing import EXAM_SETTING
    from cjstudy.study.session import SessionOptions
    from cjstudy.store import open_store

    deck = parse_deck(DECK.encode(), "plan.yaml").deck
    moment = datetime.now(timezone.utc)
    today = local_day_of()(moment)
    options = SessionOptions(new_per_day=2)
    with open_store(store_path(os.environ)) as store:
        assert exam_pacing(store, [deck], options, moment, local_zone(), memory_model_of(store)) == options  # no exam saved
        exam = date.fromordinal(today + 10)
        store.set_setting(EXAM_SETTING, ExamPlan(exam).to_setting())
        paced = exam_pacing(store, [deck], options, moment, local_zone(), memory_model_of(store))
        assert paced.new_per_day == new_card_quota(30, 10, 2) == 5
        assert paced.decks == options.decks and paced.new_cards == options.new_cards
        store.set_setting(EXAM_SETTING, ExamPlan(exam, ("other-deck",)).to_setting())
        assert exam_pacing(store, [deck], options, moment, local_zone(), memory_model_of(store)) == options  # the exam covers other decks
        store.set_setting(EXAM_SETTING, ExamPlan(date.fromordinal(today)).to_setting())
        assert exam_pacing(store, [deck], options, moment, local_zone(), memory_model_of(store)) == options  # exam day: nothing to pace


def test_study_session_under_an_exam_asks_weak_cards_early(tmp_path):
    """The day before the exam a weak card due next week is asked; a strong one is not."""
    import random as random_module

    from cjstudy.cli.insight_support import local_day_of, memory_model_of
    from cjstudy.study.pacing import exam_pacing
    from cjstudy.deck import parse_deck
    from cjstudy.model import Rating, Review
    from cjstudy.paths import store_path
    from cjstudy.study.pacing import EXAM_SETTING
    from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
    from cjstudy.study.session import SessionOptions, StudySession, study_day
    from cjstudy.store import open_store

    deck = parse_deck(DECK.encode(), "plan.yaml").deck
    moment = datetime.now(timezone.utc)
    today = local_day_of()(moment)
    zone = datetime.now().astimezone().tzinfo
    with open_store(store_path(os.environ)) as store:
        for card_id, stability, due_in in (("c0", 3.0, 7), ("c1", 300.0, 90)):
            key = CardKey("plan-deck", card_id)
            last = moment - timedelta(days=5)
            after = CardState("review", None, stability, 5.0, moment + timedelta(days=due_in), last, 3, 0)
            store.record_review(Review(key, last, Rating.GOOD, 4000, CardState(), after))
        store.set_setting(EXAM_SETTING, ExamPlan(date.fromordinal(today + 1), ("plan-deck",)).to_setting())
        options = exam_pacing(store, [deck], SessionOptions(new_per_day=0), moment, zone, memory_model_of(store))
        assert options.extra_reviews == (CardKey("plan-deck", "c0"),)
        session = StudySession.start(store, [deck], Scheduler(SchedulerConfig(fuzz=False)), moment,
                                     study_day(moment, zone), random_module.Random(1), options)
        asked = []
        while (card := session.next_card(moment)) is not None and len(asked) < 40:
            asked.append(card.key.card)
            session.answer(card, Rating.EASY, moment, 1000)
        # exam tomorrow: the weak card is asked once, every never-studied card is paced into
        # today, and the strong card (due in 90 days, recalled at the exam anyway) is left alone
        assert asked.count("c0") == 1 and "c1" not in asked
        assert len(asked) == 29
