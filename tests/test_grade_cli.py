"""`cjstudy grade ADDRESS ANSWER`: human and JSON output, stdin, unknown cards."""

from __future__ import annotations

import json

import pytest

from cjstudy.cli import app

DECK = """\
deck: grade-cli-test
title: Grading from the command line
language: nl
cards:
  - id: kenmerk
    front: Welk kenmerk van diensten betekent dat je ze niet kunt aanraken?
    back: ontastbaarheid
  - id: invloed
    front: Wat doen touchpoints met de klant?
    back: beïnvloeden
  - id: tangibles
    front: Which SERVQUAL dimension covers the physical facilities?
    back: tangibles
  - id: tangible
    front: Opposite of intangible?
    back: tangible
  - id: stages
    type: sequence
    prompt: Put the stages in order.
    items: [pre-purchase, purchase, post-purchase]
  - id: categories
    type: list
    prompt: Name three touch-point categories.
    items: [brand-owned, partner-owned, customer-owned, social/external]
    min: 3
  - id: blueprint
    type: cloze
    text: A blueprint shows {{c1::physical evidence}} and {{c2::customer actions}}.
  - id: catalogue
    type: choice
    prompt: Which are services?
    options: [a haircut, a chair, a bus ride]
    answers: [a haircut, a bus ride]
"""


@pytest.fixture
def decks(write_deck):
    return str(write_deck(DECK).parent)


def run(runner, decks: str, *args: str, stdin: str | None = None):
    return runner.invoke(app, ["grade", "--decks", decks, *args], input=stdin)


def graded(runner, decks: str, address: str, answer: str) -> dict:
    result = run(runner, decks, address, answer, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_human_output_shows_verdict_score_expected_and_feedback(runner, decks) -> None:
    result = run(runner, decks, "grade-cli-test/kenmerk", "ontastbaarhied")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "✓ correct (score 1.00)"
    assert lines[1] == "expected: ontastbaarheid"
    assert lines[2] == "feedback: typo: 'ontastbaarhied' → ontastbaarheid"


def test_wrong_answer_still_exits_zero(runner, decks) -> None:
    result = run(runner, decks, "grade-cli-test/kenmerk", "heterogeniteit")
    assert result.exit_code == 0
    assert result.stdout.startswith("✗ not correct (score 0.00)")


def test_json_has_the_four_fields_and_the_verdict(runner, decks) -> None:
    data = graded(runner, decks, "grade-cli-test/invloed", "beinvloeden")
    assert data == {"correct": True, "score": 1.0, "expected": "beïnvloeden",
                    "feedback": "mind the accents: beïnvloeden", "verdict": "correct"}


def test_siblings_in_the_deck_refuse_a_nearer_typo(runner, decks) -> None:
    data = graded(runner, decks, "grade-cli-test/tangibles", "tangible")
    assert data["correct"] is False
    assert "closer to another answer (tangible)" in data["feedback"]


def test_sequence_partial_credit(runner, decks) -> None:
    data = graded(runner, decks, "grade-cli-test/stages", "purchase, pre-purchase, post-purchase")
    assert data["correct"] is False and data["score"] == pytest.approx(0.667)


def test_list_answer_from_stdin(runner, decks) -> None:
    result = run(runner, decks, "grade-cli-test/categories", "-", "--json",
                 stdin="brand-owned\npartner-owned\ncustomer-owned\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["correct"] is True and data["score"] == 0.75


def test_cloze_variant_address(runner, decks) -> None:
    assert graded(runner, decks, "grade-cli-test/blueprint@c2", "customer actions")["correct"] is True
    assert graded(runner, decks, "grade-cli-test/blueprint@c1", "customer actions")["correct"] is False


def test_choice_by_letters(runner, decks) -> None:
    assert graded(runner, decks, "grade-cli-test/catalogue", "a c")["correct"] is True
    data = graded(runner, decks, "grade-cli-test/catalogue", "1")
    assert data["correct"] is False and data["score"] == 0.5


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("grade-cli-test/nope", "error: no card 'nope' in deck 'grade-cli-test'"),
        ("no-such-deck/kenmerk", "error: no deck 'no-such-deck'"),
        ("grade-cli-test/blueprint", "has no variant"),
        ("not-an-address", "is not a card address"),
    ],
)
def test_unknown_card_is_one_line_and_exit_1(runner, decks, address: str, message: str) -> None:
    result = run(runner, decks, address, "x")
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_help_has_an_example(runner) -> None:
    result = runner.invoke(app, ["grade", "--help"])
    assert result.exit_code == 0
    assert "cjstudy grade" in result.stdout and "--json" in result.stdout
