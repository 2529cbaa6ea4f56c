"""`cjstudy schema`, `cjstudy new`, and the text helpers the importers share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjstudy.cli import app
from cjstudy.deck import deck_files, parse_deck, read_deck_file
from cjstudy.deck.yaml_source import read_tree
from cjstudy.paths import bundled_decks_dir
from cjstudy.transfer.html_text import html_to_text, text_to_html
from cjstudy.transfer.ids import clean_tag, slug
from cjstudy.transfer.json_schema import deck_schema
from cjstudy.transfer.scaffold import scaffold_text
from cjstudy.transfer.yaml_writer import dump_deck


def _python(node):
    """A deck file as the loader reads it (YAML 1.2 scalars), for checking against the schema."""
    if node.kind == "map":
        return {k.value: _python(v) for k, v in node.pairs}
    if node.kind == "seq":
        return [_python(item) for item in node.items]
    return node.value


def _load(path_or_text) -> object:
    data = path_or_text.read_bytes() if isinstance(path_or_text, Path) else path_or_text.encode("utf-8")
    return _python(read_tree(data, "x.yaml"))


# --- schema ------------------------------------------------------------------------------

def test_schema_command_prints_json_with_the_expected_structure(runner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["deck", "title", "cards"]
    assert schema["properties"]["language"]["enum"] == ["en", "nl", "und"]
    card = schema["$defs"]["card"]
    assert card["additionalProperties"] is False
    assert card["properties"]["type"]["enum"] == ["basic", "cloze", "list", "sequence", "choice"]
    branches = {b["if"]["properties"]["type"]["const"]: b["then"] for b in card["allOf"] if "properties" in b["if"]}
    assert branches["cloze"]["required"] == ["text"]
    assert "items" not in branches["basic"]["propertyNames"]["enum"]


def test_schema_output_file(runner, tmp_path: Path) -> None:
    out = tmp_path / "deck.schema.json"
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8")) == deck_schema()


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = deck_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_bundled_deck_is_valid_against_the_schema() -> None:
    validator = _validator()
    files = deck_files([bundled_decks_dir()])
    assert files, "no bundled decks found"
    for path in files:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(_load(path))]
        assert errors == [], path


@pytest.mark.parametrize("card, fragment", [
    ("{id: a, front: q}", "back"),
    ("{id: a, type: list, prompt: p}", "items"),
    ("{id: a, type: basic, front: q, back: b, items: [x]}", "items"),
    ("{id: a, fornt: q, back: b}", "fornt"),
    ("{id: a, type: choice, prompt: p, options: [x, y]}", "answer"),
    ("{id: a, type: choice, prompt: p, options: [x, y], answer: x, answers: [y]}", "answer"),
    ("{id: 'bad id', front: q, back: b}", "bad id"),
    ("{id: a, type: quiz, front: q, back: b}", "quiz"),
    ("{id: a, front: q, back: b, reverse: 'yes'}", "yes"),
])
def test_schema_rejects_what_the_validator_rejects(card: str, fragment: str) -> None:
    validator = _validator()
    text = f"deck: d\ntitle: T\ncards:\n  - {card}\n"
    assert any(p.is_error for p in parse_deck(text.encode(), "d.yaml").problems)
    errors = list(validator.iter_errors(_load(text)))
    assert errors, card
    messages = [e.message for e in _all_errors(errors)]
    assert any(fragment in m for m in messages), messages


def _all_errors(errors):
    for error in errors:
        yield error
        yield from _all_errors(error.context or [])


def test_schema_accepts_untyped_cloze_and_numbers_as_text() -> None:
    validator = _validator()
    text = "deck: d\ntitle: T\nversion: 1\ntags: one\ncards:\n  - {id: a, text: 'x {{c1::y}}'}\n  - {id: b, front: year, back: 1990}\n"
    assert [p for p in parse_deck(text.encode(), "d.yaml").problems if p.is_error] == []
    assert list(validator.iter_errors(_load(text))) == []


# --- new ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "nl"])
def test_new_writes_a_commented_deck_that_validates_cleanly(runner, tmp_path: Path, monkeypatch, lang) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "service-recovery", "--lang", lang])
    assert result.exit_code == 0, result.output
    path = tmp_path / "service-recovery.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=deck.schema.json\n")
    loaded = read_deck_file(path)
    assert loaded.problems == []
    deck = loaded.deck
    assert deck.id == "service-recovery" and deck.language == lang
    assert {n.type for n in deck.notes} == {"basic", "cloze", "list", "sequence", "choice"}
    validate = runner.invoke(app, ["validate", "--strict", str(path)])
    assert validate.exit_code == 0 and "0 errors, 0 warnings" in validate.output
    if pytest.importorskip("jsonschema"):
        assert list(_validator().iter_errors(_load(path))) == []


def test_new_refuses_to_overwrite(runner, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("precious", encoding="utf-8")
    result = runner.invoke(app, ["new", "mine", "-o", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("args, message", [
    (["new", "Not_Kebab"], "kebab-case"),
    (["new", "ok-id", "--lang", "fr"], "language must be one of en, nl"),
])
def test_new_rejects_bad_input(runner, tmp_path: Path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.output
    assert list(tmp_path.iterdir()) == []


def test_scaffold_ids_are_used_verbatim() -> None:
    assert "deck: a-b-c\n" in scaffold_text("a-b-c")


# --- text helpers ------------------------------------------------------------------------

@pytest.mark.parametrize("html, text", [
    ("Wat is een <b>klantreis</b>?", "Wat is een klantreis?"),
    ("a&amp;b &lt;x&gt; caf&eacute;&nbsp;!", "a&b <x> café !"),
    ("<div>one</div><div>two</div>", "one\ntwo"),
    ("one<br><br>two", "one\n\ntwo"),
    ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
    ("x<script>alert(1)</script><style>p{}</style>", "x"),
    ("  spaced\t out  ", "spaced out"),
])
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html).text == text


def test_media_is_reported() -> None:
    cleaned = html_to_text('see <img src="a.png"> and [sound:b.mp3]')
    assert cleaned.text == "see and" and sorted(cleaned.media) == ["a.png", "b.mp3"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_text_survives_html_and_back(text: str) -> None:
    expected = " ".join(text.split())
    assert html_to_text(text_to_html(" ".join(text.split()))).text == expected.replace("\xa0", " ").strip() \
        or not expected.strip()


@pytest.mark.parametrize("name, expected", [
    ("Cursus::Hoofdstuk één", "cursus-hoofdstuk-een"), ("  ", "deck"), ("CX & CRM (2024)", "cx-crm-2024"),
])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize("tag, expected", [
    ("a::b", "a/b"), ("#hash", "hash"), ("één", "één"), ("::", None), ("x&y", "x-y"),
])
def test_clean_tag(tag: str, expected) -> None:
    assert clean_tag(tag) == expected


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
                min_size=1, max_size=40).map(str.strip).filter(bool)
_TRICKY = st.sampled_from(["0o17", "1e3", "0x1F", ".5", "+1", "1_000", "~", "null", "True", "yes", "- x",
                           "a: b", "#c", "[x]", "{y}", "'q'", '"d"', "@at", "`b`", "!tag", "&a", "*b", "%p", "1990"])
_MULTI = st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(front=_TEXT | _TRICKY, back=_MULTI | _TRICKY, tags=st.lists(st.from_regex(r"[a-z][a-z0-9/-]{0,8}", fullmatch=True), max_size=3, unique=True))
def test_yaml_writer_round_trips_through_the_loader(front: str, back: str, tags: list[str]) -> None:
    text = dump_deck({"deck": "d", "title": front, "language": "en"},
                     [{"id": "c", "front": front, "back": back, "tags": tags or None}])
    result = parse_deck(text.encode("utf-8"), "d.yaml")
    assert [p for p in result.problems if p.is_error] == [], text
    note = result.deck.notes[0]
    assert note.front == front and result.deck.title == front
    assert note.back == "\n".join(line.strip() for line in back.split("\n")) or note.back == back.strip()
    assert list(note.tags) == tags
