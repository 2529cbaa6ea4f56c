"""`cjstudy lint`: each rule fires on a flawed card and stays quiet on a well-written one.

Cards are written as YAML into a temporary deck and checked through the CLI (`--json`), so the
tests cover the command, the positions and the rule names together.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.deck import schema
from cjstudy.deck.lint import lint_files
from cjstudy.deck.lint.rules import CARD_RULES, minimal

ROOT = Path(__file__).resolve().parent.parent


def deck_text(card: str, language: str = "en", deck_id: str = "lint-test", title: str = "Test deck") -> str:
    return (f"deck: {deck_id}\ntitle: {title}\nlanguage: {language}\ncards:\n"
            + textwrap.indent(textwrap.dedent(card).strip("\n"), "  ") + "\n")


def findings(runner, write_deck, card: str, language: str = "en") -> list[dict]:
    path = write_deck(deck_text(card, language))
    result = runner.invoke(app, ["lint", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rules_of(rows: list[dict]) -> set[str]:
    return {row["rule"] for row in rows}


# (rule, flawed card, fixed card, language)
CASES = [
    ("longest-key", """
        - id: c
          type: choice
          prompt: What is true of the many customer journey models?
          options:
            - All can be useful in their own context, and a rough structure can be agreed on
            - None of them is useful in practice
            - They prescribe the same phases
          answer: All can be useful in their own context, and a rough structure can be agreed on
     """, """
        - id: c
          type: choice
          prompt: What is true of the many customer journey models?
          options:
            - Each can be useful in its own context, and a rough structure is shared
            - One of them is correct, and firms should use that one model
            - They are academic and of little use in applying the concept
          answer: Each can be useful in its own context, and a rough structure is shared
     """, "en"),
    ("longest-key", """
        - id: c
          type: choice
          prompt: Which two things can CRM refer to?
          options:
            - The activities and processes for managing individual customer relationships
            - The software, data and analytical tools for carrying out those processes
            - Brand totality
            - Emotions
          answers:
            - The activities and processes for managing individual customer relationships
            - The software, data and analytical tools for carrying out those processes
     """, """
        - id: c
          type: choice
          prompt: Which two things can CRM refer to?
          options:
            - The activities and processes for managing individual customer relationships
            - The software, data and analytical tools for carrying out those processes
            - The totality of a customer's individual interactions with a brand, over time
            - A blend of rational performance, senses stimulated and emotions evoked
          answers:
            - The activities and processes for managing individual customer relationships
            - The software, data and analytical tools for carrying out those processes
     """, "en"),
    ("clue-word", """
        - id: c
          type: choice
          prompt: Which component covers the employee actions that are invisible to the customer?
          options: [Backstage/invisible employee actions, Onstage employee actions, Support processes]
          answer: Backstage/invisible employee actions
     """, """
        - id: c
          type: choice
          prompt: Which component covers what contact employees do out of the customer's sight?
          options: [Backstage employee actions, Onstage employee actions, Support processes]
          answer: Backstage employee actions
     """, "en"),
    ("clue-word", """
        - id: c
          front: Social/external touch points
          back: Touch points that recognise the roles of others; customers are surrounded by external touch points.
          reverse: true
     """, """
        - id: c
          front: Social/external touch points
          back: Contacts that recognise the roles of others, such as peers and other customers.
          reverse: true
     """, "en"),
    ("clue-word", """
        - id: c
          type: cloze
          text: Customer journeys are as diverse as a company's {{c1::customers}}, and customers differ.
     """, """
        - id: c
          type: cloze
          text: Customer journeys are as {{c1::diverse}} as a company's customers.
     """, "en"),
    ("absolute-distractor", """
        - id: c
          type: choice
          prompt: Waar vinden touchpoints plaats?
          options: [Zowel online als offline, Alleen online, Uitsluitend offline]
          answer: Zowel online als offline
     """, """
        - id: c
          type: choice
          prompt: Een klant belt; een andere klant gebruikt de app. Zijn beide contacten touchpoints?
          options:
            - Ja, zowel online als offline
            - Nee, het telefoongesprek wel, de app niet
            - Nee, de app wel, het telefoongesprek niet
          answer: Ja, zowel online als offline
     """, "nl"),
    ("few-options", """
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Outside-in, Inside-out]
          answer: Outside-in
     """, """
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Outside-in, Inside-out, Product-by-product]
          answer: Outside-in
     """, "en"),
    ("all-none-above", """
        - id: c
          type: choice
          prompt: What matters when value is created via network effects?
          options: [Customer loyalty, Word of mouth, All of the above]
          answer: All of the above
     """, """
        - id: c
          type: choice
          prompt: What matters when value is created via network effects?
          options: [Customer loyalty, Market share per product, Mass media]
          answer: Customer loyalty
     """, "en"),
    ("trivia-answer", """
        - id: c
          type: cloze
          text: The anecdote on {{c1::Chessington}} appears in Shaw & Ivens (2005, p. {{c2::56}}).
     """, """
        - id: c
          type: cloze
          text: The Disney World anecdote illustrates {{c1::experiential values}}.
     """, "en"),
    ("trivia-answer", """
        - id: c
          front: In which year did Reichheld and Sasser publish their study?
          back: "1990"
     """, """
        - id: c
          front: With what did Reichheld and Sasser find a customer's profitability increases?
          back: Length of retention.
     """, "en"),
    ("trivia-answer", """
        - id: c
          type: cloze
          text: The customer can get in touch when that expectation {{c1::isn't}} met.
     """, """
        - id: c
          type: cloze
          text: The customer can {{c1::get in touch quickly and easily}} when that expectation isn't met.
     """, "en"),
    ("too-many-gaps", """
        - id: c
          type: cloze
          text: "{{c1::a}} one {{c2::b}} two {{c3::c}} three"
     """, """
        - id: c
          type: cloze
          text: "{{c1::a}} one {{c2::b}} two {{c2::c}} three"
     """, "en"),
    ("long-answer", """
        - id: c
          front: Customer-owned touch points
          back: Customer actions that the firm, its partners or others do not influence or control.
          answer: customer actions that the firm, its partners or others do not influence or control
     """, """
        - id: c
          front: Customer-owned touch points
          back: Customer actions that the firm, its partners or others do not influence or control.
          answer: (customer actions) not influenced or controlled (by the firm, its partners or others)
     """, "en"),
    ("long-answer", """
        - id: c
          type: list
          prompt: Name the characteristics.
          items: [one, two, three, four, five, six, seven, eight]
     """, """
        - id: c
          type: list
          prompt: Name the characteristics.
          items: [one, two, three, four, five, six, seven]
     """, "en"),
    ("long-answer", """
        - id: c
          type: list
          prompt: Name two features of a share-of-customer focus.
          items:
            - sells as many products as possible to one customer
            - collaborates with customers
     """, """
        - id: c
          type: list
          prompt: Name two features of a share-of-customer focus.
          items:
            - (sells) (as) many products (as possible) to one customer
            - collaborates with customers
     """, "en"),
    ("two-questions", """
        - id: c
          front: Whose perspective should a service blueprint have, and what should you therefore do?
          back: A customer perspective; ask the customers.
     """, """
        - id: c
          front: Whose perspective should a service blueprint have?
          back: A customer perspective.
     """, "en"),
    ("two-questions", """
        - id: c
          type: list
          prompt: Op welke manieren oriënteert de klant zich? Noem er vier.
          items: [websites, vrienden, rondleidingen, proeflessen]
     """, """
        - id: c
          type: list
          prompt: Noem vier manieren waarop de klant zich oriënteert.
          items: [websites, vrienden, rondleidingen, proeflessen]
     """, "nl"),
    ("the-note", """
        - id: c
          front: Many believe CX is a synonym for software. What does the note say?
          back: It is not; CX involves analytical as well as operational processes.
     """, """
        - id: c
          front: Many believe CX is a synonym for software. Is it?
          back: No; CX involves analytical as well as operational processes.
     """, "en"),
    ("the-note", """
        - id: c
          front: Wat is een dienst volgens de tekst?
          back: Een handeling of prestatie zonder eigendom.
     """, """
        - id: c
          front: Wat is een dienst?
          back: Een handeling of prestatie zonder eigendom.
     """, "nl"),
    ("wrong-language", """
        - id: c
          type: choice
          prompt: Welke fases horen bij de user journey? (pick all that apply)
          options: [Dienstverlening, Loyaliteit, Overweging]
          answers: [Dienstverlening, Loyaliteit]
     """, """
        - id: c
          type: choice
          prompt: Welke fases horen bij de user journey? (meerdere antwoorden mogelijk)
          options: [Dienstverlening, Loyaliteit, Overweging]
          answers: [Dienstverlening, Loyaliteit]
     """, "nl"),
    ("wrong-language", """
        - id: c
          front: What does CX focus on?
          back: Experiential values, niet de software.
     """, """
        - id: c
          front: What does CX focus on?
          back: Experiential values, not the software.
     """, "en"),
    ("key-position", """
        - id: a
          type: choice
          prompt: Which stage comes first?
          options: [Pre-purchase, Purchase, Post-purchase]
          answer: Pre-purchase
        - id: b
          type: choice
          prompt: Which category is a loyalty programme run with other vendors?
          options: [Partner-owned, Brand-owned, Customer-owned]
          answer: Partner-owned
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Outside-in, Inside-out, Product-led]
          answer: Outside-in
     """, """
        - id: a
          type: choice
          prompt: Which stage comes first?
          options: [Pre-purchase, Purchase, Post-purchase]
          answer: Pre-purchase
        - id: b
          type: choice
          prompt: Which category is a loyalty programme run with other vendors?
          options: [Brand-owned, Partner-owned, Customer-owned]
          answer: Partner-owned
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Inside-out, Product-led, Outside-in]
          answer: Outside-in
     """, "en"),
]


@pytest.mark.parametrize("rule, bad, good, language", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_flags_the_flawed_card_and_passes_the_fixed_one(runner, write_deck, rule, bad, good, language):
    assert rule in rules_of(findings(runner, write_deck, bad, language))
    assert rule not in rules_of(findings(runner, write_deck, good, language))


def test_none_of_the_above_is_reported_once(runner, write_deck):
    rows = findings(runner, write_deck, """
        - id: c
          type: choice
          prompt: In which stage does the loyalty loop come in?
          options: [Post-purchase, Purchase, None of the above]
          answer: Post-purchase
    """)
    assert [r["rule"] for r in rows] == ["all-none-above"]


def test_words_of_the_deck_title_are_no_clue(runner, write_deck):
    card = """
        - id: c
          front: Social/external touch points
          back: Touch points that recognise the roles of others, such as peers and other customers.
          reverse: true
    """
    path = write_deck(deck_text(card, title="Touch points"))
    assert json.loads(runner.invoke(app, ["lint", str(path), "--json"]).output) == []
    path = write_deck(deck_text(card, title="Journeys"))
    assert rules_of(json.loads(runner.invoke(app, ["lint", str(path), "--json"]).output)) == {"clue-word"}


def test_every_rule_has_a_failing_and_a_passing_case():
    tested = {case[0] for case in CASES} | {"near-duplicate"}
    assert tested == set(schema.LINT_RULES)


def test_rule_names_are_the_ones_the_format_knows(write_deck):
    path = write_deck(deck_text("""
        - id: c
          type: choice
          prompt: What does the note say? And why?
          options: [None of the above, Only this]
          answer: None of the above
    """))
    result = lint_files([path])
    assert {f.rule for f in result.findings} <= set(schema.LINT_RULES)
    assert len(CARD_RULES) == len(schema.LINT_RULES) - 2  # near-duplicate and key-position look at many cards


def _choice_cards(positions: list[int], ignore_first: bool = False) -> str:
    """Choice cards whose key sits at the given option positions (0 = a)."""
    cards = []
    for number, position in enumerate(positions):
        options = [f"Distractor {number} {k}" for k in range(3)]
        options.insert(position, f"Key {number}")
        lint = "\n  lint: {ignore: [key-position]}" if ignore_first and number == 0 else ""
        cards.append(f"- id: q{number}\n  type: choice\n  prompt: Question {number}?\n"
                     f"  options: [{', '.join(options)}]\n  answer: Key {number}{lint}")
    return "\n".join(cards)


@pytest.mark.parametrize("positions, flagged", [
    ([0, 0, 0], True),  # every key in a)
    ([2, 2, 2, 2], True),  # every key in c): any letter counts, not only a)
    ([0, 0], False),  # two cards: too few to tell
    ([0, 0, 1], False),
    ([1, 1, 1, 1, 1, 0], True),  # 5 of 6 in b): more than two thirds
    ([1, 1, 1, 1, 0, 2], False),  # 4 of 6: two thirds is still allowed
])
def test_key_position_counts_the_deck(runner, write_deck, positions, flagged):
    rows = [r for r in findings(runner, write_deck, _choice_cards(positions)) if r["rule"] == "key-position"]
    assert len(rows) == (1 if flagged else 0), rows
    if flagged:
        assert rows[0]["card"] == "q0" and "of %d choice cards" % len(positions) in rows[0]["message"]


def test_key_position_leaves_out_cards_that_ignore_it(runner, write_deck):
    # three cards with the key in a), but one silences the rule: two counted cards are too few
    rows = findings(runner, write_deck, _choice_cards([0, 0, 0], ignore_first=True))
    assert "key-position" not in rules_of(rows)


def test_near_duplicates_across_decks(runner, write_deck):
    card = """
        - id: cycle
          type: cloze
          text: >-
            The cycle of the customer journey stages is {{c1::iterative}} and dynamic; touch
            points happen all the way through.
    """
    first = write_deck(deck_text(card, deck_id="first"), "a.yaml")
    write_deck(deck_text(card, deck_id="second"), "b.yaml")
    result = runner.invoke(app, ["lint", str(first.parent), "--json"])
    rows = [r for r in json.loads(result.output) if r["rule"] == "near-duplicate"]
    assert len(rows) == 1
    assert rows[0]["deck"] == "second" and "first/cycle" in rows[0]["message"]
    other = """
        - id: cycle
          type: cloze
          text: Customer journeys are as {{c1::diverse}} as a company's customers.
    """
    write_deck(deck_text(other, deck_id="second"), "b.yaml")
    result = runner.invoke(app, ["lint", str(first.parent), "--json"])
    assert "near-duplicate" not in rules_of(json.loads(result.output))


def test_ignore_silences_only_the_named_rule(runner, write_deck):
    bad = """
        - id: c
          type: choice
          prompt: What does the note say about CX?
          options: [Outside-in, Inside-out]
          answer: Outside-in
          lint: {ignore: [few-options]}
    """
    assert rules_of(findings(runner, write_deck, bad)) == {"the-note"}
    single = bad.replace("[few-options]", "few-options")
    assert rules_of(findings(runner, write_deck, single)) == {"the-note"}


def test_near_duplicate_can_be_ignored_on_either_card(runner, write_deck):
    card = """
        - id: cycle
          type: cloze
          text: The customer journey cycle is {{c1::iterative}} and dynamic; touch points happen all the way through.
    """
    ignored = card.rstrip() + "\n  lint: {ignore: [near-duplicate]}\n"
    first = write_deck(deck_text(ignored, deck_id="first"), "a.yaml")
    write_deck(deck_text(card, deck_id="second"), "b.yaml")
    result = runner.invoke(app, ["lint", str(first.parent), "--json"])
    assert "near-duplicate" not in rules_of(json.loads(result.output))


def test_unknown_rule_in_ignore_is_a_validation_error(runner, write_deck):
    path = write_deck(deck_text("""
        - id: c
          front: What does CX focus on?
          back: Experiential values.
          lint: {ignore: [longest-kee]}
    """))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "unknown lint rule 'longest-kee' (did you mean 'longest-key'?)" in result.output
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1 and "unknown lint rule" in result.output


@pytest.mark.parametrize("value, message", [
    ("[few-options]", "'lint' must be a mapping"),
    ("{skip: [few-options]}", "unknown lint key 'skip'"),
    ("{ignore: {a: b}}", "'ignore' must be a list of lint rules"),
])
def test_lint_key_shape_is_validated(runner, write_deck, value, message):
    path = write_deck(deck_text(f"""
        - id: c
          front: What does CX focus on?
          back: Experiential values.
          lint: {value}
    """))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and message in result.output, result.output


def test_text_output_positions_and_strict_exit(runner, write_deck):
    path = write_deck(deck_text("""
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Outside-in, Inside-out]
          answer: Outside-in
    """))
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first == f"{path}:8:14: warning: only 2 options; write at least 3 so guessing pays less [few-options]"
    assert result.output.splitlines()[-1] == "1 file, 1 card: 1 warning"
    assert runner.invoke(app, ["lint", str(path), "--strict"]).exit_code == 1


def test_json_rows_have_the_documented_keys(runner, write_deck):
    rows = findings(runner, write_deck, """
        - id: c
          type: choice
          prompt: Which view does CX take?
          options: [Outside-in, Inside-out]
          answer: Outside-in
    """)
    assert set(rows[0]) == {"path", "line", "column", "severity", "rule", "message", "deck", "card"}
    assert rows[0]["deck"] == "lint-test" and rows[0]["card"] == "c" and rows[0]["severity"] == "warning"


def test_broken_deck_is_reported_not_linted(runner, write_deck):
    path = write_deck("deck: x\ntitle: X\ncards:\n  - id: a\n    type: choice\n    prompt: P\n")
    result = runner.invoke(app, ["lint", str(path), "--json"])
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert rows and all(r["severity"] == "error" for r in rows)


def test_missing_path_is_one_line_error(runner, tmp_path):
    result = runner.invoke(app, ["lint", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_bundled_decks_pass_strict_lint(runner):
    result = runner.invoke(app, ["lint", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 warnings")


def test_minimal_answer_drops_nested_optional_parts_and_picks_the_shortest_alternative():
    assert minimal("products and brands ((as) (the) source of (company) value)") == "products and brands"
    assert minimal("bewustzijn(sfase)|bekendheid(sfase)") == "bewustzijn"
    assert minimal("(the) internet") == "internet"
