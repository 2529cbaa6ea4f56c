"""Anki card templates: which fields a card shows, rendered the way Anki renders them.

A note type's templates (`{{Field}}`, `{{cloze:Field}}`, `{{type:Field}}`, `{{FrontSide}}`,
`{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`, filters such as `text:` and `furigana:`)
decide what each card asks and answers, so the importer reads cards through them instead of
guessing from the note type's name. Parsing is one left-to-right pass (linear in the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FURIGANA = re.compile(r" ?([^ >\[\]]+?)\[([^\]]+)\]")
_SPECIAL = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag", "CardID"}
_EMPTY_HTML = re.compile(r"^(?:\s|&nbsp;|\xa0|<br\s*/?>|</?div>)*$", re.IGNORECASE)


@dataclass
class _Section:
    name: str
    inverted: bool
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class _Field:
    name: str
    filters: tuple[str, ...]


def _tags(template: str):
    """(start, end, inner) of each `{{…}}`, scanning once (no backtracking on a lone `{{`)."""
    pos = 0
    while True:
        start = template.find("{{", pos)
        if start < 0:
            return
        end = template.find("}}", start + 2)
        if end < 0:
            return
        yield start, end + 2, template[start + 2:end]
        pos = end + 2


def _parse(template: str) -> list:
    """The template as a tree of text, field references and sections; unbalanced tags stay text."""
    root: list = []
    stack: list[tuple[_Section, list]] = []
    current = root
    pos = 0
    for start, end, raw in _tags(template):
        if start > pos:
            current.append(template[pos:start])
        pos = end
        inner = raw.strip()
        if inner[:1] in ("#", "^"):
            section = _Section(inner[1:].strip(), inner[0] == "^")
            current.append(section)
            stack.append((section, current))
            current = section.children
        elif inner[:1] == "/":
            if stack and stack[-1][0].name == inner[1:].strip():
                _, current = stack.pop()
            else:
                current.append(template[start:end])
        elif inner[:1] in ("!", "="):
            continue  # a comment, or a delimiter change that Anki's own templates never use
        else:
            *filters, name = inner.split(":")
            current.append(_Field(name.strip(), tuple(f.strip() for f in filters)))
    if pos < len(template):
        current.append(template[pos:])
    return root


def is_empty_field(value: str) -> bool:
    """Anki's test for `{{#Field}}`: nothing but white space and empty markup."""
    return bool(_EMPTY_HTML.match(value))


def field_names(template: str) -> list[str]:
    """Fields a template shows (not those it only tests or types), in order of appearance."""
    found: list[str] = []

    def walk(nodes: list) -> None:
        for node in nodes:
            if isinstance(node, _Field) and node.name not in _SPECIAL and node.name not in found \
                    and "type" not in node.filters:
                found.append(node.name)
            elif isinstance(node, _Section):
                walk(node.children)

    walk(_parse(template))
    return found


def cloze_fields(template: str) -> list[str]:
    """Fields the template shows through the `cloze:` filter."""
    found: list[str] = []

    def walk(nodes: list) -> None:
        for node in nodes:
            if isinstance(node, _Field) and "cloze" in node.filters and node.name not in found:
                found.append(node.name)
            elif isinstance(node, _Section):
                walk(node.children)

    walk(_parse(template))
    return found


def render(template: str, fields: dict[str, str], *, hidden: frozenset[str] = frozenset(),
           clozes: bool = True, answer: bool = False) -> str:
    """The template's HTML for one note.

    `{{FrontSide}}` and the other special fields render empty (the importer wants each side's
    own content); `{{type:Field}}` is the typing box on the question side (empty) and the
    correct answer on the `answer` side; `hidden` fields render empty too but still count in
    conditionals. With `clozes`, `{{cloze:Field}}` keeps the raw `{{cN::…}}` markup so that
    cjstudy can mask each gap itself; without, cloze fields render empty.
    """
    out: list[str] = []
    tree = _parse(template)
    shown_clozes = {name for name in cloze_fields(template)
                    if _has(tree, lambda n: isinstance(n, _Field) and n.name == name
                            and "cloze" in n.filters and "type" not in n.filters)}

    def walk(nodes: list) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, _Section):
                present = not is_empty_field(fields.get(node.name, ""))
                if present != node.inverted:
                    walk(node.children)
            elif node.name in _SPECIAL or node.name in hidden:
                continue
            elif "type" in node.filters:
                if "cloze" in node.filters:
                    # `{{type:cloze:F}}` alone still makes F's gaps into cards: keep them once.
                    if clozes and node.name not in shown_clozes:
                        out.append(fields.get(node.name, ""))
                        shown_clozes.add(node.name)
                elif answer:
                    out.append(fields.get(node.name, ""))
            elif "cloze" in node.filters or "cloze-only" in node.filters:
                if clozes:
                    out.append(fields.get(node.name, ""))
            else:
                out.append(_apply(fields.get(node.name, ""), node.filters))

    walk(tree)
    return "".join(out)


def _has(nodes: list, test) -> bool:
    return any(test(node) or (isinstance(node, _Section) and _has(node.children, test)) for node in nodes)


def uses_front_side(template: str) -> bool:
    return _has(_parse(template), lambda n: isinstance(n, _Field) and n.name == "FrontSide")


def _apply(value: str, filters: tuple[str, ...]) -> str:
    """The filters that change text: furigana, kana and kanji; the rest show the field as is."""
    for name in reversed(filters):
        if name == "furigana":
            value = _FURIGANA.sub(lambda m: f"<ruby>{m.group(1)}<rt>{m.group(2)}</rt></ruby>", value)
        elif name == "kana":
            value = _FURIGANA.sub(lambda m: m.group(2), value)
        elif name == "kanji":
            value = _FURIGANA.sub(lambda m: m.group(1), value)
    return value
