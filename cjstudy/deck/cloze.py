"""Cloze text: find the `{{cN::answer}}` / `{{cN::answer::hint}}` gaps and render them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cjstudy.grading.text import display  # one rule for showing answers, shared with the grader
from cjstudy.model import ClozeGap

GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
MASK = "[…]"


@dataclass(frozen=True)
class ClozeIssue:
    message: str


def find_gaps(text: str) -> list[ClozeGap]:
    return [
        ClozeGap(number=int(m.group(1)), answer=m.group(2).strip(), hint=(m.group(3) or "").strip() or None)
        for m in GAP.finditer(text)
    ]


def check(text: str) -> list[ClozeIssue]:
    """Problems a cloze text can have that would make a card silently wrong."""
    issues: list[ClozeIssue] = []
    gaps = find_gaps(text)
    if not gaps:
        issues.append(ClozeIssue("cloze text has no gaps; mark them as {{c1::answer}}"))
    for gap in gaps:
        if gap.number < 1:
            issues.append(ClozeIssue(f"cloze gap c{gap.number} must be numbered from c1"))
        if not gap.answer:
            issues.append(ClozeIssue(f"cloze gap c{gap.number} has an empty answer"))
    leftover = GAP.sub("", text)
    # A gap that swallowed another `{{` (an unclosed or nested gap) matched, but not as meant.
    swallowed = any("{{" in gap.answer or "{{" in (gap.hint or "") for gap in gaps)
    if swallowed or "{{" in leftover or "}}" in leftover:
        issues.append(ClozeIssue("malformed cloze gap: write {{c1::answer}} or {{c1::answer::hint}}"))
    return issues


def render(text: str, hidden: int | None) -> str:
    """The text with gap `hidden` masked (showing its hint) and every other gap filled in."""

    def replace(match: re.Match[str]) -> str:
        number, answer, hint = int(match.group(1)), match.group(2).strip(), (match.group(3) or "").strip()
        if number == hidden:
            return f"[… hint: {hint}]" if hint else MASK  # never mistaken for a revealed answer
        return display(answer)

    return GAP.sub(replace, text)


def reveal(text: str, shown: int) -> str:
    """The text with gap `shown` in brackets, so the answer stands out even without colour."""

    def replace(match: re.Match[str]) -> str:
        number, answer = int(match.group(1)), match.group(2).strip()
        return f"[{display(answer)}]" if number == shown else display(answer)

    return GAP.sub(replace, text)
