"""Table of grading cases, English and Dutch: what counts as right, and what the student is told."""

from __future__ import annotations

import pytest

from cjstudy.grading.grade import GradeResult, grade, match_answer, normalize
from cjstudy.grading.text import expand_variants, plain_answer, split_items
from cjstudy.model import Card, CardKey, ClozeGap


def basic(answer: str, accept: tuple[str, ...] = (), card_id: str = "q", back: str = "") -> Card:
    return Card(CardKey("d", card_id), "basic", "?", back or answer, expected=(answer,), accept=accept)


def listing(*items: str, min: int | None = None) -> Card:
    return Card(CardKey("d", "list"), "list", "?", "", expected=items, items=items, min=min)


def sequence(*items: str) -> Card:
    return Card(CardKey("d", "seq"), "sequence", "?", "", expected=items, items=items)


def cloze(*answers: str) -> Card:
    return Card(CardKey("d", "cz", "c1"), "cloze", "?", "", expected=answers,
                gaps=tuple(ClozeGap(1, a) for a in answers))


def choice(options: tuple[str, ...], *right: str) -> Card:
    return Card(CardKey("d", "ch"), "choice", "?", "", options=options, correct_options=right)


TOUCH = ("brand-owned", "partner-owned", "customer-owned", "social/external")
JOURNEY = ("pre-purchase", "purchase", "post-purchase")
NL_KENMERKEN = ("ontastbaarheid", "onscheidbaarheid", "heterogeniteit", "vergankelijkheid")
CATALOGUE = (
    "It is the subset of the portfolio that is offered to customers",
    "It is the same as the portfolio",
    "It contains retired services only",
    "It is a superset of the portfolio",
)
NL_GAPS = ("Wat zijn de kenmerken van diensten?", "Welke fase komt na de aankoop?",
           "Wie beheert een brand-owned touchpoint?")
LONG_BACK = ("An interaction designed and managed by the firm and under its control, "
             "e.g. advertising, a website, a loyalty programme.")

# Other cards of the same deck: a typo nearer to one of these must not count.
SIBLINGS = (
    basic("tangible", card_id="s1"),
    basic("klantreizen", card_id="s2"),
    basic("customer expectations", card_id="s3"),
)

