"""Building exams through the library: determinism, spread, kinds, distractors, filters."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjstudy.errors import UnknownCardError, UsageError
from cjstudy.exam.questions import (
    KINDS, NoQuestionsError, answer_problem, grade_question, order_from_numbers, parse_truth,
)
from cjstudy.exam.build import (
    DISTRACTORS,
    answer_text,
    build_exam,
    parse_kinds,
    select_cards,
    similar_length,
)
from cjstudy.grading.grade import match_answer, normalize
from test_exam_support import JOURNEY, both_decks, deck_of, right_answer, wrong_answer


def fingerprint(exam):
    return [(q.key, q.kind, q.prompt, q.options, q.truth) for q in exam.questions]


def test_same_seed_same_exam_and_other_seeds_differ():
    decks = both_decks()
    first = build_exam(decks, random.Random(42), count=12)
    again = build_exam(both_decks(), random.Random(42), count=12)
    assert fingerprint(first) == fingerprint(again)
    others = {tuple(fingerprint(build_exam(decks, random.Random(seed), count=12))) for seed in range(1, 6)}
    assert len(others) == 5


def test_deck_order_does_not_change_the_exam():
    decks = both_decks()
    assert fingerprint(build_exam(decks, random.Random(3), count=10)) == \
        fingerprint(build_exam(list(reversed(decks)), random.Random(3), count=10))


@pytest.mark.parametrize("seed", range(8))
def test_every_kind_appears_and_one_question_per_card(seed):
    exam = build_exam(both_decks(), random.Random(seed), count=20)
    assert len(exam.questions) == 20
    kinds = Counter(q.kind for q in exam.questions)
    assert set(kinds) == set(KINDS), kinds
    keys = [q.key for q in exam.questions]
    assert len(keys) == len(set(keys))


def test_questions_spread_over_decks():
    exam = build_exam(both_decks(), random.Random(1), count=8)
    per_deck = Counter(q.deck for q in exam.questions)
    assert per_deck == {"exam-journey": 4, "exam-service": 4}


def test_notes_are_used_once_before_a_second_card_of_the_same_note():
    exam = build_exam(both_decks(), random.Random(9), count=10)
    notes = [(q.key.deck, q.key.card) for q in exam.questions]
    assert len(notes) == len(set(notes))  # 20 notes available, so no note twice in 10 questions


def test_more_than_available_uses_what_there_is():
    exam = build_exam(both_decks(), random.Random(1), count=500)
    total_cards = sum(len(d.cards) for d in both_decks())
    assert len(exam.questions) == total_cards and exam.short and exam.requested == 500


def test_kinds_filter_and_unknown_kind():
    exam = build_exam(both_decks(), random.Random(2), count=50, kinds=("order", "truefalse"))
    assert {q.kind for q in exam.questions} == {"order", "truefalse"}
    assert parse_kinds(["choice,order", "order"]) == ("order", "choice")
    assert parse_kinds(None) == KINDS
    with pytest.raises(UsageError) as raised:
        parse_kinds(["recall,essay"])
    message = str(raised.value)
    assert "essay" in message and all(k in message for k in KINDS)
    assert raised.value.exit_code == 2


def test_deck_and_tag_selection():
    decks = both_decks()
    only = build_exam(decks, random.Random(1), count=50, deck_ids=["exam-service"])
    assert {q.deck for q in only.questions} == {"exam-service"}
    tagged = select_cards(decks, tags=["Touch-Points"])
    assert {c.key.card for c in tagged} == {"brand-owned", "partner-owned", "customer-owned", "social"}
    either = select_cards(decks, tags=["touch-points", "service"])
    assert len(either) == 4 + len(decks[1].cards)
    with pytest.raises(UnknownCardError, match="no deck 'exam-servise'.*did you mean 'exam-service'"):
        select_cards(decks, deck_ids=["exam-servise"])
    with pytest.raises(UnknownCardError, match="tag 'touchpoints'.*did you mean 'touch-points'"):
        select_cards(decks, tags=["touchpoints"])
    with pytest.raises(UnknownCardError, match="tag 'journey'"):
        select_cards(decks, deck_ids=["exam-service"], tags=["journey"])


def test_nothing_to_ask_is_an_error():
    lonely = deck_of("deck: lonely\ntitle: L\nlanguage: en\ncards:\n  - id: a\n    front: Q?\n    back: A\n")
    with pytest.raises(NoQuestionsError):
        build_exam([lonely], random.Random(1), kinds=("choice",))


# --- generated multiple choice -----------------------------------------------------------


def generated_choices(seeds=range(30)):
    decks = both_decks()
    for seed in seeds:
        exam = build_exam(decks, random.Random(seed), count=40, kinds=("choice",))
        for q in exam.questions:
            if q.source.type == "basic":
                yield q, decks


def test_generated_choice_distractor_rules():
    seen = 0
    for q, decks in generated_choices():
        seen += 1
        right = answer_text(q.source)
        options = list(q.options)
        assert len(options) == DISTRACTORS + 1
        assert options.count(right) == 1
        distractors = [o for o in options if o != right]
        keys = [normalize(o) for o in options]
        assert len(set(keys)) == len(keys), options  # distinct after normalising
        deck = next(d for d in decks if d.id == q.deck)
        sibling_answers = {answer_text(c) for c in deck.cards
                           if c.type == "basic" and c.key.card != q.key.card and c.key.variant == q.key.variant}
        for option in distractors:
            assert option in sibling_answers  # from the same deck, same direction
            assert similar_length(option, right), (option, right)
            assert not match_answer(option, q.source.expected + q.source.accept).accepted
        assert q.graded is not None and q.graded.correct_options == (right,)
    assert seen >= 30


def test_similar_length_rule():
    assert similar_length("abcdef", "abcdefghijkl")  # 6 chars off a 12-char answer: half
    assert not similar_length("a", "abcdefghijklmnop")
    assert similar_length("xy", "abcdefgh")  # short answers get 6 characters of slack
    assert not similar_length("x" * 40, "abcdefghij")


def test_distractors_never_right_even_with_typos_or_other_spelling():
    text = JOURNEY.replace("back: the customer alone", "back: The Firm Itself!") \
                  .replace("back: the firm's partners", "back: the firm itsel")
    deck = deck_of(text)
    for seed in range(20):
        exam = build_exam([deck], random.Random(seed), count=40, kinds=("choice", "truefalse"))
        brand = [q for q in exam.questions if q.key.card == "brand-owned"]
        for q in brand:
            shown = set(q.options) | ({q.claim} if q.kind == "truefalse" and not q.truth else set())
            assert "The Firm Itself!" not in shown and "the firm itsel" not in shown


def test_basic_card_without_enough_siblings_gets_no_generated_choice():
    text = ("deck: tiny\ntitle: T\nlanguage: en\ncards:\n"
            "  - {id: a, front: Q1?, back: alpha}\n  - {id: b, front: Q2?, back: beta}\n"
            "  - {id: c, front: Q3?, back: gamma}\n")
    deck = deck_of(text)
    exam = build_exam([deck], random.Random(1), count=10)
    assert "choice" not in {q.kind for q in exam.questions}
    assert {q.kind for q in exam.questions} <= {"recall", "truefalse"}


def test_a_long_sibling_answer_is_no_distractor_for_a_short_one():
    long = "a very long answer that would stand out among three one-word options at once"
    text = ("deck: tiny\ntitle: T\nlanguage: en\ncards:\n"
            "  - {id: a, front: Q1?, back: alpha}\n  - {id: b, front: Q2?, back: beta}\n"
            f"  - {{id: c, front: Q3?, back: gamma}}\n  - {{id: d, front: Q4?, back: {long}}}\n")
    deck = deck_of(text)
    for seed in range(10):
        exam = build_exam([deck], random.Random(seed), count=10, kinds=("choice", "recall"))
        assert [q for q in exam.questions if q.kind == "choice"] == []


# --- the questions themselves ------------------------------------------------------------


def test_order_items_are_shown_shuffled_and_numbers_grade():
    for seed in range(10):
        exam = build_exam(both_decks(), random.Random(seed), count=50, kinds=("order",))
        for q in exam.questions:
            assert list(q.options) != list(q.source.items)
            assert sorted(q.options) == sorted(q.source.items)
            good = right_answer(q)
            assert grade_question(q, good).correct
            assert grade_question(q, good.replace(" ", "")).correct  # "312" works too
            assert grade_question(q, "\n".join(q.source.items)).correct  # typing the items
            backwards = " ".join(reversed(good.split()))
            assert not grade_question(q, backwards).correct


def test_order_from_numbers():
    shown = ("b", "c", "a")
    assert order_from_numbers("3 1 2", shown) == "a\nb\nc"
    assert order_from_numbers("3,1,2", shown) == "a\nb\nc"
    assert order_from_numbers("312", shown) == "a\nb\nc"
    assert order_from_numbers("4 1 2", shown) is None
    assert order_from_numbers("a b c", shown) is None


def test_truefalse_statements_and_answers():
    seen = {True: 0, False: 0}
    for seed in range(10):
        exam = build_exam(both_decks(), random.Random(seed), count=50, kinds=("truefalse",))
        for q in exam.questions:
            seen[q.truth] += 1
            assert q.prompt.startswith("True or false: ") and q.claim in q.prompt
            if q.truth:
                assert normalize(q.claim) == normalize(q.right_answer)
            else:
                assert normalize(q.claim) != normalize(q.right_answer)
            assert grade_question(q, right_answer(q)).correct
            assert not grade_question(q, wrong_answer(q)).correct
    assert seen[True] > 10 and seen[False] > 10


@pytest.mark.parametrize("word,truth", [
    ("t", True), ("True", True), ("waar", True), ("j", True), ("Ja", True), ("yes", True),
    ("f", False), ("FALSE", False), ("onwaar", False), ("n", False), ("nee", False), ("no", False),
    ("maybe", None), ("", None),
])
def test_parse_truth(word, truth):
    assert parse_truth(word) is truth


def test_every_kind_grades_right_wrong_and_blank():
    exam = build_exam(both_decks(), random.Random(11), count=25)
    for q in exam.questions:
        siblings = exam.siblings[q.deck]
        assert grade_question(q, right_answer(q), siblings=siblings).correct, (q.kind, q.key)
        assert not grade_question(q, wrong_answer(q), siblings=siblings).correct, (q.kind, q.key)
        blank = grade_question(q, "   ", siblings=siblings)
        assert not blank.correct and blank.score == 0 and blank.expected


def test_choice_card_options_shuffled_and_letters_follow_the_shown_order():
    orders = set()
    for seed in range(10):
        exam = build_exam(both_decks(), random.Random(seed), count=50, kinds=("choice",),
                          deck_ids=["exam-journey"])
        q = next(q for q in exam.questions if q.key.card == "catalogue")
        orders.add(q.options)
        right_letter = "abcd"[q.options.index("It is the subset offered to customers")]
        assert grade_question(q, right_letter).correct
        assert grade_question(q, str(q.options.index("It is the subset offered to customers") + 1)).correct
    assert len(orders) > 1


# --- no input breaks grading ---------------------------------------------------------------

ALL_KINDS_EXAM = build_exam(both_decks(), random.Random(0), count=25)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"[0-9 ,.)²١٢]{0,12}", fullmatch=True))
def test_any_typed_line_grades_without_raising(text):
    for q in ALL_KINDS_EXAM.questions:
        result = grade_question(q, text, siblings=ALL_KINDS_EXAM.siblings[q.deck])
        assert 0.0 <= result.score <= 1.0
        assert isinstance(result.correct, bool)


DUTCH = """\
deck: nl-exam
title: Klantreis
language: nl
cards:
  - id: cjm
    front: Het visueel maken van de customer journey
    back: customer journey mapping
  - id: tp
    front: Een moment van contact tussen klant en merk
    back: touchpoint
  - id: mot
    front: Het moment waarop de klant de dienst ervaart
    back: moment of truth
  - id: loyal
    front: Een klant die steeds terugkomt
    back: loyale klant
