"""Every validation rule, with the exact position it reports."""

from __future__ import annotations

import pytest

from cjstudy.deck import parse_deck

HEAD = "deck: demo\ntitle: Demo\nlanguage: en\ncards:\n"


def problems(text: str) -> list[str]:
    return [str(p) for p in parse_deck(text.encode("utf-8"), "d.yaml").problems]


CASES = [
    # (deck text, expected problem line)
    ("deck: demo\ntitle: Demo\nlanguage: en\ncards:\n  - id: a\n    front: [unclosed\n",
     "d.yaml:7:1: error: YAML syntax error"),
    ("deck: demo\ntitle: Demo\ncards:\n\t- id: a\n", "d.yaml:4:1: error: tab character in indentation"),
    ("- just\n- a list\n", "d.yaml:1:1: error: the top level of a deck must be a mapping"),
    ("title: Demo\nlanguage: en\ncards: []\n", "d.yaml:1:1: error: deck is missing required key 'deck'"),
    ("deck: Demo Deck\ntitle: D\nlanguage: en\ncards: []\n", "d.yaml:1:7: error: deck id 'Demo Deck' must be lowercase kebab-case"),
    ("deck: d\ntitle: D\nlanguage: fr\ncards: []\n", "d.yaml:3:11: error: language must be one of en, nl, und, got 'fr'"),
    ("deck: d\ntitle: D\nlanguage: en\nversion: 2\ncards: []\n", "d.yaml:4:10: error: unsupported deck format version 2"),
    ("deck: d\ntitle: D\nlanguage: en\ntitel: x\ncards: []\n", "d.yaml:4:1: error: unknown deck key 'titel' (did you mean 'title'?)"),
    ("deck: d\ntitle: D\nlanguage: en\ncards: {a: 1}\n", "d.yaml:4:8: error: 'cards' must be a list"),
    (HEAD + "  - just text\n", "d.yaml:5:5: error: each card must be a mapping"),
    (HEAD + "  - id: a\n    front: Q\n    bakc: A\n", "d.yaml:7:5: error: unknown card key 'bakc' (did you mean 'back'?)"),
    (HEAD + "  - id: a\n    front: Q\n", "d.yaml:5:5: error: basic card is missing required key 'back'"),
    (HEAD + "  - id: a\n    type: clozed\n    text: x\n", "d.yaml:6:11: error: unknown card type 'clozed' (did you mean 'cloze'?)"),
    (HEAD + "  - id: a\n    prompt: p\n", "d.yaml:5:5: error: card has no 'type' and no 'front'"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n  - id: a\n    front: Q2\n    back: A2\n",
     "d.yaml:8:9: error: duplicate card id 'a' (first used on line 5)"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n    front: again\n", "d.yaml:8:5: error: duplicate key 'front'"),
    (HEAD + "  - id: has space\n    front: Q\n    back: A\n", "d.yaml:5:9: error: card id 'has space' may use only"),
    (HEAD + "  - id: a\n    front: [Q]\n    back: A\n", "d.yaml:6:12: error: 'front' must be text, got a list"),
    (HEAD + "  - id: a\n    front: Q\n    back:\n", "d.yaml:7:10: error: 'back' must be text, got nothing (null)"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n    reverse: maybe\n", "d.yaml:8:14: error: 'reverse' must be true or false"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n    accept: yes please\n", "d.yaml:8:13: error: 'accept' must be a list"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n    items: [x]\n", "d.yaml:8:5: error: key 'items' does not apply to basic cards"),
    (HEAD + "  - id: a\n    type: cloze\n    text: no gaps here\n", "d.yaml:7:11: error: cloze text has no gaps"),
    (HEAD + "  - id: a\n    type: cloze\n    text: a {{c1:broken}}\n", "d.yaml:7:11: error: malformed cloze gap"),
    (HEAD + "  - id: a\n    type: cloze\n    text: a {{c1::}}\n", "d.yaml:7:11: error: cloze gap c1 has an empty answer"),
    (HEAD + "  - id: a\n    type: list\n    prompt: p\n    items: []\n", "d.yaml:8:12: error: 'items' of a list card must not be empty"),
    (HEAD + "  - id: a\n    type: list\n    prompt: p\n    items: [x, y]\n    min: 3\n", "d.yaml:9:10: error: 'min' must be between 1 and the number of items (2)"),
    (HEAD + "  - id: a\n    type: sequence\n    prompt: p\n    items: [x, y, x]\n", "d.yaml:8:19: error: duplicate item 'x'"),
    (HEAD + "  - id: a\n    type: choice\n    prompt: p\n    options: [x, y]\n    answer: z\n", "d.yaml:9:13: error: answer 'z' is not among the options"),
    (HEAD + "  - id: a\n    type: choice\n    prompt: p\n    options: [x, y, X]\n    answer: x\n", "d.yaml:8:21: error: duplicate option 'X'"),
    (HEAD + "  - id: a\n    type: choice\n    prompt: p\n    options: [x, y]\n", "d.yaml:5:5: error: choice card is missing 'answer'"),
    (HEAD + "  - id: a\n    type: choice\n    prompt: p\n    options: [x, y]\n    answer: x\n    answers: [x]\n", "d.yaml:10:14: error: give either 'answer'"),
    (HEAD + "  - id: a\n    type: choice\n    prompt: p\n    options: [x]\n    answer: x\n", "d.yaml:8:14: error: a choice card needs at least two options"),
    (HEAD + "  - id: a\n    front: Q\n    back: A\n    tags: [two words]\n", "d.yaml:8:11: error: tag 'two words' must be one word"),
    ("deck: d\ntitle: D\nlanguage: en\nbase: &b {front: Q, back: A}\ncards:\n  - *b\n", "d.yaml:4:7: error: anchor &b is not allowed"),
    ("deck: d\ntitle: !!python/object:os.system D\ncards: []\n", "d.yaml:2:8: error: YAML tag !!python/object:os.system is not allowed"),
    ("deck: d\n---\ndeck: e\n", "d.yaml:2:1: error: more than one YAML document"),
    ("", "d.yaml:1:1: error: file is empty"),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[1].split("error: ")[1][:40] for c in CASES])
def test_each_rule_reports_its_position(text: str, expected: str):
    found = problems(text)
    assert any(p.startswith(expected) for p in found), found


def test_non_utf8_is_reported_with_position():
    result = parse_deck("deck: d\ntitle: caf".encode() + b"\xe9\n", "d.yaml")
    assert str(result.problems[0]).startswith("d.yaml:2:11: error: not valid UTF-8")


def test_binary_is_refused():
    result = parse_deck(b"deck: d\n\x00\x01\x02", "d.yaml")
    assert "binary data" in str(result.problems[0])


def test_all_problems_are_collected_in_one_pass():
    text = HEAD + "  - id: a\n    front: Q\n  - id: b\n    type: choise\n  - id: c\n    frnt: Q\n    back: A\n"
    found = problems(text)
    assert len([p for p in found if ": error: " in p]) >= 3


def test_empty_cards_is_a_warning_not_an_error():
    result = parse_deck(b"deck: d\ntitle: D\nlanguage: en\ncards: []\n", "d.yaml")
    assert result.deck is not None
    assert [p.severity for p in result.problems] == ["warning"]


def test_missing_language_warns_and_defaults_to_english():
    result = parse_deck(b"deck: d\ntitle: D\ncards:\n  - id: a\n    front: Q\n    back: A\n", "d.yaml")
    assert result.deck.language == "en"
    assert "no 'language'" in str(result.problems[0])


def test_ids_with_a_trailing_newline_are_refused(runner, tmp_path, monkeypatch):
    """`$` in a pattern also matches before a final newline: `new $'abc\\n'` wrote `abc⏎.yaml`."""
    from cjstudy.cli import app
    from cjstudy.deck.schema import CARD_ID, DECK_ID, TAG

    assert not DECK_ID.match("abc\n") and not CARD_ID.match("c1\n") and not TAG.match("tag\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "abc\n"])
    assert result.exit_code != 0 and "kebab-case" in result.output
    assert list(tmp_path.iterdir()) == []
