"""The `synonyms:` section: words an instructor accepts for one another, stated once.

A mapping from a term to the words that mean the same in this course, in a deck (for its
cards) or in a folder's `synonyms.yaml` (for every deck in the folder):

    synonyms:
      firm: [company, organisation, organization, business]
      klantreis: customer journey

Each entry becomes one group, the term first. Problems are reported with their positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cjstudy.errors import Problem

if TYPE_CHECKING:  # yaml_source imports PyYAML: not at start-up from a warm cache
    from cjstudy.deck.yaml_source import Node

FOLDER_FILE = "synonyms.yaml"
MAX_GROUPS = 2000


class Reporter(Protocol):
    def error(self, node: Node, message: str) -> None: ...

    def warning(self, node: Node, message: str) -> None: ...


def read_synonyms(node: Node | None, report: Reporter) -> tuple[tuple[str, ...], ...]:
    """The groups of a `synonyms:` mapping; a bad entry is reported and skipped."""
    if node is None or (node.kind == "scalar" and node.value is None):
        return ()
    if node.kind != "map":
        report.error(node, "synonyms must be a mapping of a word to its synonyms, e.g. firm: [company, business]")
        return ()
    groups: list[tuple[str, ...]] = []
    seen: dict[str, Node] = {}
    for key, value in node.pairs[:MAX_GROUPS]:
        term = key.value
        if not isinstance(term, (str, int, float)) or isinstance(term, bool) or not str(term).strip():
            report.error(key, "a synonym term must be a word or phrase")
            continue
        term = str(term).strip()
        members = _members(value, term, report)
        if not members:
            continue
        group = (term, *members)
        for word in group:
            folded = word.casefold()
            if folded in seen:
                report.warning(value if word != term else key,
                               f"'{word}' is already a synonym on line {seen[folded].line}; the first group wins")
            else:
                seen[folded] = key
        groups.append(group)
    return tuple(groups)


def _members(value: Node, term: str, report: Reporter) -> tuple[str, ...]:
    if value.kind == "scalar" and isinstance(value.value, str) and value.value.strip():
        return (value.value.strip(),)
    if value.kind != "seq" or not value.items:
        report.error(value, f"synonyms of '{term}' must be a word or a list of words, e.g. [company, business]")
        return ()
    members = []
    for item in value.items:
        if item.kind != "scalar" or isinstance(item.value, bool) or item.value is None or not str(item.value).strip():
            report.error(item, f"each synonym of '{term}' must be a word or phrase")
            continue
        members.append(str(item.value).strip())
    return tuple(members)


def read_folder_synonyms(folder: Path, cache_dir: Path | None = None) -> tuple[tuple[tuple[str, ...], ...], list[Problem]]:
    """The groups of `folder/synonyms.yaml` (none when there is no such file) and its problems."""
    path = folder / FOLDER_FILE
    if not path.is_file():
        return (), []
    from cjstudy.deck import cache

    if cache_dir is not None:
        hit = cache.lookup_value(cache_dir, path)
        if hit is not None:
            return tuple(tuple(g) for g in hit["groups"]), [Problem(str(path), *p) for p in hit["problems"]]
    groups, problems = _parse_folder_file(path)
    if cache_dir is not None:
        cache.store_value(cache_dir, path, {"groups": [list(g) for g in groups],
                                            "problems": [[p.line, p.column, p.severity, p.message] for p in problems]})
    return groups, problems


def _parse_folder_file(path: Path) -> tuple[tuple[tuple[str, ...], ...], list[Problem]]:
    from cjstudy.deck.yaml_source import YamlRefused, read_tree

    shown = str(path)
    problems: list[Problem] = []

    class _Report:
        def error(self, node: Node, message: str) -> None:
            problems.append(Problem(shown, node.line, node.column, "error", message))

        def warning(self, node: Node, message: str) -> None:
            problems.append(Problem(shown, node.line, node.column, "warning", message))

    try:
        data = path.read_bytes()
        tree = read_tree(data, shown)
    except OSError as error:
        return (), [Problem(shown, 1, 1, "error", f"cannot read file: {error.strerror or error}")]
    except YamlRefused as refused:
        return (), [refused.problem]
    report = _Report()
    if tree.kind != "map" or tree.get("synonyms") is None:
        report.error(tree, f"{FOLDER_FILE} must hold one mapping, `synonyms:`, e.g. synonyms: {{firm: [company]}}")
        return (), problems
    for key, _ in tree.pairs:
        if key.value != "synonyms":
            report.error(key, f"unknown key '{key.value}' in {FOLDER_FILE}; it holds only `synonyms:`")
    return read_synonyms(tree.get("synonyms"), report), problems
