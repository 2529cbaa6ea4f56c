"""No input makes the loader raise anything but our own problems, and none is slow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjstudy.deck import parse_deck

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(data: bytes) -> None:
    result = parse_deck(data, "x.yaml")
    for problem in result.problems:
        assert problem.path == "x.yaml"
        assert problem.line >= 1 and problem.column >= 1
        assert problem.severity in ("error", "warning")
    assert result.deck is not None or any(p.is_error for p in result.problems)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes):
    assert_clean(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str):
    assert_clean(text.encode("utf-8"))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
card_keys = st.sampled_from(["id", "type", "front", "back", "text", "prompt", "items", "options", "answer",
                             "answers", "min", "reverse", "accept", "tags", "hint", "shuffle", "explanation"])
cards = st.dictionaries(card_keys, yaml_values | st.sampled_from(["basic", "cloze", "list", "sequence", "choice"]),
                        max_size=8)


@SETTINGS
@given(st.fixed_dictionaries({"deck": yaml_values | st.just("d"), "title": yaml_values | st.just("T"),
                              "language": st.sampled_from(["en", "nl", "xx"]), "cards": st.lists(cards, max_size=6)},
                             optional={"tags": yaml_values, "version": yaml_values}))
def test_arbitrary_deck_structures(document: dict):
    assert_clean(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


def timed(data: bytes) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = parse_deck(data, "x.yaml")
    return time.perf_counter() - start, [str(p) for p in result.problems]


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    elapsed, found = timed(bomb.encode())
    assert elapsed < 1
    assert found[0].startswith("x.yaml:1:4: error: anchor &a is not allowed")


def test_deep_nesting_is_refused_not_crashed():
    for opener in ("[" * 5000, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000)), "- " * 5000 + "x"):
        elapsed, found = timed(opener.encode())
        assert elapsed < 2
        assert found and ": error: " in found[0]


def test_huge_scalar_is_handled_quickly():
    text = "deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: a\n    front: " + "x" * 3_000_000 + "\n    back: y\n"
    elapsed, found = timed(text.encode())
    assert elapsed < 5
    assert found == []


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"deck: !!python/object/apply:os.system ['touch {marker}']\ntitle: T\ncards: []\n"
    _, found = timed(payload.encode())
    assert not marker.exists()
    assert "YAML tag !!python/object/apply:os.system is not allowed" in found[0]


def test_a_cloze_number_with_thousands_of_digits_is_one_clear_error():
    from cjstudy.deck import parse_deck

    text = "{{c" + "9" * 5000 + "::answer}}"
    result = parse_deck(f"deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: c\n    type: cloze\n    text: '{text}'\n"
                        .encode(), "d.yaml")
    assert result.deck is None
    assert [p.message for p in result.problems if p.is_error] == ["cloze gap number is larger than 999"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_named_as_such_with_how_to_convert(encoding):
    from cjstudy.deck import parse_deck

    data = "deck: d\ntitle: D\ncards: []\n".encode(encoding)
    problems = parse_deck(data, "d.yaml").problems
    assert len(problems) == 1 and "UTF-16" in problems[0].message and "UTF-8" in problems[0].message


def test_a_fifo_or_device_is_refused_without_reading_it(tmp_path):
    import os

    from cjstudy.deck.loader import read_deck_file

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = read_deck_file(fifo)  # would block forever if it were opened for a plain read
    assert "not a regular file" in result.problems[0].message
    result = read_deck_file(Path("/dev/zero"))
    assert "not a regular file" in result.problems[0].message


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from cjstudy.deck import loader, yaml_source

    big = tmp_path / "big.yaml"
    with big.open("wb") as out:
        out.truncate(3 * 2**30)  # 3 GiB, sparse: reading it would take the memory
    read = []
    monkeypatch.setattr(loader.Path, "read_bytes", lambda self: read.append(self) or b"")
    result = loader.read_deck_file(big)
    assert result.problems[0].message.startswith(f"file is larger than {yaml_source.MAX_FILE_BYTES // 2**20} MiB")
    assert read == []


@pytest.mark.parametrize("scalar, code", [
    ('"clear \\e[2J screen"', "U+001B (ESC)"),
    ('"title \\e]2;pwned\\a"', "U+001B (ESC)"),
    ('"bell \\a"', "U+0007 (BEL)"),
    ('"csi \\x9b2J"', "U+009B"),
    ('"over\\rwrite"', "U+000D (carriage return)"),
])
def test_terminal_control_codes_in_deck_text_are_refused_at_their_position(scalar, code):
    data = f"deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: c\n    front: {scalar}\n    back: b\n".encode()
    problems = parse_deck(data, "d.yaml").problems
    assert [(p.line, p.column) for p in problems] == [(6, 12)]
    assert code in problems[0].message and problems[0].is_error


def test_raw_escape_bytes_in_a_file_are_refused_too():
    data = b"deck: d\ntitle: D\x1b[2J\nlanguage: en\ncards: []\n"
    problems = parse_deck(data, "d.yaml").problems
    assert problems and problems[0].line == 2 and "U+001B" in problems[0].message


def test_nothing_printed_through_our_console_can_carry_an_escape_code():
    import io

    from rich.panel import Panel
    from rich.text import Text

    from cjstudy.ui.console import make_console

    console = make_console()
    console.file = io.StringIO()
    console.print(Panel(Text("evil \x1b]2;title\x07 \x1b[2J text", style="bold")), "plain \x1b[31mred")
    written = console.file.getvalue()
    assert "evil ]2;title [2J text" in written and "plain [31mred" in written
    assert "\x07" not in written and "\x1b]" not in written and "\x1b[2J" not in written


def test_link_loops_and_broken_links_in_a_deck_folder_are_named_not_skipped(tmp_path, runner):
    from cjstudy.cli import app

    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "loop.yaml:1:1: error: cannot read file: Too many levels of symbolic links" in result.output
    assert "gone.yaml:1:1: error: cannot read file" in result.output and "2 files" in result.output


@settings(max_examples=200, deadline=None)
@given(before=st.text(max_size=30), control=st.characters(min_codepoint=0, max_codepoint=0x9F).filter(
    lambda c: c not in "\t\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)), after=st.text(max_size=30),
    quoted=st.booleans())
def test_any_control_character_in_deck_text_is_one_positioned_error(before, control, after, quoted):
    """Raw in the file or made by a quoted escape, a control character never reaches a card and
    never raises: it is one error with a line and column."""
    import json

    from hypothesis import assume

    assume(quoted or control != "\r")  # a raw CR ends a line in YAML: the text then holds a space, no CR
    text = before + control + after
    scalar = json.dumps(text) if quoted else "'" + text.replace("'", "''") + "'"
    data = f"deck: d\ntitle: D\nlanguage: en\ncards:\n  - id: c\n    front: {scalar}\n    back: b\n"
    result = parse_deck(data.encode("utf-8", "surrogatepass"), "d.yaml")
    assert result.deck is None or all(control not in c.question for c in result.deck.cards)
    assert any(p.is_error and p.line >= 1 and p.column >= 1 for p in result.problems)
