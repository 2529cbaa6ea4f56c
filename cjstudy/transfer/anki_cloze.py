"""Anki cloze text, nested gaps included, as cjstudy cloze text.

Anki (since 2.1.56) allows `{{c1::outer {{c2::inner}} text}}`: card 1 hides the whole outer
gap, card 2 only the inner one. cjstudy gaps do not nest, so a nested note is flattened once
per gap number: the gaps of that number stay gaps (with anything nested inside shown), every
other gap is shown as its text. Parsing is one pass with a stack (linear in the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")
MAX_DEPTH = 20  # Anki's own notes nest two or three deep; deeper openers are read as text


@dataclass
class _Gap:
    number: int
    children: list = field(default_factory=list)


def _parse(text: str) -> list:
    root: list = []
    stack: list[_Gap] = []
    pos = 0

    def add(item: object) -> None:
        (stack[-1].children if stack else root).append(item)

    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            add(text[pos:match.start()])
        pos = match.end()
        if match.group(1) is not None and len(stack) >= MAX_DEPTH:
            add(match.group(0))
        elif match.group(1) is not None:
            gap = _Gap(int(match.group(1)))
            add(gap)
            stack.append(gap)
        elif stack:
            stack.pop()
        else:
            add("}}")
    if pos < len(text):
        add(text[pos:])
    for gap in stack:  # never closed: Anki shows such an opener as text
        gap.children.insert(0, f"{{{{c{gap.number}::")
        gap.number = -1
    return root


def numbers(text: str) -> set[int]:
    """Every gap number used, nested ones included."""
    found: set[int] = set()

    def walk(nodes: list) -> None:
        for node in nodes:
            if isinstance(node, _Gap):
                if node.number >= 0:
                    found.add(node.number)
                walk(node.children)

    walk(_parse(text))
    return found


def is_nested(text: str) -> bool:
    return any(isinstance(child, _Gap) and child.number >= 0
               for node in _flat_gaps(_parse(text)) for child in node.children)


def _flat_gaps(nodes: list) -> list[_Gap]:
    out: list[_Gap] = []
    for node in nodes:
        if isinstance(node, _Gap):
            out.append(node)
            out.extend(_flat_gaps(node.children))
    return out


def _plain(nodes: list) -> str:
    """Gap content shown as text: nested gaps unwrapped, their hints dropped."""
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif node.number < 0:
            parts.append(_plain(node.children))
        else:
            parts.append(_answer(node))
    return "".join(parts)


def _answer(gap: _Gap) -> str:
    """A gap's answer: its text up to its own `::hint`."""
    own = _split_hint(gap)[0]
    return _plain(own)


def _split_hint(gap: _Gap) -> tuple[list, str | None]:
    """The gap's children before its hint, and the hint (the text after the last top-level `::`)."""
    for index in range(len(gap.children) - 1, -1, -1):
        child = gap.children[index]
        if isinstance(child, str) and "::" in child:
            head, hint = child.rsplit("::", 1)
            return gap.children[:index] + [head], hint
    return gap.children, None


def flatten(text: str, keep: int) -> str:
    """cjstudy cloze text for Anki card `keep`: only gaps numbered `keep` stay gaps."""

    def walk(nodes: list) -> str:
        parts = []
        for node in nodes:
            if isinstance(node, str):
                parts.append(node)
            elif node.number == keep:
                body, hint = _split_hint(node)
                answer = _plain(body).replace("{{", "{ {").replace("}}", "} }")
                parts.append(f"{{{{c{keep}::{answer}" + (f"::{hint}" if hint else "") + "}}")
            elif node.number < 0:
                parts.append(walk(node.children))
            else:
                body, _ = _split_hint(node)
                parts.append(walk(body))
        return "".join(parts)

    return walk(_parse(text))
