"""Each card type and how it expands into study cards."""

from __future__ import annotations

from cjstudy.deck import parse_deck
from cjstudy.model import CardKey

DECK = """\
deck: demo
title: Demo
language: en
tags: [course]
cards:
  - id: sdl
    front: What does SDL stand for?
    back: Service-dominant logic
    answer: service(-)dominant logic
    accept: [SD logic]
    hint: S… D… L…
    tags: [definitions]
    reverse: true
  - id: stages
    type: cloze
    text: "{{c1::Pre-purchase}}, {{c2::purchase::buying}} and {{c1::post-purchase}}."
    explanation: The loyalty loop closes the cycle.
  - id: tp
    type: list
    prompt: Name the touch-point categories.
    items: [brand-owned, partner-owned, customer-owned, social/external]
    min: 3
  - id: order
    type: sequence
    prompt: Order the stages.
    items: [pre-purchase, purchase, post-purchase]
  - id: pick
    type: choice
    prompt: Which are services?
    options: [Haircut, Car, Consulting]
    answers: [Haircut, Consulting]
  - id: one
    type: choice
    prompt: Which one?
    options: [A, B]
    answer: B
    shuffle: false
"""


def load():
    result = parse_deck(DECK.encode(), "demo.yaml")
    assert result.deck is not None, result.problems
    assert result.problems == []
    return result.deck


def test_basic_with_reverse_gives_two_cards_with_stable_keys():
    deck = load()
    front = deck.card("sdl")
    back = deck.card("sdl", "reverse")
    assert front.key == CardKey("demo", "sdl", "")
    assert front.question == "What does SDL stand for?"
    assert front.expected == ("service(-)dominant logic",)
    assert front.accept == ("SD logic",)
    assert front.hint == "S… D… L…"
    assert front.tags == ("course", "definitions")
    assert back.key.address == "demo/sdl@reverse"
    assert back.question == "Service-dominant logic"
    assert back.expected == ("What does SDL stand for?",)
    assert back.hint is None


def test_cloze_gives_one_card_per_distinct_number_and_hides_same_numbers_together():
    deck = load()
    variants = [c.key.variant for c in deck.cards if c.key.card == "stages"]
    assert variants == ["c1", "c2"]
    c1 = deck.card("stages", "c1")
    assert c1.question == "[…], purchase and […]."
    assert c1.expected == ("Pre-purchase", "post-purchase")
    assert c1.shown_answer == "[Pre-purchase], purchase and [post-purchase]."
    assert c1.explanation == "The loyalty loop closes the cycle."
    c2 = deck.card("stages", "c2")
    assert c2.question == "Pre-purchase, [… hint: buying] and post-purchase."
    assert c2.hint == "buying"


def test_list_sequence_and_choice_cards():
    deck = load()
    tp = deck.card("tp")
    assert tp.type == "list" and tp.min == 3 and len(tp.items) == 4
    assert tp.shown_answer.splitlines()[0] == "1. brand-owned"
    order = deck.card("order")
    assert order.type == "sequence" and order.items[0] == "pre-purchase"
    pick = deck.card("pick")
    assert pick.correct_options == ("Haircut", "Consulting") and pick.multiple_answers
    one = deck.card("one")
    assert one.correct_options == ("B",) and not one.shuffle and not one.multiple_answers


def test_counts_notes_and_cards():
    deck = load()
    assert len(deck.notes) == 6
    assert len(deck.cards) == 8  # sdl x2, stages x2, tp, order, pick, one


def test_editing_text_keeps_keys():
    edited = DECK.replace("What does SDL stand for?", "Spell out SDL.")
    before = {c.key for c in load().cards}
    after = {c.key for c in parse_deck(edited.encode(), "demo.yaml").deck.cards}
    assert before == after


def test_card_without_type_but_text_is_cloze():
    text = "deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: x\n    text: A {{c1::gap}}.\n"
    deck = parse_deck(text.encode(), "d.yaml").deck
    assert deck.cards[0].type == "cloze"


def test_numbers_are_accepted_as_text_and_yes_stays_text():
    text = "deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: x\n    front: Year?\n    back: 1990\n  - id: y\n    front: Norway?\n    back: no\n"
    deck = parse_deck(text.encode(), "d.yaml").deck
    assert deck.card("x").expected == ("1990",)
    assert deck.card("y").expected == ("no",)


def test_missing_id_is_a_warning_and_identity_falls_back_to_content_hash():
    text = "deck: d\ntitle: D\nlanguage: en\ncards:\n  - front: Q\n    back: A\n"
    result = parse_deck(text.encode(), "d.yaml")
    assert result.deck is not None
    assert [p.severity for p in result.problems] == ["warning"]
    assert result.deck.cards[0].key.card.startswith("h-")
    edited = parse_deck(text.replace("A\n", "B\n").encode(), "d.yaml")
    assert edited.deck.cards[0].key.card != result.deck.cards[0].key.card


def test_answers_display_without_grading_notation():
    from cjstudy.deck.cloze import display

    # Issue 12: the first full reading in plain words; other forms go on an "also accepted" line.
    assert display("bewustzijn(sfase)|bekendheidsfase") == "bewustzijnsfase"
    assert display("customer (lifetime) value") == "customer lifetime value"
