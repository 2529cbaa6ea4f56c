"""The deck format's vocabulary: which keys exist where, and which are required.

Kept as plain data so the validator, the JSON Schema export and the docs all read one list.
"""

from __future__ import annotations

import re

FORMAT_VERSION = 1

DECK_KEYS = ("deck", "title", "language", "description", "source", "tags", "version", "synonyms", "cards")
DECK_REQUIRED = ("deck", "title", "cards")

COMMON_CARD_KEYS = ("id", "type", "hint", "explanation", "source", "tags", "lint")

TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "basic": ("front", "back", "answer", "accept", "reverse"),
    "cloze": ("text",),
    "list": ("prompt", "items", "min"),
    "sequence": ("prompt", "items"),
    "choice": ("prompt", "options", "answer", "answers", "shuffle"),
}

TYPE_REQUIRED: dict[str, tuple[str, ...]] = {
    "basic": ("front", "back"),
    "cloze": ("text",),
    "list": ("prompt", "items"),
    "sequence": ("prompt", "items"),
    "choice": ("prompt", "options"),
}

ALL_CARD_KEYS = tuple(dict.fromkeys(COMMON_CARD_KEYS + sum(TYPE_KEYS.values(), ())))

TEXT_KEYS = ("front", "back", "answer", "text", "prompt", "hint", "explanation", "source")
TEXT_LIST_KEYS = ("accept", "items", "options", "answers", "tags")
MAX_LIST_ENTRIES = 200  # per list key of a card: bounds the work of grading one answer
BOOL_KEYS = ("reverse", "shuffle")

# `cjstudy lint` rules a card may silence with `lint: {ignore: [rule]}` (docs/lint.md).
LINT_RULES = (
    "longest-key", "clue-word", "absolute-distractor", "few-options", "all-none-above",
    "trivia-answer", "too-many-gaps", "long-answer", "two-questions", "the-note",
    "near-duplicate", "wrong-language", "key-position",
)

DECK_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
TAG = re.compile(r"^[\w][\w/.-]*\Z", re.UNICODE)