# (card, typed answer, correct, score or None, text the feedback must contain or None)
CASES = [
    # --- English, basic: normalising -------------------------------------------------
    pytest.param(basic("intangibility"), "intangibility", True, 1.0, None, id="en-exact"),
    pytest.param(basic("intangibility"), "  INTANGIBILITY! ", True, 1.0, None, id="en-case-punctuation"),
    pytest.param(basic("brand-owned"), "brand owned", True, 1.0, None, id="en-hyphen-as-space"),
    pytest.param(basic("brand-owned"), "brandowned", True, 1.0, "typo", id="en-missing-space"),
    pytest.param(basic("moment of truth"), "Moment  of\ttruth.", True, 1.0, None, id="en-whitespace"),
    # --- English, basic: typo budgets by word length ------------------------------------
    pytest.param(basic("intangibility"), "intangiblity", True, 1.0, "typo", id="en-long-word-1-edit"),
    pytest.param(basic("intangibility"), "intengibilety", True, 1.0, "intangibility", id="en-long-word-2-edits"),
    pytest.param(basic("intangibility"), "intengibelety", False, 0.0, None, id="en-long-word-3-edits"),
    pytest.param(basic("trust"), "turst", True, 1.0, "typo", id="en-5-letters-transposition"),
    pytest.param(basic("customer"), "cutsomre", False, 0.0, None, id="en-8-letters-2-edits"),
    pytest.param(basic("loss"), "lose", False, 0.0, None, id="en-4-letters-no-tolerance"),
    pytest.param(basic("CRM"), "CMR", False, 0.0, None, id="en-short-acronym"),
    pytest.param(basic("moment of truth"), "momemt of truth", True, 1.0, "moment of truth", id="en-phrase-typo"),
    pytest.param(basic("designed and controlled by the firm"), "designd and controled by the firm",
                 True, 1.0, "typo", id="en-phrase-typo-in-two-words"),
    pytest.param(basic("designed and controlled by the firm"), "designed or controlled by a firm",
                 False, None, None, id="en-short-words-changed"),
    # --- digits --------------------------------------------------------------------------
    pytest.param(basic("1990"), "1991", False, 0.0, None, id="digits-1990-1991"),
    pytest.param(basic("in 1990"), "In 1990.", True, 1.0, None, id="digits-exact"),
    pytest.param(basic("1990s"), "1990", False, 0.0, None, id="digits-suffix"),
    pytest.param(basic("the 7Ps model"), "the 8Ps model", False, None, None, id="digits-in-word"),
    # --- answer syntax and accept -------------------------------------------------------
    pytest.param(basic("customer (lifetime) value"), "customer value", True, 1.0, None, id="optional-left-out"),
    pytest.param(basic("customer (lifetime) value"), "Customer lifetime value", True, 1.0, None, id="optional-given"),
    pytest.param(basic("customer (lifetime) value"), "lifetime value", False, None, None, id="optional-not-the-rest"),
    pytest.param(basic("SERVQUAL|service quality model"), "service quality model", True, 1.0, None,
                 id="alternative"),
    pytest.param(basic("service (quality|level) agreement"), "service level agreement", True, 1.0, None,
                 id="alternative-in-group"),
    pytest.param(basic("designed and controlled by the firm", accept=("firm controlled", "owned by the company")),
                 "Firm-controlled", True, 1.0, None, id="accept-list"),
    # --- closer to another card's answer ------------------------------------------------
    pytest.param(basic("tangibles"), "tangible", False, 0.0, "another answer (tangible)", id="en-closer-to-sibling"),
    pytest.param(basic("tangibles"), "tangibels", True, 1.0, "typo", id="en-typo-not-near-sibling"),
    pytest.param(basic("klantreis"), "klantreize", False, 0.0, "klantreizen", id="nl-closer-to-sibling"),
    # --- long backs: key-word coverage ---------------------------------------------------
    pytest.param(basic(LONG_BACK), "designed and managed by the firm, under its control: advertising, "
                 "website, loyalty programme", True, None, "missing: interaction", id="en-long-back-covered"),
    pytest.param(basic(LONG_BACK), "something the firm does", False, None, "missing: interaction",
                 id="en-long-back-partial"),
    # --- empty ---------------------------------------------------------------------------
    pytest.param(basic("intangibility"), "", False, 0.0, "no answer given", id="empty"),
    pytest.param(basic("intangibility"), " \n\t ", False, 0.0, "no answer given", id="blank"),
    pytest.param(basic("?!"), "?!", True, 1.0, None, id="punctuation-only-answer"),
    # --- Dutch, basic ---------------------------------------------------------------------
    pytest.param(basic("beïnvloeden"), "beinvloeden", True, 1.0, "accents: beïnvloeden", id="nl-accent-only"),
    pytest.param(basic("beinvloeden"), "beïnvloeden", True, 1.0, "accents", id="nl-accent-added"),
    pytest.param(basic("beïnvloeden"), "Beïnvloeden", True, 1.0, None, id="nl-accent-exact"),
    pytest.param(basic("ontastbaarheid"), "ontasbaarheid", True, 1.0, "typo: 'ontasbaarheid' → ontastbaarheid",
                 id="nl-typo-missing-letter"),
    pytest.param(basic("ontastbaarheid"), "ontastbaarhied", True, 1.0, "typo", id="nl-typo-transposition"),
    pytest.param(basic("ontastbaarheid"), "ontastbaar heid", True, 1.0, "typo", id="nl-typo-space"),
    pytest.param(basic("ontastbaarheid"), "ontastbaar", False, 0.0, None, id="nl-word-cut-short"),
    pytest.param(basic("vergankelijkheid"), "vergankelijkhied", True, 1.0, "typo", id="nl-vergankelijkheid"),
    pytest.param(basic("wet"), "wat", False, 0.0, None, id="nl-short-word"),
    pytest.param(basic("klantgerichte dienstverlening"), "Klantgerichte dienstverleningen", True, 1.0, "typo",
                 id="nl-phrase-typo"),
    pytest.param(basic("de klant (staat) centraal"), "de klant centraal", True, 1.0, None, id="nl-optional"),
    pytest.param(basic("1 januari 2024"), "1 januari 2025", False, None, None, id="nl-digits"),
    # --- lists ----------------------------------------------------------------------------
    pytest.param(listing(*TOUCH), "brand-owned, partner-owned, customer-owned, social/external", True, 1.0, None,
                 id="list-all"),
    pytest.param(listing(*TOUCH), "social external; customer owned\npartner owned, brand owned", True, 1.0, None,
                 id="list-any-order"),
    pytest.param(listing(*TOUCH, min=3), "brand owned, partner-ownd and customer owned", True, 0.75,
                 "typo: 'partner-ownd' → partner-owned", id="list-min-with-typo-and-and"),
    pytest.param(listing(*TOUCH, min=3), "brand-owned, customer-owned", False, 0.5,
                 "missing: partner-owned, social/external", id="list-below-min"),
    # A wrong extra item counts against a list (as every teacher in tests/data/teacher_answers.tsv did).
    pytest.param(listing(*TOUCH), "brand-owned, partner-owned, customer-owned, social/external, earned media",
                 False, 1.0, "not expected: earned media", id="list-extra-item"),
    pytest.param(listing(*TOUCH), "brand-owned, brand owned", False, 0.25, "repeated: brand owned",
                 id="list-repeated"),
    pytest.param(listing(*NL_KENMERKEN), "Ontastbaarheid\nonscheidbaarheid\nheterogeniteit\nvergankelijkhied",
                 True, 1.0, "vergankelijkheid", id="nl-list-lines"),
    pytest.param(listing(*NL_KENMERKEN, min=2), "heterogeniteit en ontastbaarheid", True, 0.5, None,
                 id="nl-list-en"),
    pytest.param(listing("beïnvloeden", "overtuigen"), "overtuigen, beinvloeden", True, 1.0, "accents",
                 id="nl-list-accents"),
    # --- sequences -------------------------------------------------------------------------
    pytest.param(sequence(*JOURNEY), "pre-purchase, purchase, post-purchase", True, 1.0, None, id="seq-in-order"),
    pytest.param(sequence(*JOURNEY), "purchase, pre-purchase, post-purchase", False, 0.667,
                 "2 of 3 in the right order", id="seq-first-two-swapped"),
    pytest.param(sequence(*JOURNEY), "post-purchase\npurchase\npre-purchase", False, 0.333, None, id="seq-reversed"),
    pytest.param(sequence(*JOURNEY), "1. pre purchase 2. purchase 3. post purchase", True, 1.0, None,
                 id="seq-numbered-on-one-line"),
    pytest.param(sequence(*JOURNEY), "pre-purchase -> purchase → post-purchase", True, 1.0, None, id="seq-arrows"),
    pytest.param(sequence(*JOURNEY), "pre-purchase, post-purchase", False, 0.667, "missing: purchase",
                 id="seq-one-missing"),
    pytest.param(sequence("oriëntatie", "aankoop", "nazorg"), "orientatie, aankoop, nazorg", True, 1.0, "accents",
                 id="nl-seq-accents"),
    # --- cloze -----------------------------------------------------------------------------
    pytest.param(cloze("physical evidence"), "Physical evidence", True, 1.0, None, id="cloze-one-gap"),
    pytest.param(cloze("physical evidence"), "physical evidnce", True, 1.0, "typo", id="cloze-typo"),
    pytest.param(cloze("onstage (visible) contact employee actions"), "onstage contact employee actions", True, 1.0,
                 None, id="cloze-optional-part"),
    pytest.param(cloze("physical evidence", "customer actions"), "physical evidence, customer actions", True, 1.0,
                 None, id="cloze-two-gaps"),
    pytest.param(cloze("physical evidence", "customer actions"), "physical evidence, support processes", False, 0.5,
                 "gap 2: expected customer actions", id="cloze-one-of-two"),
    pytest.param(cloze("physical evidence", "customer actions"), "customer actions, physical evidence", True, 1.0,
                 None, id="cloze-gaps-any-order"),
    pytest.param(cloze("physical evidence", "customer actions"), "customer actions, support processes", False, 0.5,
                 "gap 1: expected physical evidence", id="cloze-moved-part-counts-once"),
    pytest.param(cloze("klantreis"), "klantrijs", True, 1.0, "typo", id="nl-cloze-typo"),
    pytest.param(cloze("klantreis"), "klantreizen", False, 0.0, None, id="nl-cloze-wrong-word-form"),
    # --- choice ----------------------------------------------------------------------------
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "1", True, 1.0, None, id="choice-number"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "a", True, 1.0, None, id="choice-letter"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "A)", True, 1.0, None, id="choice-letter-paren"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "it is the subset of the portfolio that is offered to customers",
                 True, 1.0, None, id="choice-text"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "It is the subset of the portfolio that is ofered to customers",
                 True, 1.0, "typo", id="choice-text-typo"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "b", False, 0.0, "not right: b) It is the same", id="choice-wrong"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0]), "e", False, 0.0, "pick an option", id="choice-out-of-range"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0], CATALOGUE[2]), "1,3", True, 1.0, None, id="choice-several-numbers"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0], CATALOGUE[2]), "a c", True, 1.0, None, id="choice-several-letters"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0], CATALOGUE[2]), "a", False, 0.5, "also right: c)",
                 id="choice-several-one-missing"),
    pytest.param(choice(CATALOGUE, CATALOGUE[0], CATALOGUE[2]), "a, b, c", False, 0.5, "not right: b)",
                 id="choice-several-one-wrong"),
    pytest.param(choice(NL_GAPS, NL_GAPS[1]), "welke fase komt na de aankoop", True, 1.0, None, id="nl-choice-text"),
    pytest.param(choice(NL_GAPS, NL_GAPS[1]), "2", True, 1.0, None, id="nl-choice-number"),
    pytest.param(choice(("1990", "1991", "2000"), "1991"), "1991", True, 1.0, None, id="choice-option-like-number"),
]