"""


def test_truefalse_in_a_dutch_deck_is_a_dutch_statement_with_j_and_n():
    exam = build_exam([deck_of(DUTCH, "nl.yaml")], random.Random(3), count=20, kinds=("truefalse",))
    assert exam.questions
    for q in exam.questions:
        assert q.prompt.startswith('Juist of onjuist: het antwoord op "') and "True" not in q.prompt
        assert q.deck_title == "Klantreis" and q.language == "nl"
        right, wrong = ("j", "n") if q.truth else ("n", "j")
        assert grade_question(q, right).correct and not grade_question(q, wrong).correct
        assert grade_question(q, "t" if q.truth else "f").correct  # t/f work too
        assert grade_question(q, "").expected == ("juist" if q.truth else "onjuist")
        assert answer_problem(q, "b") == "Answer j (juist) or n (onjuist); t/f work too."
        assert answer_problem(q, "onjuist") is None


def test_answer_problem_checks_the_form_only():
    exam = build_exam(both_decks(), random.Random(5), count=50)
    for q in exam.questions:
        assert answer_problem(q, "") is None and answer_problem(q, "  ") is None
        assert answer_problem(q, right_answer(q)) is None, (q.kind, right_answer(q))
        assert answer_problem(q, wrong_answer(q)) is None, (q.kind, wrong_answer(q))
        if q.kind in ("recall", "cloze", "list"):
            assert answer_problem(q, "zz top") is None
        if q.kind == "choice":
            assert answer_problem(q, "q") is not None and answer_problem(q, str(len(q.options) + 1)) is not None
        if q.kind == "order":
            assert answer_problem(q, "0") is not None
            assert answer_problem(q, q.options[0]) is None  # item names are graded as text
