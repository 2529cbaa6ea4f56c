"""Coverage guard for the English decks built from notes 000 and 001.

The decks are checked against the notes by hand once; these tests keep that coverage from
silently eroding when someone later edits a deck: every key term, name, list item and
example of each note must still appear somewhere in the decks drawn from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cjstudy.cli import app

DECKS = Path(__file__).resolve().parent.parent / "decks"
NOTE_000 = "000_800be85a8da3c615.txt"
NOTE_001 = "001_0485c15e95b7debf.txt"

DECK_SOURCES = {
    "service-dominant-logic": NOTE_000,
    "customer-experience": NOTE_000,
    "journey-stages": NOTE_000,
    "touch-points": NOTE_000,
    "service-blueprint": NOTE_000,
    "service-catalogue": NOTE_000,
    "journey-vs-experience": NOTE_001,
}

# Terms, names, list items and examples of note 000, as they should read in the decks.
TERMS_000 = [
    # service-dominant logic, value-in-use vs value-in-exchange
    "service-dominant logic", "value-in-use", "value-in-exchange", "determined by the customer",
    "at the centre", "perceiving and determining", "co-creating", "resource integration",
    "joint sphere", "facilitated", "made by the user", "relationship selling",
    "customer-centric", "integration view", "exchange view", "own resources",
    "acquired resources", "customer sphere", "only creator of value", "inside-out",
    "embedded in the product", "passive recipients", "service ecosystems", "platforms",
    "orchestrator",
    # customer experience and Schmitt
    "holistic", "cognitive", "emotional", "sensory", "social", "spiritual",
    "all interactions with a firm", "schmitt", "multidimensional", "sense", "feel", "think",
    "act", "relate", "affective", "physical", "social-identity", "customer loyalty",
    "word of mouth", "network effects", "customer activity", "retention", "building",
    # stages of the customer journey
    "pre-purchase", "post-purchase", "iterative", "dynamic", "past experiences",
    "external factors", "all the way through", "need/goal/impulse", "consideration",
    "choice", "ordering", "payment", "general shopping experience", "usage", "consumption",
    "service request", "feedback", "customer service", "follow up", "loyalty loop",
    "becomes loyal", "repurchase", "begins the process anew",
    # touch points
    "brand-owned", "partner-owned", "customer-owned", "social/external",
    "designed and managed by the firm", "advertising", "websites", "loyalty programs",
    "marketing mix", "attributes of product", "packaging", "price", "convenience",
    "sales force", "jointly designed, managed, or controlled", "marketing agencies",
    "multichannel distribution partners", "multivendor loyalty program partners",
    "communication channel partners", "do not influence or control", "needs or desires",
    "payment method", "partners may also play a role", "roles of others", "other customers",
    "peer influences", "independent information sources", "environments",
    # dynamics and external influences
    "prior experience", "current satisfaction", "future usage", "repeated experiences",
    "a specific experience", "relationships with brands", "identity", "routinised",
    "extraordinary experiences", "long-lasting", "external environment", "extreme crises",
    "strong", "negative", "enduring", "economic situation", "recession", "expansion",
    # service blueprint
    "physical evidence", "customer actions", "onstage", "visible", "backstage", "invisible",
    "contact employee actions", "support processes", "service delivery process",
    "back-office internal processes", "front-facing customer interactions",
    "customer perspective", "ask the customers", "customer journey",
    # business service catalogue
    "business service catalogue", "all services that you currently offer", "subset",
    "service portfolio", "not all services are currently available", "document",
    "online portal", "website shopping experience", "knows what to expect",
    "get in touch quickly and easily", "isn't met", "published to customers",
]

# Terms, names, list items and examples of note 001.
TERMS_001 = [
    "inevitably linked", "structured process", "first contact", "long-term customer loyalty",
    "emotional (and rational) reactions", "minimally satisfactory", "analyse and optimise",
    "meet or exceed", "expectations and needs", "diverse", "own context", "rough structure",
    "before the purchase", "during the purchase", "after the purchase", "rigid specification",
    "number of individual phases can vary", "longer or shorter", "skipped altogether",
    "linear", "iterative", "change over time", "dimensions", "type of product",
    "services vs physical products", "consumer goods vs durable goods", "software vs hardware",
    "durable products vs ephemeral products", "price sensitivity", "roll of toilet paper",
    "photovoltaic system", "light years away", "information acquisition", "decision making",
    "b2b vs b2c", "target group", "direct vs multilevel sales structure",
    "complex and expensive", "complex and longer", "satisfied customers",
    "customer lifetime value", "as positive as possible", "vision and mission statement",
    "in the context of customer experience", "trivial", "success", "direction of the next steps",
    "come to nothing", "loss of efficiency",
]

# Forum chatter and stray text in the notes that must not become course content.
NOT_CONTENT = ["posts:", "joined", "bc data", "stuvia", "dec 02, 2024"]

CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)


def _load(deck_id: str) -> dict:
    return yaml.safe_load((DECKS / f"{deck_id}.yaml").read_text(encoding="utf-8"))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _flatten(text: str) -> str:
    """Deck text as prose: cloze gaps filled in, optional-part brackets and `vs.` dots dropped."""
    text = CLOZE.sub(lambda m: m.group(1), text)
    text = text.replace("(", " ").replace(")", " ").replace("vs.", "vs")
    return " ".join(text.casefold().split())


def _corpus(note: str) -> str:
    decks = [_load(d) for d, source in DECK_SOURCES.items() if source == note]
    return "\n".join(_flatten(s) for deck in decks for s in _strings(deck))


@pytest.fixture(scope="module")
def corpus_000() -> str:
    return _corpus(NOTE_000)


@pytest.fixture(scope="module")
def corpus_001() -> str:
    return _corpus(NOTE_001)


@pytest.mark.parametrize("term", TERMS_000)
def test_note_000_term_is_covered(term: str, corpus_000: str) -> None:
    assert _flatten(term) in corpus_000, f"no card mentions {term!r} (note {NOTE_000})"


@pytest.mark.parametrize("term", TERMS_001)
def test_note_001_term_is_covered(term: str, corpus_001: str) -> None:
    assert _flatten(term) in corpus_001, f"no card mentions {term!r} (note {NOTE_001})"


def test_flatten_really_checks_wording() -> None:
    """The normaliser must not make unrelated text match (guards the guard)."""
    assert _flatten("{{c1::passive recipients::who?}} of value") == "passive recipients of value"
    assert "joint sphere" not in _flatten("{{c1::joint::which?}} and sphere")


@pytest.mark.parametrize("deck_id", sorted(DECK_SOURCES))
def test_deck_header_and_ids(deck_id: str) -> None:
    deck = _load(deck_id)
    assert deck["deck"] == deck_id
    assert deck["language"] == "en"
    assert DECK_SOURCES[deck_id] in deck["source"]
    ids = [card["id"] for card in deck["cards"]]
    assert len(ids) == len(set(ids)), "card ids must be unique within a deck"
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids), ids
    for tag in deck.get("tags", []) + [t for c in deck["cards"] for t in c.get("tags", [])]:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", tag), tag


@pytest.mark.parametrize("deck_id", sorted(DECK_SOURCES))
def test_deck_has_no_forum_chatter(deck_id: str) -> None:
    text = " ".join(s.casefold() for s in _strings(_load(deck_id)))
    for junk in NOT_CONTENT:
        assert junk not in text, f"{deck_id} contains non-course text {junk!r}"


@pytest.mark.parametrize("deck_id", sorted(DECK_SOURCES))
def test_deck_file_has_no_tabs_anchors_or_tags(deck_id: str) -> None:
    raw = (DECKS / f"{deck_id}.yaml").read_text(encoding="utf-8")
    assert "\t" not in raw
    for event in yaml.parse(raw):
        assert not isinstance(event, yaml.AliasEvent)
        assert getattr(event, "anchor", None) is None
        assert getattr(event, "tag", None) in (None, "!"), event


def test_all_five_card_types_are_used() -> None:
    types = {card.get("type", "basic") for d in DECK_SOURCES for card in _load(d)["cards"]}
    assert types == {"basic", "cloze", "list", "sequence", "choice"}


def test_choice_cards_have_three_or_four_options() -> None:
    for deck_id in DECK_SOURCES:
        for card in _load(deck_id)["cards"]:
            if card.get("type") == "choice":
                assert 3 <= len(card["options"]) <= 4, (deck_id, card["id"])


def test_decks_validate_strictly_without_warnings(runner) -> None:
    paths = [str(DECKS / f"{d}.yaml") for d in sorted(DECK_SOURCES)]
    result = runner.invoke(app, ["validate", "--strict", *paths])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