@pytest.mark.parametrize(("card", "typed", "correct", "score", "feedback"), CASES)
def test_grading_table(card: Card, typed: str, correct: bool, score: float | None, feedback: str | None) -> None:
    result = grade(card, typed, siblings=(card, *SIBLINGS))
    assert isinstance(result, GradeResult)
    assert result.correct is correct, result
    if score is not None:
        assert result.score == pytest.approx(score, abs=0.001), result
    if feedback is not None:
        assert feedback in result.feedback, result
    assert 0.0 <= result.score <= 1.0


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert sum("nl-" in p.id for p in CASES) >= 10


def test_the_same_typo_counts_without_the_nearer_sibling() -> None:
    assert grade(basic("tangibles"), "tangible").correct
    assert not grade(basic("tangibles"), "tangible", siblings=SIBLINGS).correct


def test_accent_and_typo_flags() -> None:
    accent = grade(basic("beïnvloeden"), "beinvloeden")
    assert accent.accent_only and not accent.typo
    typo = grade(basic("ontastbaarheid"), "ontastbaarhied")
    assert typo.typo and not typo.accent_only


def test_expected_is_what_to_show() -> None:
    # Plain words (issue 12): the first full reading; the other forms are "also accepted".
    assert grade(basic("SERVQUAL|service quality model"), "x").expected == "SERVQUAL"
    assert grade(basic("(the) customer (lifetime) value"), "x").expected == "the customer lifetime value"
    assert plain_answer("SERVQUAL|service quality model") == ("SERVQUAL", ["service quality model"])
    assert grade(listing(*TOUCH), "x").expected == ", ".join(TOUCH)
    assert grade(sequence(*JOURNEY), "x").expected == "pre-purchase → purchase → post-purchase"
    assert grade(choice(CATALOGUE, CATALOGUE[1]), "x").expected == f"b) {CATALOGUE[1]}"


