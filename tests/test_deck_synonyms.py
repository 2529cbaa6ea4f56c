"""`synonyms:` in a deck and in a folder's synonyms.yaml: validated with positions, used by grading."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cjstudy.cli import app
from cjstudy.deck import load_deck_set, parse_deck
from cjstudy.grading.grade import grade

DECK = """\
deck: syn-test
title: Synonyms
language: en
synonyms:
  firm: [company, business]
  customer: client
cards:
  - id: owned
    front: What is a brand-owned touch point?
    back: designed and managed by the firm
"""


def test_deck_synonyms_reach_every_card_and_the_grader() -> None:
    result = parse_deck(DECK.encode(), "syn.yaml")
    assert not result.problems
    deck = result.deck
    assert deck.synonyms == (("firm", "company", "business"), ("customer", "client"))
    card = deck.cards[0]
    assert card.synonyms == deck.synonyms and card.language == "en"
    assert grade(card, "designed and managed by the company", siblings=deck.cards).correct


def test_bad_synonyms_are_reported_with_positions() -> None:
    text = DECK.replace("  customer: client\n", "  customer: [client, [nested]]\n  empty: []\n")
    problems = parse_deck(text.encode(), "syn.yaml").problems
    lines = {(p.line, p.severity) for p in problems}
    assert (6, "error") in lines and (7, "error") in lines, problems
    not_a_map = parse_deck(DECK.replace("synonyms:\n  firm: [company, business]\n  customer: client\n",
                                        "synonyms: [firm, company]\n").encode(), "syn.yaml").problems
    assert any(p.line == 4 and "mapping" in p.message for p in not_a_map), not_a_map


def test_a_word_in_two_groups_is_a_warning() -> None:
    text = DECK.replace("  customer: client\n", "  company: [enterprise]\n")
    problems = parse_deck(text.encode(), "syn.yaml").problems
    assert [p.severity for p in problems] == ["warning"] and "company" in problems[0].message


def test_folder_synonyms_file_applies_to_its_decks_and_is_not_a_deck(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(DECK.replace("synonyms:\n  firm: [company, business]\n  customer: client\n", ""))
    (tmp_path / "synonyms.yaml").write_text("synonyms:\n  firm: [organisation]\n")
    decks = load_deck_set(tmp_path / "none", [tmp_path])
    deck = decks.deck("syn-test")
    assert deck is not None and deck.cards[0].synonyms == (("firm", "organisation"),)
    out = CliRunner().invoke(app, ["grade", "--decks", str(tmp_path), "syn-test/owned",
                                   "designed and managed by the organization", "--json"])
    assert json.loads(out.output)["verdict"] == "correct", out.output
    assert CliRunner().invoke(app, ["validate", str(tmp_path)]).exit_code == 0


def test_folder_synonyms_file_problems_are_reported(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(DECK)
    (tmp_path / "synonyms.yaml").write_text("synonyms:\n  firm: 3.5e\nother: 1\n")
    out = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert out.exit_code == 1
    assert "synonyms.yaml:3:1" in out.output and "unknown key 'other'" in out.output, out.output


def test_the_json_schema_knows_synonyms() -> None:
    import jsonschema
    import yaml

    from cjstudy.transfer.json_schema import deck_schema

    jsonschema.validate(yaml.safe_load(DECK), deck_schema())
    bad = yaml.safe_load(DECK.replace("  customer: client\n", "  customer: {a: b}\n"))
    try:
        jsonschema.validate(bad, deck_schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("a mapping as synonyms should not validate")
