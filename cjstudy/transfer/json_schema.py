"""A JSON Schema (draft 2020-12) of the deck format, built from `cjstudy.deck.schema`.

Editors with a YAML language server validate and complete deck files against it when the file
starts with `# yaml-language-server: $schema=deck.schema.json`. It is generated from the same
key lists the validator uses, so the two cannot drift apart; the validator stays the authority
for rules a schema cannot express (cloze gaps, answers among options, duplicate ids).
"""

from __future__ import annotations

import json

from cjstudy.deck import schema
from cjstudy.model import CARD_TYPES, LANGUAGES


def _ecma(pattern: str) -> str:
    """Python's end-of-text `\\Z` (no newline may follow) is `$` in a JSON Schema (ECMA) regex."""
    return pattern.replace("\\Z", "$")

SCHEMA_ID = "https://cjstudy.example/schema/deck-v1.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TEXT = {"type": ["string", "number"], "minLength": 1}
_TEXT_LIST = {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1, "maxItems": schema.MAX_LIST_ENTRIES}
_TAGS = {
    "description": "Tags (a single tag may be written without brackets).",
    "oneOf": [{"type": "string", "pattern": r"^\S+$"},
              {"type": "array", "items": {"type": "string", "pattern": r"^\S+$"}}],
}

_SYNONYMS = {
    "type": "object",
    "description": "Words the grader accepts for one another in every card of the deck: "
                   "`firm: [company, organisation]` (a folder's synonyms.yaml does the same for all its decks).",
    "additionalProperties": {"oneOf": [_TEXT, _TEXT_LIST]},
}

DESCRIPTIONS = {
    "id": "Card id: unique within the deck and stable across edits (progress is stored against it).",
    "type": "basic (default with front/back) | cloze (default with text) | list | sequence | choice",
    "front": "The question side of a basic card.",
    "back": "The answer side of a basic card.",
    "answer": "Short form for typed grading (basic) or the one correct option (choice). `a|b` means either.",
    "accept": "Other answers that also count as right.",
    "reverse": "true also makes a back -> front card.",
    "text": "Cloze text with gaps {{c1::answer}} or {{c1::answer::hint}}; one card per gap number.",
    "prompt": "The question of a list, sequence or choice card.",
    "items": "The items to recall (list: any order; sequence: in order).",
    "min": "How many items count as a pass (list cards; default all).",
    "options": "The options to pick from (choice cards).",
    "answers": "The correct options when several apply (choice cards).",
    "shuffle": "Shuffle the options (default true).",
    "hint": "Shown on request before answering.",
    "explanation": "Shown after the answer.",
    "source": "Where the content comes from (free text).",
    "tags": "Tags, added to the deck's tags.",
    "lint": "`cjstudy lint` settings for this card: {ignore: [rule, ...]} silences those rules (docs/lint.md).",
}


def _card_property(key: str) -> dict:
    if key == "id":
        prop: dict = {"type": "string", "pattern": _ecma(schema.CARD_ID.pattern)}
    elif key == "type":
        prop = {"enum": list(CARD_TYPES)}
    elif key == "tags":
        prop = dict(_TAGS)
    elif key == "lint":
        rule = {"enum": list(schema.LINT_RULES)}
        prop = {"type": "object", "additionalProperties": False,
                "properties": {"ignore": {"oneOf": [rule, {"type": "array", "items": rule}]}}}
    elif key in schema.BOOL_KEYS:
        prop = {"type": "boolean"}
    elif key == "min":
        prop = {"type": "integer", "minimum": 1}
    elif key in schema.TEXT_LIST_KEYS:
        prop = dict(_TEXT_LIST)
    else:
        prop = dict(_TEXT)
    prop["description"] = DESCRIPTIONS.get(key, key)
    return prop


def _rules(card_type: str) -> dict:
    """What a card of `card_type` must have and may have."""
    allowed = list(dict.fromkeys(schema.COMMON_CARD_KEYS + schema.TYPE_KEYS[card_type]))
    rule: dict = {"required": list(schema.TYPE_REQUIRED[card_type]), "propertyNames": {"enum": allowed}}
    if card_type == "choice":
        rule["oneOf"] = [{"required": ["answer"], "not": {"required": ["answers"]}},
                         {"required": ["answers"], "not": {"required": ["answer"]}}]
        rule["properties"] = {"options": {"minItems": 2}}
    return rule


def deck_schema() -> dict:
    """The schema as a dict, ready for `json.dumps`."""
    typed = [{"if": {"required": ["type"], "properties": {"type": {"const": t}}}, "then": _rules(t)}
             for t in CARD_TYPES]
    untyped = {
        "if": {"not": {"required": ["type"]}},
        "then": {"anyOf": [
            {"required": ["text"], **_rules("cloze")},
            {"not": {"required": ["text"]}, **_rules("basic")},
        ]},
    }
    card = {
        "type": "object",
        "properties": {key: _card_property(key) for key in schema.ALL_CARD_KEYS},
        "additionalProperties": False,
        "allOf": typed + [untyped],
    }
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "cjstudy deck",
        "description": "A cjstudy deck file (format version 1). `cjstudy validate` checks the rules a schema cannot.",
        "type": "object",
        "required": list(schema.DECK_REQUIRED),
        "additionalProperties": False,
        "properties": {
            "deck": {"type": "string", "pattern": _ecma(schema.DECK_ID.pattern),
                     "description": "Deck id: lowercase kebab-case, unique among loaded decks."},
            "title": {**_TEXT, "description": "The deck's title."},
            "language": {"enum": list(LANGUAGES), "description": "The language of the content."},
            "description": {**_TEXT, "description": "What the deck covers."},
            "source": {**_TEXT, "description": "Where the content comes from (free text)."},
            "tags": {**_TAGS, "description": "Tags inherited by every card."},
            "version": {"const": schema.FORMAT_VERSION, "description": "Format version (optional)."},
            "synonyms": _SYNONYMS,
            "cards": {"type": "array", "items": {"$ref": "#/$defs/card"}},
        },
        "$defs": {"card": card},
    }


def deck_schema_json() -> str:
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"
