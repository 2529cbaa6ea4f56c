"""Cloze text: find the `{{cN::answer}}` / `{{cN::answer::hint}}` gaps and render them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cjstudy.grading.text import display  # one rule for showing answers, shared with the grader
from cjstudy.model import ClozeGap

MASK = "[…]"
MAX_GAP_NUMBER = 999  # c1…c999; a longer number is a typo, and int() of 5000 digits would fail
MAX_GAPS = 500  # per cloze text: each distinct number is a study card showing the whole text


@dataclass(frozen=True)
class ClozeIssue:
    message: str


@dataclass(frozen=True)
class GapSpan:
    """One `{{cN::answer::hint}}` as written: where it is and what it holds (raw, unstripped)."""

    start: int
    end: int
    digits: str
    answer: str
    hint: str | None


def scan(text: str) -> list[GapSpan]:
    """The gaps in reading order, in one left-to-right pass (linear in the text, whatever it holds).

    A gap runs from `{{cN::` to the first `}}` after it; its content splits at the first `::`
    into answer and hint. This is what the earlier regex meant, without its backtracking: a
    text of many unclosed `{{c1::` used to take minutes.
    """
    spans: list[GapSpan] = []
    position = 0
    while True:
        start = text.find("{{c", position)
        if start < 0:
            return spans
        digits_end = start + 3
        while digits_end < len(text) and "0" <= text[digits_end] <= "9":
            digits_end += 1
        if digits_end == start + 3 or not text.startswith("::", digits_end):
            position = start + 1
            continue
        close = text.find("}}", digits_end + 2)
        if close < 0:
            return spans  # no later gap can close either
        answer, separator, hint = text[digits_end + 2:close].partition("::")
        spans.append(GapSpan(start, close + 2, text[start + 3:digits_end], answer, hint if separator else None))
        position = close + 2


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= len(str(MAX_GAP_NUMBER)) else MAX_GAP_NUMBER + 1


def find_gaps(text: str) -> list[ClozeGap]:
    return _gaps(scan(text))


def _gaps(spans: list[GapSpan]) -> list[ClozeGap]:
    return [ClozeGap(number=_number(s.digits), answer=s.answer.strip(), hint=s.hint.strip() or None if s.hint else None)
            for s in spans]


def gap_numbers(text: str) -> list[str]:
    """The gap numbers as written, in reading order (`c2` → "2")."""
    return [s.digits for s in scan(text)]


def _leftover(text: str, spans: list[GapSpan]) -> str:
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position:span.start])
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def check(text: str) -> list[ClozeIssue]:
    """Problems a cloze text can have that would make a card silently wrong."""
    issues: list[ClozeIssue] = []
    spans = scan(text)
    gaps = _gaps(spans)
    if not gaps:
        issues.append(ClozeIssue("cloze text has no gaps; mark them as {{c1::answer}}"))
    numbers = {gap.number for gap in gaps}
    if len(numbers) > MAX_GAPS:
        issues.append(ClozeIssue(f"cloze text has {len(numbers)} numbered gaps; at most {MAX_GAPS} are allowed"))
    reported: set[str] = set()
    for gap in gaps:
        label = f"c{gap.number}" if gap.number <= MAX_GAP_NUMBER else "number"
        if gap.number < 1:
            message = f"cloze gap c{gap.number} must be numbered from c1"
        elif gap.number > MAX_GAP_NUMBER:
            message = f"cloze gap number is larger than {MAX_GAP_NUMBER}"
        elif not gap.answer:
            message = f"cloze gap {label} has an empty answer"
        else:
            continue
        if message not in reported:  # one line per kind of problem, not one per gap
            reported.add(message)
            issues.append(ClozeIssue(message))
    leftover = _leftover(text, spans)
    # A gap that swallowed another `{{` (an unclosed or nested gap) matched, but not as meant.
    swallowed = any("{{" in gap.answer or "{{" in (gap.hint or "") for gap in gaps)
    if swallowed or "{{" in leftover or "}}" in leftover:
        issues.append(ClozeIssue("malformed cloze gap: write {{c1::answer}} or {{c1::answer::hint}}"))
    return issues


def rebuild(text: str, piece: Callable[[GapSpan], str]) -> str:
    """The text with each gap replaced by `piece(gap)`."""
    spans = scan(text)
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position:span.start])
        pieces.append(piece(span))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def render(text: str, hidden: int | None) -> str:
    """The text with gap `hidden` masked (showing its hint) and every other gap filled in."""

    def piece(span: GapSpan) -> str:
        if _number(span.digits) == hidden:
            hint = (span.hint or "").strip()
            return f"[… hint: {hint}]" if hint else MASK  # never mistaken for a revealed answer
        return display(span.answer.strip())

    return rebuild(text, piece)


def reveal(text: str, shown: int) -> str:
    """The text with gap `shown` in brackets, so the answer stands out even without colour."""

    def piece(span: GapSpan) -> str:
        answer = display(span.answer.strip())
        return f"[{answer}]" if _number(span.digits) == shown else answer

    return rebuild(text, piece)
