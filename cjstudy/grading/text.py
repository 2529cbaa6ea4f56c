"""Text handling for grading: normalising, answer syntax (`a|b`, `(optional)`), splitting lists.

Kept apart from the matching logic so both the grader and anything else that compares typed
text (exam questions, import de-duplication) agree on what "the same answer" means.
Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

# Anything longer is cut before grading: nobody types more, and it bounds the work done.
MAX_INPUT_CHARS = 2000
# A hostile answer like `(a|b)(c|d)(e|f)…` could expand to millions of variants.
MAX_VARIANTS = 64
# Deeper parentheses than this are read as plain text (they normalise to spaces anyway).
MAX_NESTING = 8

_SEPARATORS = re.compile(r"[,;\n\r\u2028\u2029]+|\s*(?:->|=>|→|⇒)\s*|\s+\d{1,2}[.)]\s+")
_CONJUNCTIONS = re.compile(r"\s+(?:and|en)\s+|\s*[&+]\s*", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,3}[.)])\s+")


def clip(text: str) -> str:
    """The part of a typed answer that is graded."""
    return text[:MAX_INPUT_CHARS]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = unicodedata.normalize("NFKD", decomposed.casefold())
    kept = "".join(
        ch if ch.isalnum() else " " for ch in folded if unicodedata.category(ch) != "Mn"
    )
    return " ".join(kept.split())


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """The form answers are compared in: accents stripped, case-folded, punctuation as spaces.

    NFKD splits "ï" into "i" plus a combining mark that is then dropped; hyphens, slashes and
    every other non-alphanumeric character become spaces; runs of spaces collapse. Repeated
    until stable because case-folding can produce characters that decompose further. Plain
    ASCII (most answers) takes a fast path with the same result.
    """
    if text.isascii():
        return " ".join(_NOT_ASCII_ALNUM.sub(" ", text.lower()).split())
    out = _fold(text)
    for _ in range(4):
        again = _fold(out)
        if again == out:
            break
        out = again
    return out


def normalize_keeping_accents(text: str) -> str:
    """Like `normalize` but with accents kept: tells an accent-only slip from a right answer."""
    composed = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " " for ch in composed
    )
    return " ".join(kept.split())


def key(text: str) -> str:
    """Comparison key: the normal form, or for all-punctuation answers ("?!") the text itself."""
    return normalize(text) or " ".join(text.casefold().split())


_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def display(answer: str) -> str:
    """How an answer written for grading reads when shown to the student: its plain first reading.

    The card view, the grader's feedback and the exam review all use this (see `plain_answer`),
    so an answer shows the same way everywhere: `(the) customer` as "the customer",
    `firm|company` as "firm", `bewustzijn(sfase)` as "bewustzijnsfase".
    """
    return plain_answer(answer)[0]


def plain_answer(answer: str) -> tuple[str, list[str]]:
    """The answer in plain words, and the other accepted forms for a dim "also accepted" line.

    The first full reading: every optional `(…)` part kept, the first of each `a|b`. The other
    forms are the full readings of the other top-level alternatives (`a|b` outside brackets);
    the shorter readings that leave optional parts out are not listed, the reader knows them.
    """
    text = clip(answer).strip()
    if not text:
        return "", []
    pairs = _matching_parens(text)
    readings: list[str] = []
    for alternative in _parse(text, 0, len(text), pairs):
        full = " ".join(_first_reading(alternative).split())
        if full and full not in readings:
            readings.append(full)
    if not readings:
        return " ".join(text.split()), []
    return readings[0], readings[1:]


def _first_reading(parts: tuple[object, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, _Group):
            out.append(_first_reading(part.alternatives[0]) if part.alternatives else "")
        else:
            out.append(str(part))
    return "".join(out)


# --- answer syntax -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """A parenthesised, optional part: one of `alternatives` or nothing."""

    alternatives: tuple[tuple[object, ...], ...]


def _matching_parens(text: str) -> dict[int, int]:
    """Open-paren index to close-paren index for balanced pairs no deeper than MAX_NESTING."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, ch in enumerate(text):
        if ch == "(":
            stack.append(index)
        elif ch == ")" and stack:
            start = stack.pop()
            if len(stack) < MAX_NESTING:
                pairs[start] = index
    return pairs


def _parse(text: str, start: int, end: int, pairs: dict[int, int]) -> tuple[tuple[object, ...], ...]:
    """Alternatives (split on `|` at this level) of parts: plain strings and groups."""
    alternatives: list[tuple[object, ...]] = []
    parts: list[object] = []
    plain: list[str] = []
    index = start
    while index < end:
        ch = text[index]
        if ch == "(" and index in pairs and pairs[index] < end:
            close = pairs[index]
            if plain:
                parts.append("".join(plain))
                plain = []
            parts.append(_Group(_parse(text, index + 1, close, pairs)))
            index = close + 1
            continue
        if ch == "|":
            if plain:
                parts.append("".join(plain))
                plain = []
            alternatives.append(tuple(parts))
            parts = []
        else:
            plain.append(ch)
        index += 1
    if plain:
        parts.append("".join(plain))
    alternatives.append(tuple(parts))
    return tuple(alternatives)


def _expand(alternatives: tuple[tuple[object, ...], ...], limit: int) -> list[str]:
    out: list[str] = []
    for parts in alternatives:
        forms = [""]
        for part in parts:
            if isinstance(part, _Group):
                options = _expand(part.alternatives, limit) + [""]
            else:
                options = [str(part)]
            forms = list(islice((f + o for f in forms for o in options), limit))
        out.extend(forms)
        if len(out) >= limit:
            break
    return out[:limit]


def expand_variants(answer: str, limit: int = MAX_VARIANTS) -> tuple[str, ...]:
    """Every accepted wording of an answer, fullest first.

    `customer (lifetime) value` gives "customer lifetime value" and "customer value";
    `a|b` splits the whole answer unless it stands inside parentheses, where it chooses
    within the group: `service (quality|level)` gives "service quality", "service level",
    "service". Unbalanced parentheses are plain text. At most `limit` variants.
    """
    text = clip(answer)
    pairs = _matching_parens(text)
    forms = _expand(_parse(text, 0, len(text), pairs), max(1, limit))
    seen: dict[str, None] = {}
    for form in forms:
        cleaned = " ".join(form.split())
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen) or (" ".join(text.split()) or text,)


# --- splitting typed lists ---------------------------------------------------------------


def split_items(text: str) -> list[str]:
    """Items typed as a list: commas, semicolons, new lines, arrows or numbers ("2.") between them.

    Leading bullets and numbers ("1.", "-", "•") are dropped, empty items skipped.
    """
    items = []
    for chunk in _SEPARATORS.split(text):
        chunk = _MARKER.sub("", chunk).strip()
        if chunk:
            items.append(chunk)
    return items


def split_conjunctions(text: str) -> list[str]:
    """"a and b" / "a en b" / "a & b" as separate items (only tried when the whole fails)."""
    return [part.strip() for part in _CONJUNCTIONS.split(text) if part.strip()]
