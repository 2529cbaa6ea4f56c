"""Deck dictionaries to readable YAML that the deck loader accepts.

PyYAML's dumper quotes and folds in ways a person editing the file would not; this writer
keeps short text plain, long multi-line text in `|-` blocks, short lists in flow style, and
never emits anchors or tags (which the loader refuses). Callers check the result with
`cjstudy.deck.parse_deck` before writing it anywhere.
"""

from __future__ import annotations

import re

import yaml

_FLOW_LIMIT = 72
# Plain words a YAML 1.2 reader could take for a number, null or boolean: always quoted.
_LOOKS_TYPED = re.compile(
    r"[-+]?(\.?\d[\w.+-]*|\.(inf|Inf|INF|nan|NaN|NAN))|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
)
_BLOCK_SAFE = re.compile(r"^[^\t\r\x00-\x08\x0b-\x1f\x7f\ufeff]*$")


def scalar(value: object) -> str:
    """One value as a single-line YAML scalar: plain where that reads back the same, quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9, default_flow_style=True)
    dumped = dumped.removesuffix("\n").removesuffix("\n...").rstrip("\n")
    if not dumped.startswith(("'", '"')) and _LOOKS_TYPED.fullmatch(text):
        dumped = "'" + text + "'"
    if "\n" in dumped:  # safe_dump folded it: fall back to a double-quoted JSON-style string
        dumped = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return dumped


def _block_ok(text: str) -> bool:
    if "\n" not in text or not _BLOCK_SAFE.match(text):
        return False
    lines = text.split("\n")
    return (
        not text.endswith("\n")
        and not lines[0].startswith(" ")
        and all(line == line.rstrip() for line in lines)
    )


def _value_lines(key: str, value: object, indent: str) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = [scalar(v) for v in value]
        flow = "[" + ", ".join(items) + "]"
        plain = all(not i.startswith(("'", '"')) and "," not in i and "[" not in i and "]" not in i for i in items)
        if plain and len(indent) + len(key) + len(flow) + 2 <= _FLOW_LIMIT:
            return [f"{indent}{key}: {flow}"]
        return [f"{indent}{key}:"] + [f"{indent}  - {item}" for item in items]
    if isinstance(value, str) and _block_ok(value):
        return [f"{indent}{key}: |-"] + [f"{indent}  {line}" if line else "" for line in value.split("\n")]
    return [f"{indent}{key}: {scalar(value)}"]


def dump_deck(header: dict[str, object], cards: list[dict[str, object]], comments: list[str] = ()) -> str:
    """A whole deck file: optional leading comment lines, the header keys, then `cards:`."""
    lines = [f"# {c}" if c else "#" for c in comments]
    for key, value in header.items():
        if value is None or value == "" or value == () or value == []:
            continue
        lines.extend(_value_lines(key, value, ""))
    lines.append("")
    lines.append("cards:")
    for card in cards:
        entry: list[str] = []
        for key, value in card.items():
            if value is None or value == () or value == []:
                continue
            entry.extend(_value_lines(key, value, "    "))
        if entry:
            entry[0] = "  - " + entry[0][4:]
        lines.extend(entry)
        lines.append("")
    if not cards:
        lines[-1] = "cards: []"
    return "\n".join(lines).rstrip("\n") + "\n"
