"""Guards from the independent review of the bundled decks against the course notes.

- docs/coverage.md maps every note statement to cards: every card it names must exist, and
  every bundled card must be named there (a card that tests nothing in the notes is content
  the notes do not contain).
- Typed answers: phrasings a student would reasonably type were refused before the review;
  these stay accepted, and a few wrong or incomplete answers stay refused.
- Quotations keep the note's wording: a cloze gap is shown as written while another gap of
  the same text is being asked, so gaps in quotes carry no `a|b` or `(optional)` notation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from cjstudy.cli import app
from cjstudy.deck import load_deck_set
from cjstudy.grading.grade import grade

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"
COVERAGE = ROOT / "docs" / "coverage.md"
REFERENCE = re.compile(r"`([a-z0-9-]+)/([a-z0-9-]+)`")
GAP = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)


@pytest.fixture(scope="module")
def deck_set():
    return load_deck_set(DECKS, [])


def _raw_cards() -> dict[str, list[dict]]:
    out = {}
    for path in sorted(p for p in DECKS.glob("*.yaml") if p.name != "synonyms.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["deck"]] = data["cards"]
    return out


def _grade(deck_set, address: str, answer: str):
    card = deck_set.resolve(address)
    deck = deck_set.deck(card.key.deck)
    return grade(card, answer, siblings=deck.cards)


# --- coverage.md ------------------------------------------------------------------------


def test_coverage_names_only_existing_cards():
    cards = _raw_cards()
    named = REFERENCE.findall(COVERAGE.read_text(encoding="utf-8"))
    assert len(named) > 100
    unknown = [f"{d}/{c}" for d, c in named if c not in {card["id"] for card in cards.get(d, [])}]
    assert not unknown, f"docs/coverage.md names cards that do not exist: {unknown}"


def test_every_bundled_card_is_traced_to_a_note_statement():
    named = set(REFERENCE.findall(COVERAGE.read_text(encoding="utf-8")))
    missing = [f"{d}/{c['id']}" for d, cards in _raw_cards().items() for c in cards if (d, c["id"]) not in named]
    assert not missing, f"cards not mapped to a note statement in docs/coverage.md: {missing}"


# --- typed answers ----------------------------------------------------------------------

ACCEPTED = [
    ("service-dominant-logic/value-in-exchange", "inside-out"),
    ("service-dominant-logic/value-in-exchange", "an inside-out view"),
    ("service-dominant-logic/value-in-use", "the customer determines the value"),
    ("customer-experience/schmitt-five-experiences", "sensory, affective, cognitive, physical, social-identity"),
    ("customer-experience/schmitt-five-experiences", "sense, feel, think, act, relate"),
    ("customer-experience/schmitt-five-experiences", "sensory, affective, cognitive, physical, social identity"),
    ("journey-stages/external-influences", "dynamic external environment, extreme crises, the economic situation"),
    ("journey-stages/dynamics-chain@c1", "current satisfaction"),
    ("journey-stages/dynamics-chain@c2", "future use"),
    ("touch-points/tp-brand-owned-media", "advertising, websites, loyalty programmes"),
    ("touch-points/tp-brand-owned-media", "ads, website, loyalty program"),
    ("touch-points/tp-social-external-examples", "other customers, peers, independent information sources, the environment"),
    ("touch-points/tp-partner-types", "marketing agencies, distribution partners, loyalty program partners, communication channel partners"),
    ("touch-points/tp-customer-owned", "customer actions the firm does not influence or control"),
    ("touch-points/tp-customer-owned", "actions the firm, partners or others do not influence or control"),
    ("service-blueprint/blueprint-components", "physical evidence, customer actions, onstage actions, backstage actions, support processes"),
    ("service-blueprint/blueprint-customer-perspective", "you should ask the customers"),
    ("service-catalogue/catalogue-forms", "a document, an online portal, a website"),
    ("journey-vs-experience/rough-structure", "before, during, after"),
    ("journey-vs-experience/ultimate-goal", "number of satisfied customers, CLV"),
    ("cx-and-crm/cx-blend", "rational performance, the senses, emotions"),
    ("share-of-customer/soc-sells-vs-collaborates@c2", "collaborates"),
    ("share-of-customer/soc-customer-revolution", "customers expect to be treated as individuals"),
    ("customer-retention/ret-learning-benefits",
     "customer loyalty, customer learns about preferences, organisation learns about strengths and weaknesses"),
    ("customer-retention/ret-profit-factors", "more purchases, lower operating costs, referrals to other customers, price premium"),
    ("customer-journey-nl/cj-vijf-fases", "bekendheid, overweging, aankoop, dienstverlening, loyaliteit"),
    ("customer-journey-nl/cj-cjm", "de customer journey visualiseren"),
    ("diensten-nl/d-kenmerken", "ontastbaar, ondeelbaar, heterogeen, vergankelijk"),
    ("diensten-nl/d-oplossing-heterogeniteit", "personeel trainen, diensten standaardiseren"),
    ("diensten-nl/d-oplossing-ondeelbaarheid", "personeel, klanten, omgeving"),
    ("diensten-nl/d-persoonlijke-diensten", "klanten zijn fysiek aanwezig"),
    ("journey-stages/customer-decisions-routinised@c1", "routinized"),
    ("journey-stages/pre-purchase-scope@c1", "impulse"),
    ("customer-journey-nl/cj-definitie", "een analyse- en verbetertechniek waarmee een organisatie zich verdiept in de belevingswereld van de klant"),
    ("customer-journey-nl/cj-definitie", "een poging om alle interacties van een klant met een bedrijf in kaart te brengen"),
]

REFUSED = [
    ("service-dominant-logic/value-in-use", "value that happens in the joint sphere where firm and customer integrate resources"),
    ("touch-points/tp-categories", "brand-owned, partner-owned, customer-owned"),
    ("customer-experience/schmitt-five-experiences", "sense, sensory, feel, think, act"),
    ("share-of-customer/soc-technology-revolution", "connect with customers"),
    ("share-of-customer/soc-technology-revolution", "enterprises can connect with customers"),
    ("diensten-nl/d-kenmerken", "ontastbaar, ondeelbaar, heterogeen"),
    ("diensten-nl/d-kenmerken", "ontastbaar, prosumptie, heterogeen, vergankelijk"),
    ("journey-vs-experience/ultimate-goal", "customer satisfaction, customer lifetime value"),
    ("diensten-nl/d-voorbeeld-fitness", "Zakelijke diensten"),
    ("service-dominant-logic/value-in-exchange", "outside-in"),
    ("diensten-nl/d-ondeelbaarheid", "prosumptie"),
    ("customer-journey-nl/cj-user-journey", "na de aankoop"),
    ("customer-retention/ret-learning-relationship", "the customer teaches the organisation"),
]


@pytest.mark.parametrize("address,answer", ACCEPTED)
def test_reasonable_phrasing_is_accepted(deck_set, address, answer):
    result = _grade(deck_set, address, answer)
    assert result.correct, (address, answer, result.expected, result.feedback)


@pytest.mark.parametrize("address,answer", REFUSED)
def test_wrong_or_incomplete_answer_is_refused(deck_set, address, answer):
    assert not _grade(deck_set, address, answer).correct, (address, answer)


def test_cli_grade_accepts_a_reviewed_phrasing(runner):
    result = runner.invoke(app, ["grade", "diensten-nl/d-kenmerken", "ontastbaar, ondeelbaar, heterogeen, vergankelijk",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["correct"] is True


# --- wording ----------------------------------------------------------------------------


def test_quoted_cloze_gaps_keep_the_notes_wording():
    for deck_id, cards in _raw_cards().items():
        for card in cards:
            if card.get("type") != "cloze" or not {"quotes", "citaten"} & set(card.get("tags", [])):
                continue
            for gap in GAP.findall(card["text"]):
                assert not re.search(r"[|()]", gap), f"{deck_id}/{card['id']}: gap {gap!r} shows notation in the quote"


def test_new_dutch_cards_are_dutch(deck_set):
    deck = deck_set.require_deck("diensten-nl")
    texts = [c.question for c in deck.cards if c.key.card in {"d-voorbeeld-fitness", "d-voorbeeld-financieel"}]
    assert texts and all("Tot welke categorie diensten" in t for t in texts)