def test_list_reports_matched_missing_and_extra() -> None:
    result = grade(listing(*TOUCH), "customer owned, earned media, brand owned")
    assert result.matched == ("brand-owned", "customer-owned")
    assert result.missing == ("partner-owned", "social/external")
    assert result.extra == ("earned media",)


def test_long_input_is_cut_and_said_so() -> None:
    result = grade(basic("intangibility"), "intangibility " + "x" * 5000)
    assert not result.correct
    assert "first 2000 characters" in result.feedback


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Beïnvloeden", "beinvloeden"),
        ("Brand-Owned / Social", "brand owned social"),
        ("  Café\u0301 ", "cafe"),
        ("ﬁrst", "first"),
        ("Straße", "strasse"),
        ("klant—reis…", "klant reis"),
        ("", ""),
    ],
)
def test_normalize(text: str, normal: str) -> None:
    assert normalize(text) == normal


@pytest.mark.parametrize(
    ("answer", "variants"),
    [
        ("customer (lifetime) value", ("customer lifetime value", "customer value")),
        ("a|b", ("a", "b")),
        ("service (quality|level)", ("service quality", "service level", "service")),
        ("(x (y))", ("x y", "x")),
        ("unbalanced (paren", ("unbalanced (paren",)),
    ],
)
def test_expand_variants(answer: str, variants: tuple[str, ...]) -> None:
    assert expand_variants(answer) == variants


def test_split_items() -> None:
    assert split_items("1. a\n2. b; c, d -> e") == ["a", "b", "c", "d", "e"]
    assert split_items(" , ;\n") == []


def test_match_answer_is_usable_on_its_own() -> None:
    assert match_answer("servce blueprint", ["service blueprint"]).accepted
    refused = match_answer("servce blueprints", ["service blueprint"], ["service blueprints"])
    assert not refused.accepted and refused.rival == "service blueprints"
    assert not match_answer("", ["x"]).accepted
