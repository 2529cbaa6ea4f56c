"""Properties of grading that must hold for any text, checked with hypothesis."""

from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjstudy.grading.grade import GradeResult, expand_variants, grade, match_answer, normalize
from cjstudy.grading.text import normalize_keeping_accents, split_items
from cjstudy.model import Card, CardKey, ClozeGap

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Letters with and without accents, digits, the answer syntax and separators, odd Unicode.
ANSWER_ALPHABET = st.sampled_from(
    list("abcdeijnostuvwxyzABZ019 ïéëöüçßİıǅﬁ½²-'/.()|,;&\n\t") + ["\u0301", "\u200b", "ẞ", "Ω", "ꝑ"]
)
answers = st.text(ANSWER_ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip())
any_text = st.text(max_size=300)
plain_words = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzïé0123 -")), min_size=1, max_size=25).filter(
    lambda s: normalize(s)
)


def basic(answer: str, accept: tuple[str, ...] = (), card_id: str = "x") -> Card:
    return Card(CardKey("d", card_id), "basic", "?", answer, expected=(answer,), accept=accept)


def all_cards(text: str) -> list[Card]:
    items = tuple(split_items(text)[:6]) or ("x",)
    return [
        basic(text),
        Card(CardKey("d", "l"), "list", "?", "", expected=items, items=items, min=1),
        Card(CardKey("d", "s"), "sequence", "?", "", expected=items, items=items),
        Card(CardKey("d", "c", "c1"), "cloze", "?", "", expected=items,
             gaps=tuple(ClozeGap(1, i) for i in items)),
        Card(CardKey("d", "ch"), "choice", "?", "", options=items, correct_options=items[:1]),
    ]


@SETTINGS
@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip() and "  " not in once


@SETTINGS
@given(any_text)
def test_normalize_keeping_accents_is_idempotent(text: str) -> None:
    once = normalize_keeping_accents(text)
    assert normalize_keeping_accents(once) == once


@SETTINGS
@given(answers)
def test_every_variant_of_an_expected_answer_grades_correct(answer: str) -> None:
    card = basic(answer)
    siblings = [card, basic(answer + "s", card_id="y"), basic(answer[::-1], card_id="z")]
    for variant in expand_variants(answer):
        result = grade(card, variant, siblings=siblings)
        assert result.correct, (answer, variant, result)
        assert result.score == 1.0
        assert match_answer(variant, [answer], [answer + "s"]).accepted


@SETTINGS
@given(answers, st.lists(answers, max_size=3))
def test_accept_alternatives_grade_correct(answer: str, accept: list[str]) -> None:
    card = basic(answer, tuple(accept))
    for alternative in accept:
        for variant in expand_variants(alternative)[:5]:
            assert grade(card, variant).correct, (alternative, variant)


@SETTINGS
@given(st.lists(plain_words, min_size=1, max_size=6, unique_by=normalize))
def test_expected_lists_sequences_and_cloze_grade_correct(items: list[str]) -> None:
    items_t = tuple(items)
    typed = ", ".join(items)
    list_card = Card(CardKey("d", "l"), "list", "?", "", expected=items_t, items=items_t)
    seq_card = Card(CardKey("d", "s"), "sequence", "?", "", expected=items_t, items=items_t)
    cloze_card = Card(CardKey("d", "c", "c1"), "cloze", "?", "", expected=items_t,
                      gaps=tuple(ClozeGap(1, i) for i in items_t))
    for card in (list_card, seq_card, cloze_card):
        result = grade(card, typed)
        assert result.correct and result.score == 1.0, (card.type, items, result)
    shuffled = ", ".join(reversed(items))
    assert grade(list_card, shuffled).correct


@SETTINGS
@given(st.lists(plain_words, min_size=1, max_size=6, unique_by=normalize), st.data())
def test_correct_choice_by_number_letter_and_text(options: list[str], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(options) - 1))
    card = Card(CardKey("d", "ch"), "choice", "?", "", options=tuple(options),
                correct_options=(options[index],))
    assert grade(card, options[index]).correct
    # Options that read like "2" or "b" themselves take precedence over positions.
    if not any(re.fullmatch(r"[a-z]|[0-9]{1,3}", normalize(o)) for o in options):
        assert grade(card, str(index + 1)).correct
        assert grade(card, "abcdef"[index]).correct


@SETTINGS
@given(answers, any_text)
def test_no_exception_on_any_text(answer: str, typed: str) -> None:
    siblings = all_cards(answer)
    for card in siblings:
        result = grade(card, typed, siblings=siblings)
        assert isinstance(result, GradeResult)
        assert 0.0 <= result.score <= 1.0
        assert isinstance(result.feedback, str) and "\n" not in result.feedback


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=5))
def test_huge_input_is_graded_quickly(unit: str) -> None:
    huge = unit * (1_000_000 // len(unit))
    cards = all_cards("service (quality|level), brand-owned; customer journey")
    start = time.perf_counter()
    for card in cards:
        result = grade(card, huge, siblings=cards)
        assert 0.0 <= result.score <= 1.0
    assert time.perf_counter() - start < 2.0


def test_hostile_expected_answer_is_capped() -> None:
    hostile = "(a|b|c)" * 200 + "(" * 500 + "x" + ")" * 500
    start = time.perf_counter()
    variants = expand_variants(hostile)
    result = grade(basic(hostile), variants[-1])
    assert len(variants) <= 64 and result.correct
    assert time.perf_counter() - start < 2.0
