"""The shared line editor: key decoding, editing, history, and the one-row view."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjstudy.ui.line_editor import LineBuffer, clock_text, visible_line
from cjstudy.ui.line_keys import (
    BACKSPACE, DELETE, DOWN, END, ENTER, EOF, ESCAPE, HOME, KILL_END, KILL_START, KILL_WORD, LEFT, RIGHT, UP,
    WORD_LEFT, KeyDecoder,
)


def keys_of(data: bytes) -> list[str]:
    decoder = KeyDecoder()
    return decoder.feed(data) + decoder.flush()


@pytest.mark.parametrize("data,keys", [
    (b"abc", ["abc"]),
    (b"\x1b[D\x1b[C\x1b[A\x1b[B", [LEFT, RIGHT, UP, DOWN]),
    (b"\x1bOD\x1bOC", [LEFT, RIGHT]),  # application cursor mode
    (b"\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1bOF", [HOME, END, HOME, END, HOME, END]),
    (b"\x1b[3~", [DELETE]),
    (b"\x01\x05\x15\x17\x0b", [HOME, END, KILL_START, KILL_WORD, KILL_END]),
    (b"\x7f\x08", [BACKSPACE, BACKSPACE]),
    (b"ab\rc", ["ab", ENTER, "c"]),
    (b"\x04", [EOF]),
    (b"\x1b[1;5D", [WORD_LEFT]),
    (b"x\x1b[15~y\x1b[M", ["x", "y"]),  # F5 and an unknown sequence leave nothing behind
    (b"\x1b", [ESCAPE]),
    ("h\u00e9".encode(), ["h\u00e9"]),
])
def test_decoder(data, keys):
    assert keys_of(data) == keys


def test_sequences_split_across_reads_are_joined():
    decoder = KeyDecoder()
    assert decoder.feed(b"a\x1b") == ["a"]
    assert decoder.feed(b"[") == []
    assert decoder.feed(b"D") == [LEFT]
    assert decoder.feed(b"\xc3") == [] and decoder.feed(b"\xa9") == ["\u00e9"]


def test_ctrl_c_interrupts():
    with pytest.raises(KeyboardInterrupt):
        KeyDecoder().feed(b"ab\x03")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_no_escape_code_ever_reaches_the_line(data):
    buffer = LineBuffer()
    try:
        keys = keys_of(data)
    except KeyboardInterrupt:
        return
    for key in keys:
        buffer.apply(key)
    assert "\x1b" not in buffer.text and all(ch >= " " and ch != "\x7f" for ch in buffer.text)
    assert 0 <= buffer.cursor <= len(buffer.text)


def typed(*keys: str) -> LineBuffer:
    buffer = LineBuffer()
    for key in keys:
        buffer.apply(key)
    return buffer


def test_editing_keys():
    assert typed("holistc", LEFT, "i", END, "!").text == "holistic!"
    assert typed("abc", HOME, DELETE).text == "bc"
    assert typed("abc", LEFT, BACKSPACE).text == "ac"
    assert typed("one two three", KILL_WORD).text == "one two "
    assert typed("one two", LEFT, LEFT, KILL_START).text == "wo"
    assert typed("one two", HOME, RIGHT, KILL_END).text == "o"
    assert typed("one two", WORD_LEFT, "X").text == "one Xtwo"
    buffer = typed("abc", HOME, LEFT, BACKSPACE, END, RIGHT)
    assert (buffer.text, buffer.cursor) == ("abc", 3)


def test_history_up_and_down_and_the_draft_comes_back():
    buffer = LineBuffer()
    for line in ("first", "", "second"):
        buffer.apply(line)
        buffer.submit()
    assert buffer.history == ["first", "second"]  # blank lines are not kept
    buffer.apply("draft")
    buffer.apply(UP)
    assert buffer.text == "second"
    buffer.apply(UP)
    buffer.apply(UP)
    assert buffer.text == "first"
    buffer.apply(DOWN)
    assert buffer.text == "second"
    buffer.apply(DOWN)
    assert buffer.text == "draft" and buffer.cursor == 5


def test_long_lines_scroll_instead_of_wrapping():
    text = "x" * 200
    row, column = visible_line("> ", text, 200, 40)
    assert len(row) <= 39 and row.startswith("> …") and column == len(row)
    row, column = visible_line("> ", text, 0, 40)
    assert len(row) <= 39 and row.endswith("…") and column == 2
    assert visible_line("> ", "short", 2, 40) == ("> short", 4)


def test_clock_text_rounds_up_and_never_goes_negative():
    assert clock_text(59.2) == "01:00" and clock_text(0.4) == "00:01"
    assert clock_text(0) == "00:00" and clock_text(-5) == "00:00"
    assert clock_text(3600 + 61) == "1:01:01"
