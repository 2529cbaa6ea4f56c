"""Read a deck file into a tree of positioned nodes, refusing anything dangerous.

We build the tree from PyYAML's parser events instead of its constructor because we want
three things the constructor does not give: a line and column for every value (so every
validation message can point at it), a hard refusal of anchors, aliases and explicit tags
(no billion laughs, nothing executed), and an iterative build that no nesting depth can
crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

import yaml

from cjstudy.errors import Problem

try:  # libyaml is several times faster; fall back silently where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64

Scalar = Union[str, int, float, bool, None]


@dataclass
class Node:
    """A YAML value with the position (1-based) where it starts."""

    kind: str  # "scalar" | "seq" | "map"
    line: int
    column: int
    value: Scalar = None
    items: list["Node"] = field(default_factory=list)  # for seq
    pairs: list[tuple["Node", "Node"]] = field(default_factory=list)  # for map, in file order
    plain: bool = True  # scalar written without quotes (only then is it resolved to bool/int/null)

    def get(self, key: str) -> "Node | None":
        for k, v in self.pairs:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> "Node | None":
        for k, _ in self.pairs:
            if k.value == key:
                return k
        return None


class YamlRefused(Exception):
    """The file cannot be read as a deck at all; carries one positioned problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_tree(data: bytes, path: str) -> Node:
    """Decode and parse one deck file; raise YamlRefused with a position on any failure."""
    text = _decode(data, path)
    _refuse_tabs(text, path)
    try:
        return _build(text, path)
    except YamlRefused:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or error.context or "invalid YAML"
        raise YamlRefused(Problem(path, line, column, "error", f"YAML syntax error: {message}")) from None
    except yaml.YAMLError as error:
        raise YamlRefused(Problem(path, 1, 1, "error", f"YAML error: {error}")) from None
    except (RecursionError, MemoryError):
        raise YamlRefused(Problem(path, 1, 1, "error", "file is too complex to read")) from None


def _looks_utf16(head: bytes) -> bool:
    """Two ASCII characters as UTF-16 without a byte-order mark: every other byte NUL."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd == b"\x00\x00" and b"\x00" not in even) or (even == b"\x00\x00" and b"\x00" not in odd)


def _decode(data: bytes, path: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise YamlRefused(Problem(path, 1, 1, "error", f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data[:4]):
        raise YamlRefused(Problem(path, 1, 1, "error", "the file is UTF-16 text; save it as UTF-8 (in most editors: "
                                  "Save As, encoding UTF-8; or `iconv -f UTF-16 -t UTF-8`)"))
    if b"\x00" in data:
        line, column = _position_of(data, data.index(b"\x00"))
        raise YamlRefused(Problem(path, line, column, "error", "binary data (NUL byte): not a text file"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of(data, error.start)
        raise YamlRefused(
            Problem(path, line, column, "error", f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8")
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    raw = _RAW_CONTROL.search(text)
    if raw is not None:
        line = text.count("\n", 0, raw.start()) + 1
        column = raw.start() - (text.rfind("\n", 0, raw.start()) + 1) + 1
        raise YamlRefused(Problem(path, line, column, "error", _control_message(ord(raw.group()))))
    if not text.strip():
        raise YamlRefused(Problem(path, 1, 1, "error", "file is empty; a deck needs `deck:`, `title:` and `cards:`"))
    return text


def _position_of(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def _refuse_tabs(text: str, path: str) -> None:
    match = _TAB_INDENT.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.end() - match.start()
        raise YamlRefused(Problem(path, line, column, "error", "tab character in indentation; indent with spaces"))


def _build(text: str, path: str) -> Node:
    """Turn the event stream into Nodes with an explicit stack (no recursion)."""
    stack: list[tuple[Node, list[Node]]] = []  # (container, pending key for maps)
    root: Node | None = None
    documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlRefused(_at(event, path, "more than one YAML document (`---`); a deck file holds one deck"))
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(_at(event, path, f"alias *{event.anchor} is not allowed; write the value out"))
        if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if event.anchor is not None:
                raise YamlRefused(_at(event, path, f"anchor &{event.anchor} is not allowed; write values out"))
            _refuse_tag(event, path)
            if isinstance(event, yaml.ScalarEvent):
                _refuse_control(event, path)
            node = _new_node(event)
            if stack:
                _attach(stack[-1], node)
            else:
                root = node
            if node.kind != "scalar":
                if len(stack) >= MAX_DEPTH:
                    raise YamlRefused(_at(event, path, f"nesting deeper than {MAX_DEPTH} levels"))
                stack.append((node, []))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
    if root is None:
        raise YamlRefused(Problem(path, 1, 1, "error", "file holds no YAML value"))
    return root


# C0 controls but tab and newline, DEL and C1: ESC starts terminal escape codes (clear the
# screen, set the window title, move the cursor), so deck text may not carry any of them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_RAW_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # in the file itself (CR ends lines)


def _control_message(code: int) -> str:
    name = {0x1b: " (ESC)", 0x07: " (BEL)", 0x0d: " (carriage return)", 0x08: " (backspace)"}.get(code, "")
    return f"control character U+{code:04X}{name} in text; remove it (terminal control codes are not allowed in a deck)"


def _refuse_control(event: yaml.ScalarEvent, path: str) -> None:
    """Escapes in quoted text (`"\\e[2J"`) make control characters only the parser sees."""
    match = _CONTROL.search(event.value)
    if match is not None:
        raise YamlRefused(_at(event, path, _control_message(ord(match.group()))))


def _refuse_tag(event: yaml.NodeEvent, path: str) -> None:
    """Any explicit tag (`!!python/object`, `!custom`, even `!!str`) is refused: decks are plain data."""
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlRefused(_at(event, path, f"YAML tag {shown} is not allowed in a deck"))


def _new_node(event: yaml.NodeEvent) -> Node:
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if isinstance(event, yaml.ScalarEvent):
        plain = not event.style  # libyaml says "", the pure parser None
        value: Scalar = _resolve_plain(event.value) if plain else event.value
        return Node("scalar", line, column, value=value, plain=plain)
    if isinstance(event, yaml.SequenceStartEvent):
        return Node("seq", line, column)
    return Node("map", line, column)


def _attach(frame: tuple[Node, list[Node]], node: Node) -> None:
    container, pending = frame
    if container.kind == "seq":
        container.items.append(node)
    elif pending:
        container.pairs.append((pending.pop(), node))
    else:
        pending.append(node)


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


def _resolve_plain(text: str) -> Scalar:
    """A small YAML 1.2 core resolver: `yes`/`no`/`on` stay text (no Norway problem)."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text) and len(text) < 20:
        return int(text)
    if _FLOAT.match(text) and len(text) < 40:
        return float(text)
    return text


def _at(event: yaml.Event, path: str, message: str) -> Problem:
    mark = event.start_mark
    return Problem(path, mark.line + 1, mark.column + 1, "error", message)
