"""`cjstudy new`: a commented deck file with one card of each type, ready to edit.

The text is a template rather than generated YAML so that the comments can teach the format
where it is used. Tests check that every language's scaffold loads without a single problem.
"""

from __future__ import annotations

from pathlib import Path

from cjstudy.deck.schema import DECK_ID
from cjstudy.errors import TransferError, UsageError
from cjstudy.transfer.atomic import atomic_path

SCHEMA_FILE = "deck.schema.json"

_HEAD = """\
# yaml-language-server: $schema={schema}
# {intro}
# Check it with: cjstudy validate {filename}
deck: {deck_id}
title: {title}
language: {lang}
description: {description}
tags: [{deck_id}]

cards:
"""

_EN = """\
  # basic: a question and its answer. `answer` is the short form typed answers are graded
  # against; `reverse: true` also asks back -> front.
  - id: what-is-a-touch-point
    front: What is a touch point?
    back: Any moment where a customer comes into contact with the brand, before, during or after a purchase.
    answer: contact moment with the brand
    accept: [contact point]
    hint: Think of every place a customer meets the brand.
    reverse: false

  # cloze: hide parts of a sentence. One card per gap number; {{c1::answer::hint}} adds a hint.
  - id: journey-stages-cloze
    type: cloze
    text: >-
      The customer journey has three stages: {{c1::pre-purchase}}, {{c2::purchase}}
      and {{c3::post-purchase::after buying}}.

  # list: recall every item, in any order (`min` lets a partial answer pass).
  - id: touch-point-categories
    type: list
    prompt: Name the four categories of touch points.
    items: [brand-owned, partner-owned, customer-owned, social/external]
    min: 3

  # sequence: recall the items in order.
  - id: journey-order
    type: sequence
    prompt: Put the stages of the customer journey in order.
    items: [pre-purchase, purchase, post-purchase]

  # choice: pick the right option (use `answers: [...]` when several are right).
  - id: who-controls-brand-owned
    type: choice
    prompt: Who controls a brand-owned touch point?
    options:
      - The firm
      - The customer
      - A partner
      - Other customers
    answer: The firm
    explanation: Brand-owned touch points are designed and managed by the firm.
"""

_NL = """\
  # basic: een vraag en het antwoord. `answer` is de korte vorm waartegen getypte antwoorden
  # worden nagekeken; `reverse: true` vraagt ook achterkant -> voorkant.
  - id: wat-is-een-touchpoint
    front: Wat is een touchpoint?
    back: Elk contactmoment tussen klant en merk, voor, tijdens of na de aankoop.
    answer: contactmoment met het merk
    accept: [contactpunt]
    hint: Denk aan elke plek waar de klant het merk tegenkomt.
    reverse: false

  # cloze: verberg delen van een zin. Eén kaart per gatnummer; {{c1::antwoord::hint}} geeft een hint.
  - id: fasen-klantreis-cloze
    type: cloze
    text: >-
      De klantreis kent drie fasen: {{c1::pre-aankoop}}, {{c2::aankoop}}
      en {{c3::post-aankoop::na het kopen}}.

  # list: noem alle items, in willekeurige volgorde (`min` laat een deels goed antwoord slagen).
  - id: categorieen-touchpoints
    type: list
    prompt: Noem de vier categorieën touchpoints.
    items: [merkeigen, partnereigen, klanteigen, sociaal/extern]
    min: 3

  # sequence: noem de items in de juiste volgorde.
  - id: volgorde-klantreis
    type: sequence
    prompt: Zet de fasen van de klantreis in de juiste volgorde.
    items: [pre-aankoop, aankoop, post-aankoop]

  # choice: kies het juiste antwoord (gebruik `answers: [...]` als er meer goed zijn).
  - id: wie-beheert-merkeigen
    type: choice
    prompt: Wie beheert een merkeigen touchpoint?
    options:
      - Het bedrijf
      - De klant
      - Een partner
      - Andere klanten
    answer: Het bedrijf
    explanation: Merkeigen touchpoints worden door het bedrijf ontworpen en beheerd.
"""

_TEXTS = {
    "en": dict(intro="A new cjstudy deck: one card of each type to copy and edit.",
               description="What this deck covers.", body=_EN),
    "nl": dict(intro="Een nieuw cjstudy-deck: van elk kaarttype één voorbeeld om te kopiëren en aan te passen.",
               description="Waar dit deck over gaat.", body=_NL),
}


def scaffold_text(deck_id: str, language: str = "en", schema: str = SCHEMA_FILE) -> str:
    """The YAML of a new deck with the given id."""
    if not DECK_ID.match(deck_id):
        raise UsageError(f"deck id '{deck_id}' must be lowercase kebab-case, e.g. service-recovery")
    if language not in _TEXTS:
        raise UsageError(f"language must be one of {', '.join(_TEXTS)}, got '{language}'")
    texts = _TEXTS[language]
    title = deck_id.replace("-", " ").capitalize()
    head = _HEAD.format(schema=schema, intro=texts["intro"], filename=f"{deck_id}.yaml", deck_id=deck_id,
                        title=title, lang=language, description=texts["description"])
    return head + texts["body"]


def write_scaffold(target: Path, deck_id: str, language: str = "en") -> Path:
    """Write a new deck file; an existing file is never overwritten."""
    if target.exists():
        raise TransferError(f"{target}: already exists; choose another name or remove it first")
    text = scaffold_text(deck_id, language)
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")
        if target.exists():
            raise TransferError(f"{target}: already exists; choose another name or remove it first")
    return target
