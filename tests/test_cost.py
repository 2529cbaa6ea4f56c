"""Bounded cost for any input: time grows at most linearly with the size of a pathological input.

Each case builds the input at two sizes (8× apart) and compares the best-of-three CPU times:
linear work gives about 8×, quadratic about 64×. The bar (24×) leaves room for a noisy shared
machine without letting a quadratic path through. No absolute time is asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from cjstudy.deck import parse_deck

SMALL, FACTOR = 2_000, 8
MAX_RATIO = 24


def cost(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return max(best, 1e-4)


def growth(make: Callable[[int], bytes]) -> float:
    small, large = make(SMALL), make(SMALL * FACTOR)
    return cost(lambda: parse_deck(large, "big.yaml")) / cost(lambda: parse_deck(small, "small.yaml"))


def deck_with_cloze(text: str) -> bytes:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'deck: cost\ntitle: Cost\nlanguage: en\ncards:\n  - id: c\n    type: cloze\n    text: "{quoted}"\n'.encode()


CASES = {
    "unclosed cloze openings": lambda n: deck_with_cloze("{{c1::" * (n // 6)),
    "cloze openings with stray colons": lambda n: deck_with_cloze("{{c1::a::" * (n // 9)),
    "many closed gaps of one number": lambda n: deck_with_cloze("x {{c1::a}} " * (n // 12)),
    "many invalid cards (an error each)": lambda n: ("deck: cost\ntitle: Cost\nlanguage: en\ncards:\n" + "".join(
        f"  - id: c{i}\n    front: ''\n" for i in range(n // 30))).encode(),
    "many cards": lambda n: ("deck: cost\ntitle: Cost\nlanguage: en\ncards:\n" + "".join(
        f"  - id: c{i}\n    front: q{i}\n    back: a{i}\n" for i in range(n // 40))).encode(),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loading_grows_linearly(name):
    ratio = growth(CASES[name])
    assert ratio < MAX_RATIO, f"{name}: {FACTOR}× the input took {ratio:.1f}× the time"


HTML_CASES = {
    "unclosed tags": lambda n: "<b " * (n // 3),
    "unclosed quoted attributes": lambda n: "<a b='" * (n // 6),
    "unclosed comments": lambda n: "<!--" * (n // 4),
    "declarations": lambda n: "<![ x" * (n // 5),
    "ordinary markup": lambda n: "<b>bold</b> <i>x</i> " * (n // 20),
}


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_anki_field_html_is_read_in_linear_time(name):
    from cjstudy.transfer.html_text import html_to_text

    make = HTML_CASES[name]
    small, large = make(SMALL * 4), make(SMALL * 4 * FACTOR)
    ratio = cost(lambda: html_to_text(large)) / cost(lambda: html_to_text(small))
    assert ratio < MAX_RATIO, f"{name}: {FACTOR}x the field took {ratio:.1f}x the time"


def test_csv_delimiter_detection_is_linear_on_one_long_line():
    from cjstudy.transfer.csv_import import detect_delimiter

    small, large = "a;" * SMALL * 10, "a;" * SMALL * 10 * FACTOR
    ratio = cost(lambda: detect_delimiter(large, ".csv")) / cost(lambda: detect_delimiter(small, ".csv"))
    assert ratio < MAX_RATIO


def test_grading_one_answer_is_bounded_by_the_deck_limits(write_deck):
    """20,000 accepted wordings used to cost a minute per answer: a list key now holds at most
    200 entries (a validation error beyond), so one answer meets a bounded number of wordings."""
    from cjstudy.deck import parse_deck

    accept = ", ".join(f"'wording {i}'" for i in range(20_000))
    result = parse_deck(f"deck: big\ntitle: B\nlanguage: en\ncards:\n  - id: b\n    front: Q\n    back: A\n"
                        f"    accept: [{accept}]\n".encode(), "big.yaml")
    assert result.deck is None
    assert [p.message for p in result.problems] == ["'accept' has 20000 entries; at most 200 are allowed"]


def test_a_huge_piped_exam_answer_is_echoed_short(runner):
    from cjstudy.cli import app

    small, large = "a" * 100_000, "a" * 800_000
    for answer in (small, large):
        result = runner.invoke(app, ["exam", "-n", "1", "--seed", "1", "--types", "recall"], input=answer + "\nn\n")
        assert result.exit_code == 0 and f"({len(answer):,}" in result.output and "characters)" in result.output
        assert len(result.output) < 20_000
