"""Check a parsed deck tree against the format and turn it into Notes.

Every problem is collected (never raised) so an instructor sees all of them in one run,
each with the line and column of the value at fault.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cjstudy.deck import cloze, schema
from cjstudy.deck.suggest import did_you_mean
from cjstudy.deck.synonyms import read_synonyms
from cjstudy.deck.yaml_source import Node
from cjstudy.errors import Problem
from cjstudy.model import LANGUAGES, Note


@dataclass
class DeckHeader:
    id: str
    title: str
    language: str
    description: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    version: int = schema.FORMAT_VERSION
    id_line: int = 1
    id_column: int = 1
    synonyms: tuple[tuple[str, ...], ...] = ()


@dataclass
class Checked:
    header: DeckHeader | None
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.errors = 0  # kept as we go: counting the list per card made 20,000 errors quadratic

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, "error", message))
        self.errors += 1

    def warning(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, "warning", message))


def check_deck(tree: Node, path: str) -> Checked:
    report = _Reporter(path)
    if tree.kind != "map":
        report.error(tree, "the top level of a deck must be a mapping with `deck:`, `title:` and `cards:`")
        return Checked(None, [], report.problems)
    _check_keys(tree, schema.DECK_KEYS, "deck", report)
    header = _read_header(tree, report)
    notes = _read_cards(tree.get("cards"), tree, report)
    return Checked(header, notes, report.problems)


def _check_keys(mapping: Node, allowed: tuple[str, ...], where: str, report: _Reporter,
                card_type: str | None = None) -> None:
    """Duplicate and unknown keys; on a typed card, a known key of another type is named as such."""
    seen: set[str] = set()
    for key, _ in mapping.pairs:
        name = key.value
        if not isinstance(name, str):
            report.error(key, f"{where} key must be text, got {_describe(name)}")
            continue
        if name in seen:
            report.error(key, f"duplicate key '{name}'")
        seen.add(name)
        if name in allowed:
            continue
        if card_type is not None and name in schema.ALL_CARD_KEYS:
            report.error(key, f"key '{name}' does not apply to {card_type} cards")
        else:
            report.error(key, f"unknown {where} key '{name}'{did_you_mean(name, allowed)}")


def _read_header(tree: Node, report: _Reporter) -> DeckHeader | None:
    for required in schema.DECK_REQUIRED:
        if tree.get(required) is None:
            report.error(tree, f"deck is missing required key '{required}'")
    deck_node = tree.get("deck")
    deck_id = _text(deck_node, "deck", report) if deck_node else None
    if deck_id is not None and not schema.DECK_ID.match(deck_id):
        report.error(deck_node, f"deck id '{deck_id}' must be lowercase kebab-case, e.g. 'touch-points'")
        deck_id = None
    title_node = tree.get("title")
    title = _text(title_node, "title", report) if title_node else None
    language = _read_language(tree, report)
    version = _read_version(tree.get("version"), report)
    if deck_id is None or title is None:
        return None
    return DeckHeader(
        id=deck_id,
        title=title,
        language=language,
        description=_optional_text(tree, "description", report) or "",
        source=_optional_text(tree, "source", report) or "",
        tags=_tags(tree.get("tags"), report),
        version=version,
        id_line=deck_node.line if deck_node else 1,
        id_column=deck_node.column if deck_node else 1,
        synonyms=read_synonyms(tree.get("synonyms"), report),
    )


def _read_language(tree: Node, report: _Reporter) -> str:
    node = tree.get("language")
    if node is None:
        report.warning(tree, "deck has no 'language'; assuming 'en'")
        return "en"
    value = _text(node, "language", report)
    if value is not None and value not in LANGUAGES:
        report.error(node, f"language must be one of {', '.join(LANGUAGES)}, got '{value}'{did_you_mean(value, LANGUAGES)}")
        return "en"
    return value or "en"


def _read_version(node: Node | None, report: _Reporter) -> int:
    if node is None:
        return schema.FORMAT_VERSION
    if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
        report.error(node, "version must be a whole number")
        return schema.FORMAT_VERSION
    if node.value != schema.FORMAT_VERSION:
        report.error(node, f"unsupported deck format version {node.value}; this cjstudy reads version {schema.FORMAT_VERSION}")
    return node.value


def _read_cards(node: Node | None, tree: Node, report: _Reporter) -> list[Note]:
    if node is None:
        return []
    if node.kind != "seq":
        report.error(node, "'cards' must be a list of cards (each starting with '- ')")
        return []
    if not node.items:
        report.warning(node, "deck has no cards")
    notes: list[Note] = []
    ids: dict[str, Node] = {}
    for entry in node.items:
        note = _read_card(entry, report)
        if note is None:
            # an invalid card still claims its written id, so a later card reusing it is reported too
            id_node = entry.get("id") if entry.kind == "map" else None
            if id_node is not None and id_node.kind == "scalar" and isinstance(id_node.value, str):
                if id_node.value in ids:
                    report.error(id_node, f"duplicate card id '{id_node.value}' "
                                          f"(first used on line {ids[id_node.value].line})")
                else:
                    ids[id_node.value] = id_node
            continue
        if note.id in ids:
            first = ids[note.id]
            report.error(entry.get("id") or entry, f"duplicate card id '{note.id}' (first used on line {first.line})")
            continue
        ids[note.id] = entry.get("id") or entry
        notes.append(note)
    return notes


def _read_card(entry: Node, report: _Reporter) -> Note | None:
    if entry.kind != "map":
        report.error(entry, "each card must be a mapping of keys such as 'id', 'front' and 'back'")
        return None
    card_type = _card_type(entry, report)
    if card_type is None:
        _check_keys(entry, schema.ALL_CARD_KEYS, "card", report)
        return None
    allowed = schema.COMMON_CARD_KEYS + schema.TYPE_KEYS[card_type]
    _check_keys(entry, allowed, "card", report, card_type)
    errors_before = _error_count(report)
    for required in schema.TYPE_REQUIRED[card_type]:
        if entry.get(required) is None:
            report.error(entry, f"{card_type} card is missing required key '{required}'")
    fields = _card_fields(entry, card_type, report)
    _check_type_rules(entry, card_type, fields, report)
    _check_lint(entry.get("lint"), report)
    note_id, explicit = _card_id(entry, card_type, fields, report)
    if _error_count(report) > errors_before or note_id is None:
        return None
    return Note(id=note_id, type=card_type, line=entry.line, explicit_id=explicit, **fields)


def _error_count(report: _Reporter) -> int:
    return report.errors


def _card_type(entry: Node, report: _Reporter) -> str | None:
    node = entry.get("type")
    if node is None:
        if entry.get("front") is not None or entry.get("back") is not None:
            return "basic"
        if entry.get("text") is not None:
            return "cloze"
        report.error(entry, "card has no 'type' and no 'front'; add type: basic|cloze|list|sequence|choice")
        return None
    value = node.value if node.kind == "scalar" else None
    if value not in schema.TYPE_KEYS:
        report.error(node, f"unknown card type '{value}'{did_you_mean(value, schema.TYPE_KEYS)}; "
                           f"use one of {', '.join(schema.TYPE_KEYS)}")
        return None
    return str(value)


def _card_fields(entry: Node, card_type: str, report: _Reporter) -> dict:
    fields: dict = {}
    for key in schema.COMMON_CARD_KEYS + schema.TYPE_KEYS[card_type]:
        node = entry.get(key)
        if node is None or key in ("id", "type"):
            continue
        if key in schema.TEXT_KEYS:
            value = _text(node, key, report)
            if value is not None:
                fields[key] = value
        elif key in schema.TEXT_LIST_KEYS:
            fields[key] = _tags(node, report) if key == "tags" else _text_list(node, key, report)
        elif key in schema.BOOL_KEYS:
            if node.kind != "scalar" or not isinstance(node.value, bool):
                report.error(node, f"'{key}' must be true or false")
            else:
                fields[key] = node.value
        elif key == "min":
            if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
                report.error(node, "'min' must be a whole number")
            else:
                fields[key] = node.value
    return fields


def _check_type_rules(entry: Node, card_type: str, fields: dict, report: _Reporter) -> None:
    if card_type == "cloze" and "text" in fields:
        for issue in cloze.check(fields["text"]):
            report.error(entry.get("text"), issue.message)
    if card_type in ("list", "sequence") and "items" in fields:
        _check_items(entry, card_type, fields, report)
    if card_type == "choice" and "options" in fields:
        _check_choice(entry, fields, report)
    from cjstudy.deck.media import field_refs, shape_problem  # file existence: loader.parse_deck

    for key, ref in field_refs(fields):
        if problem := shape_problem(ref.path):
            report.error(entry.get(key) or entry, problem)


def _check_items(entry: Node, card_type: str, fields: dict, report: _Reporter) -> None:
    items: tuple[str, ...] = fields["items"]
    node = entry.get("items")
    if not items:
        report.error(node, f"'items' of a {card_type} card must not be empty")
        return
    if len(items) < 2:
        report.warning(node, f"a {card_type} card with one item is better written as a basic card")
    _report_duplicates(node, items, "item", report)
    minimum = fields.get("min")
    if minimum is not None and not 1 <= minimum <= len(items):
        report.error(entry.get("min"), f"'min' must be between 1 and the number of items ({len(items)})")


def _check_choice(entry: Node, fields: dict, report: _Reporter) -> None:
    options: tuple[str, ...] = fields["options"]
    node = entry.get("options")
    if len(options) < 2:
        report.error(node, "a choice card needs at least two options")
    _report_duplicates(node, options, "option", report)
    has_answer, has_answers = "answer" in fields, "answers" in fields
    if has_answer and has_answers:
        report.error(entry.get("answers"), "give either 'answer' (one correct option) or 'answers' (several), not both")
        return
    if not has_answer and not has_answers:
        if entry.get("answer") is None and entry.get("answers") is None:
            report.error(entry, "choice card is missing 'answer' (or 'answers' for pick-all-that-apply)")
        return
    correct = (fields["answer"],) if has_answer else fields["answers"]
    key = "answer" if has_answer else "answers"
    if not correct:
        report.error(entry.get(key), "'answers' must name at least one option")
    for value in correct:
        if value not in options:
            report.error(entry.get(key), f"answer '{value}' is not among the options{did_you_mean(value, options)}")
    if has_answer:
        fields["answers"] = correct
        del fields["answer"]


def _check_lint(node: Node | None, report: _Reporter) -> None:
    """`lint: {ignore: [rule, ...]}` silences `cjstudy lint` rules on one card."""
    if node is None:
        return
    if node.kind != "map":
        report.error(node, "'lint' must be a mapping, e.g. lint: {ignore: [longest-key]}")
        return
    _check_keys(node, ("ignore",), "lint", report)
    ignore = node.get("ignore")
    if ignore is None:
        return
    rules = (ignore,) if ignore.kind == "scalar" else ignore.items if ignore.kind == "seq" else ()
    if ignore.kind == "map":
        report.error(ignore, "'ignore' must be a list of lint rules, e.g. ignore: [longest-key]")
    for rule in rules:
        if rule.value not in schema.LINT_RULES:
            report.error(rule, f"unknown lint rule '{rule.value}'{did_you_mean(str(rule.value), schema.LINT_RULES)}")


def _report_duplicates(node: Node, values: tuple[str, ...], what: str, report: _Reporter) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        folded = " ".join(value.casefold().split())
        if folded in seen:
            where = node.items[index] if node.kind == "seq" and index < len(node.items) else node
            report.error(where, f"duplicate {what} '{value}'")
        seen.add(folded)


def _card_id(entry: Node, card_type: str, fields: dict, report: _Reporter) -> tuple[str | None, bool]:
    node = entry.get("id")
    if node is None:
        derived = "h-" + _content_hash(card_type, fields)
        report.warning(entry, f"card has no 'id'; its progress resets whenever it is edited (add e.g. id: {derived})")
        return derived, False
    value = _text(node, "id", report)
    if value is None:
        return None, True
    if not schema.CARD_ID.match(value):
        report.error(node, f"card id '{value}' may use only letters, digits, '-', '_' and '.'")
        return None, True
    return value, True


def _content_hash(card_type: str, fields: dict) -> str:
    text = repr((card_type, sorted((k, v) for k, v in fields.items())))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _text(node: Node, key: str, report: _Reporter) -> str | None:
    """Text values; numbers are accepted as text (`back: 1990`), booleans and nulls are not."""
    if node.kind != "scalar":
        report.error(node, f"'{key}' must be text, got a {'list' if node.kind == 'seq' else 'mapping'}")
        return None
    value = node.value
    if value is None or isinstance(value, bool):
        report.error(node, f"'{key}' must be text, got {_describe(value)}")
        return None
    text = str(value).strip()
    if not text:
        report.error(node, f"'{key}' is empty")
        return None
    return text


def _optional_text(tree: Node, key: str, report: _Reporter) -> str | None:
    node = tree.get(key)
    return _text(node, key, report) if node is not None else None


def _text_list(node: Node, key: str, report: _Reporter) -> tuple[str, ...]:
    if node.kind != "seq":
        report.error(node, f"'{key}' must be a list, e.g. {key}: [first, second]")
        return ()
    if len(node.items) > schema.MAX_LIST_ENTRIES:  # grading compares an answer with every entry
        report.error(node, f"'{key}' has {len(node.items)} entries; at most {schema.MAX_LIST_ENTRIES} are allowed")
        return ()
    values = []
    for item in node.items:
        value = _text(item, key[:-1] if key.endswith("s") else key, report)
        if value is not None:
            values.append(value)
    return tuple(values)


def _tags(node: Node | None, report: _Reporter) -> tuple[str, ...]:
    """Tags may be a list or, forgivingly, a single word."""
    if node is None:
        return ()
    if node.kind == "scalar" and isinstance(node.value, str):
        raw: tuple[str, ...] = (node.value.strip(),)
    else:
        raw = _text_list(node, "tags", report)
    tags = []
    for tag in raw:
        if not schema.TAG.match(tag):
            report.error(node, f"tag '{tag}' must be one word (letters, digits, '-', '_', '/', '.')")
        else:
            tags.append(tag)
    return tuple(tags)


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__
