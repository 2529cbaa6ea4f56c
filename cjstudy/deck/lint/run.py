"""Run the lint rules over deck files and collect positioned findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cjstudy.deck import schema
from cjstudy.deck.lint import words as w
from cjstudy.deck.lint.duplicates import near_duplicates
from cjstudy.deck.lint.positions import crowded_position
from cjstudy.deck.lint.rules import CARD_RULES, CardInput
from cjstudy.deck.yaml_source import Node
from cjstudy.errors import Problem


@dataclass(frozen=True)
class Finding:
    """One lint warning: where, which rule, and what to do about it."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    deck: str = ""
    card: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: warning: {self.message} [{self.rule}]"

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "severity": "warning",
                "rule": self.rule, "message": self.message, "deck": self.deck, "card": self.card}


@dataclass
class LintResult:
    findings: list[Finding]
    errors: list[Problem]  # validation errors: such a file is not linted
    files: int
    cards: int


def ignored_rules(entry: Node) -> frozenset[str]:
    """The rules a card silences with `lint: {ignore: [...]}`; validation has checked the shape."""
    lint = entry.get("lint")
    ignore = lint.get("ignore") if lint is not None and lint.kind == "map" else None
    if ignore is None:
        return frozenset()
    values = [ignore] if ignore.kind == "scalar" else ignore.items
    return frozenset(str(v.value) for v in values if v.kind == "scalar")


def _read(path: Path) -> tuple[str, str, list[tuple[CardInput, frozenset[str]]], list[Problem]]:
    """One file's deck id, its path as shown, its cards, and its validation errors."""
    from cjstudy.deck.validate import check_deck
    from cjstudy.deck.yaml_source import YamlRefused, read_tree

    shown = str(path)
    try:
        tree = read_tree(path.read_bytes(), shown)
    except YamlRefused as refused:
        return "", shown, [], [refused.problem]
    except OSError as error:
        return "", shown, [], [Problem(shown, 1, 1, "error", f"cannot read file: {error.strerror or error}")]
    checked = check_deck(tree, shown)
    errors = [p for p in checked.problems if p.is_error]
    if errors or checked.header is None:
        return "", shown, [], errors
    header = checked.header
    title = frozenset(w.content_stems(f"{header.title} {' '.join(header.tags)} {header.id}".replace("-", " "),
                                      header.language))
    cards_node = tree.get("cards")
    entries = {e.line: e for e in cards_node.items} if cards_node is not None else {}
    cards = [(CardInput(note, entries[note.line], header.language, title), ignored_rules(entries[note.line]))
             for note in checked.notes if note.line in entries]
    return header.id, shown, cards, []


def lint_files(paths: list[Path], rules: tuple[str, ...] = schema.LINT_RULES) -> LintResult:
    """Lint every file; near-duplicates are looked for across all of them together."""
    findings: list[Finding] = []
    errors: list[Problem] = []
    everything: list[tuple[str, CardInput]] = []
    where: list[tuple[str, frozenset[str]]] = []
    for path in paths:
        deck_id, shown, cards, problems = _read(path)
        errors.extend(problems)
        for card, ignore in cards:
            everything.append((deck_id, card))
            where.append((shown, ignore))
            for rule in CARD_RULES:
                for node, name, message in rule(card):
                    if name in rules and name not in ignore:
                        findings.append(Finding(shown, node.line, node.column, name, message, deck_id, card.note.id))
        if "key-position" in rules:
            counted = [card for card, ignore in cards if "key-position" not in ignore]
            for card, message in crowded_position(counted):
                node = card.entry.get("options") or card.entry
                findings.append(Finding(shown, node.line, node.column, "key-position", message, deck_id,
                                        card.note.id))
    if "near-duplicate" in rules:
        for later, earlier, score in near_duplicates(everything):
            if "near-duplicate" in where[later][1] | where[earlier][1]:
                continue
            deck_id, card = everything[later]
            other_deck, other = everything[earlier]
            findings.append(Finding(
                where[later][0], card.entry.line, card.entry.column, "near-duplicate",
                f"nearly the same as {other_deck}/{other.note.id} ({where[earlier][0]}:{other.entry.line}, "
                f"{score:.0%} of the words shared); keep one, or make them ask different things",
                deck_id, card.note.id))
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return LintResult(findings, errors, len(paths), len(everything))
