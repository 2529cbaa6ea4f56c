"""Decks and helpers shared by the exam tests (no tests of its own).

Two small decks with every card type, basic answers of similar length (so multiple choice
can be generated), a reverse card, a long answer and a multi-gap cloze.
"""

from __future__ import annotations

import string
from pathlib import Path

from cjstudy.deck import parse_deck
from cjstudy.exam.questions import Question
from cjstudy.grading.grade import expand_variants
from cjstudy.model import Deck

JOURNEY = """\
deck: exam-journey
title: Journey for exams
language: en
tags: [journey]
cards:
  - id: brand-owned
    front: Who designs and controls a brand-owned touch point?
    back: the firm itself
    tags: [touch-points]
    explanation: Brand-owned touch points are under the firm's control.
  - id: partner-owned
    front: Who controls a partner-owned touch point?
    back: the firm's partners
    tags: [touch-points]
  - id: customer-owned
    front: Who controls a customer-owned touch point?
    back: the customer alone
    tags: [touch-points]
  - id: social
    front: What kind of touch point is a review site?
    back: social / external
    tags: [touch-points]
  - id: moment
    front: What is the moment a customer meets the service called?
    back: moment of truth
  - id: blueprint-tool
    front: Which tool maps onstage and backstage actions?
    back: service blueprint
  - id: loop
    front: What follows the post-purchase stage when a customer stays?
    back: the loyalty loop
  - id: wom
    front: What spreads a loyal customer's praise?
    back: word of mouth
  - id: sdl
    front: What is SDL?
    back: service-dominant logic
    reverse: true
  - id: long-answer
    front: Explain why touch points change over time.
    back: Because new channels appear, customers move between them and firms lose control over more of the journey.
  - id: stages
    type: sequence
    prompt: Put the stages of the customer journey in order.
    items: [pre-purchase, purchase, post-purchase]
    explanation: Lemon and Verhoef's three stages.
  - id: categories
    type: list
    prompt: Name the four categories of touch points.
    items: [brand-owned, partner-owned, customer-owned, social/external]
  - id: blueprint
    type: cloze
    text: A blueprint shows {{c1::physical evidence}} and {{c2::customer actions}} and {{c3::support processes}}.
  - id: catalogue
    type: choice
    prompt: How does the service catalogue relate to the portfolio?
    options:
      - It is the subset offered to customers
      - It is the same as the portfolio
      - It contains retired services only
      - It is a superset of the portfolio
    answer: It is the subset offered to customers
  - id: owned-kinds
    type: choice
    prompt: Which touch points does the firm control?
    options: [brand-owned, partner-owned (partly), customer-owned, social/external]
    answers: [brand-owned, partner-owned (partly)]
"""

SERVICE = """\
deck: exam-service
title: Service for exams
language: en
tags: [service]
cards:
  - id: intangible
    front: Which service characteristic means it cannot be touched?
    back: intangibility
  - id: inseparable
    front: Which characteristic means production and use happen together?
    back: inseparability
  - id: variable
    front: Which characteristic means quality differs each time?
    back: heterogeneity
  - id: perishable
    front: Which characteristic means a service cannot be stored?
    back: perishability
  - id: gap-model
    front: Which model names five gaps in service quality?
    back: the gaps model
  - id: servqual
    front: Which instrument measures service quality with 22 items?
    back: SERVQUAL
  - id: recovery
    type: sequence
    prompt: Order the steps of service recovery.
    items: [acknowledge, apologise, fix, follow up]
"""


def deck_of(text: str, name: str = "deck.yaml") -> Deck:
    result = parse_deck(text.encode("utf-8"), name)
    assert result.deck is not None, [str(p) for p in result.problems]
    return result.deck


def both_decks() -> list[Deck]:
    return [deck_of(JOURNEY, "journey.yaml"), deck_of(SERVICE, "service.yaml")]


def write_both(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "journey.yaml").write_text(JOURNEY, encoding="utf-8")
    (folder / "service.yaml").write_text(SERVICE, encoding="utf-8")
    return folder


DECK_ARGS = ["--deck", "exam-journey", "--deck", "exam-service"]


def first_variant(answer: str) -> str:
    return expand_variants(answer)[0]


def right_answer(question: Question) -> str:
    """A line a student who knows everything would type."""
    card = question.source
    if question.kind == "truefalse":
        return "t" if question.truth else "f"
    if question.kind == "choice":
        graded = question.graded
        assert graded is not None
        return " ".join(string.ascii_lowercase[graded.options.index(o)] for o in graded.correct_options)
    if question.kind == "order":
        shown = list(question.options)
        return " ".join(str(shown.index(first_variant(item)) + 1) for item in card.items)
    if question.kind == "list":
        return ", ".join(first_variant(item) for item in card.items)
    if question.kind == "cloze":
        return ", ".join(first_variant(gap.answer) for gap in card.gaps)
    return first_variant(card.expected[0])


def wrong_answer(question: Question) -> str:
    """A line that is wrong for every kind (and not blank)."""
    if question.kind == "truefalse":
        return "f" if question.truth else "t"
    if question.kind == "choice":
        graded = question.graded
        assert graded is not None
        wrong = [o for o in graded.options if o not in graded.correct_options]
        return string.ascii_lowercase[graded.options.index(wrong[0])]
    return "zebra crossing"
