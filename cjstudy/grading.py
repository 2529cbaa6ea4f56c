"""Grading typed answers fairly: one pure function per card type, one result shape.

`grade(card, given, siblings=deck.cards)` never raises on any text and never reads the clock.
Choices made here (the issue left them open):
- Basic cards grade against `expected` (the `answer`, else the `back`) plus `accept`.
  When the expected text is long (more than LONG_ANSWER_WORDS words: a `back` with no short
  `answer`) and no variant matches, the typed text earns the share of the answer's key words
  it contains (typos forgiven per word) and counts as correct from LONG_ANSWER_PASS on.
  Shorter answers that do not match get the same share as a score but are never correct.
- Lists: order-free, score = matched / items, correct at `min` (default all); extra or
  repeated items are reported, not punished.
- Sequences: score = longest run of items in the right relative order / items.
- Cloze: one gap takes the whole text; several gaps take the typed items in order.
- Choice: numbers, letters ("b", "B)", "(b)") or option text; score for several answers is
  (right picks − wrong picks) / answers, never below 0.
Option numbers and letters refer to `card.options` as given: a caller that shuffles the
options passes a card with them in the shown order (`dataclasses.replace`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cjstudy.grading_match import (
    Match,
    Target,
    Typed,
    coverage,
    match_answer,
    match_typed,
    prepare,
    prepare_many,
    typed,
)
from cjstudy.grading_text import MAX_INPUT_CHARS, clip, display, expand_variants, normalize, split_conjunctions, split_items
from cjstudy.model import Card

__all__ = ["GradeResult", "Match", "grade", "match_answer", "normalize", "expand_variants", "sibling_answers"]

LONG_ANSWER_WORDS = 8
LONG_ANSWER_PASS = 0.8
MAX_LIST_ITEMS = 200


@dataclass(frozen=True)
class GradeResult:
    """The verdict on one typed answer.

    `expected` is what to show as the right answer; `feedback` is one line explaining the
    verdict (typo corrected, accents, missing items, …), empty when there is nothing to say.
    """

    correct: bool
    score: float
    expected: str
    feedback: str = ""
    typo: bool = False
    accent_only: bool = False
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The four fields `cjstudy grade --json` prints."""
        return {"correct": self.correct, "score": self.score, "expected": self.expected, "feedback": self.feedback}


def grade(card: Card, given: str, *, siblings: Sequence[Card] = ()) -> GradeResult:
    """Grade `given` for `card`; `siblings` (the deck's cards) guard typo acceptance."""
    given = given if isinstance(given, str) else str(given)
    note = f"only the first {MAX_INPUT_CHARS} characters were graded" if len(given) > MAX_INPUT_CHARS else ""
    given = clip(given)
    if not given.strip():
        return GradeResult(False, 0.0, _expected_text(card), "no answer given")
    grader = _GRADERS.get(card.type)
    if grader is None:
        return GradeResult(False, 0.0, _expected_text(card), f"cannot grade a {card.type} card")
    result = grader(card, given, _competitors(card, siblings))
    if note:
        result = _with_feedback(result, note)
    return result


def sibling_answers(card: Card) -> tuple[str, ...]:
    """The answers a card expects, as other cards' competitors see them."""
    if card.type == "cloze":
        return tuple(gap.answer for gap in card.gaps) or card.expected
    if card.type in ("list", "sequence"):
        return card.items
    if card.type == "choice":
        return ()
    return card.expected + card.accept


def _competitors(card: Card, siblings: Sequence[Card]) -> tuple[Target, ...]:
    return prepare_many(a for s in siblings if s.key != card.key for a in sibling_answers(s))


def _expected_text(card: Card) -> str:
    if card.type == "cloze":
        return ", ".join(display(g.answer) for g in card.gaps) or ", ".join(display(e) for e in card.expected)
    if card.type == "list":
        return ", ".join(display(i) for i in card.items)
    if card.type == "sequence":
        return " → ".join(display(i) for i in card.items)
    if card.type == "choice":
        return "; ".join(f"{_letter(card, o)}{o}" for o in card.correct_options)
    return display(card.expected[0]) if card.expected else ""


def _letter(card: Card, option: str) -> str:
    try:
        index = card.options.index(option)
    except ValueError:
        return ""
    return f"{'abcdefghijklmnopqrstuvwxyz'[index]}) " if index < 26 else f"{index + 1}. "


def _with_feedback(result: GradeResult, extra: str) -> GradeResult:
    from dataclasses import replace

    return replace(result, feedback="; ".join(p for p in (result.feedback, extra) if p))


def _match_note(given: str, match: Match) -> str:
    """What to tell the student about an accepted-but-imperfect or refused answer."""
    if match.rival is not None:
        return f"'{_short(given)}' is closer to another answer ({match.rival})"
    if match.accent_only:
        return f"mind the accents: {match.target}"
    if match.typo:
        return f"typo: '{_short(given)}' → {match.target}"
    return ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- basic -------------------------------------------------------------------------------


def _grade_basic(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    expected = _expected_text(card)
    targets = prepare_many(card.expected + card.accept)
    text = typed(given)
    match = match_typed(text, targets, competitors)
    if match.accepted:
        return GradeResult(True, 1.0, expected, _match_note(given, match), typo=match.typo,
                           accent_only=match.accent_only, matched=(match.target,))
    if match.rival is not None:
        return GradeResult(False, 0.0, expected, _match_note(given, match))
    main = prepare(card.expected[0])[0] if card.expected else None
    if main is None or not text.words:
        return GradeResult(False, 0.0, expected)
    found, missing = coverage(text.words, main.words)
    share = len(found) / max(1, len(found) + len(missing))
    if len(main.words) > LONG_ANSWER_WORDS:
        padded = len(text.words) > 3 * len(main.words) + 10
        correct = share >= LONG_ANSWER_PASS and not padded
        feedback = f"{len(found)} of {len(found) + len(missing)} key words"
        if missing:
            feedback += f"; missing: {', '.join(missing[:8])}" + (" …" if len(missing) > 8 else "")
        if padded:
            feedback += "; too long to count"
        return GradeResult(correct, round(share, 3), expected, feedback,
                           matched=tuple(found), missing=tuple(missing))
    return GradeResult(False, round(min(share, 0.99) if found else 0.0, 3), expected)


# --- lists and sequences -----------------------------------------------------------------


@dataclass(frozen=True)
class _Assignment:
    """Typed items matched to expected ones: (typed index, item index, match)."""

    pairs: tuple[tuple[int, int, Match], ...]
    chunks: tuple[str, ...]
    unmatched: tuple[str, ...]
    repeated: tuple[str, ...]
    refused: tuple[tuple[str, Match], ...]


def _assign(items: Sequence[str], given: str, competitors: Sequence[Target]) -> _Assignment:
    """Match each typed item to at most one expected item, best matches first."""
    item_targets = [prepare(item) for item in items]
    others = [tuple(t for j, ts in enumerate(item_targets) if j != i for t in ts) + tuple(competitors)
              for i in range(len(items))]
    chunks: list[str] = []
    for chunk in split_items(given)[:MAX_LIST_ITEMS]:
        text = typed(chunk)
        if any(match_typed(text, ts).accepted for ts in item_targets):
            chunks.append(chunk)
        else:
            chunks.extend(split_conjunctions(chunk) or [chunk])
    chunks = chunks[:MAX_LIST_ITEMS]
    candidates: list[tuple[tuple[int, int], int, int, Match]] = []
    refused: dict[int, Match] = {}
    for c, chunk in enumerate(chunks):
        text = typed(chunk)
        for i, targets in enumerate(item_targets):
            match = match_typed(text, targets, others[i])
            if match.accepted:
                candidates.append(((0 if match.exact else 1, match.distance), c, i, match))
            elif match.rival is not None and c not in refused:
                refused[c] = match
    candidates.sort(key=lambda entry: (entry[0], entry[1], entry[2]))
    used_chunks: set[int] = set()
    used_items: set[int] = set()
    pairs: list[tuple[int, int, Match]] = []
    repeated: list[str] = []
    for _, c, i, match in candidates:
        if c in used_chunks:
            continue
        if i in used_items:
            continue
        used_chunks.add(c)
        used_items.add(i)
        pairs.append((c, i, match))
    matchable = {c for _, c, _, _ in candidates}
    for c in sorted(matchable - used_chunks):
        repeated.append(chunks[c])
        used_chunks.add(c)
    unmatched = tuple(chunks[c] for c in range(len(chunks)) if c not in used_chunks and c not in refused)
    refused_list = tuple((chunks[c], m) for c, m in sorted(refused.items()) if c not in used_chunks)
    return _Assignment(tuple(sorted(pairs)), tuple(chunks), unmatched, tuple(repeated), refused_list)


def _assignment_notes(assignment: _Assignment) -> list[str]:
    notes = []
    for c, _, match in assignment.pairs:
        note = _match_note(assignment.chunks[c], match)
        if note:
            notes.append(note)
    for chunk, match in assignment.refused:
        notes.append(_match_note(chunk, match))
    if assignment.repeated:
        notes.append(f"repeated: {', '.join(_short(r, 30) for r in assignment.repeated)}")
    if assignment.unmatched:
        notes.append(f"not expected: {', '.join(_short(u, 30) for u in assignment.unmatched[:5])}"
                     + (" …" if len(assignment.unmatched) > 5 else ""))
    return notes


def _grade_list(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    items = card.items or card.expected
    assignment = _assign(items, given, competitors)
    found = {i for _, i, _ in assignment.pairs}
    missing = tuple(display(items[i]) for i in range(len(items)) if i not in found)
    needed = min(card.min or len(items), len(items))
    correct = len(found) >= needed
    notes = []
    if missing:
        notes.append(f"missing: {', '.join(missing)}" if not correct else f"also: {', '.join(missing)}")
    notes.extend(_assignment_notes(assignment))
    return GradeResult(
        correct, round(len(found) / max(1, len(items)), 3), _expected_text(card), "; ".join(notes),
        typo=any(m.typo for _, _, m in assignment.pairs),
        accent_only=any(m.accent_only for _, _, m in assignment.pairs),
        matched=tuple(display(items[i]) for i in sorted(found)), missing=missing,
        extra=assignment.unmatched + assignment.repeated,
    )


def longest_ordered(indices: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    from bisect import bisect_left

    tails: list[int] = []
    for value in indices:
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def _grade_sequence(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    items = card.items or card.expected
    assignment = _assign(items, given, competitors)
    order = [i for _, i, _ in sorted(assignment.pairs)]
    in_order = longest_ordered(order)
    found = set(order)
    missing = tuple(display(items[i]) for i in range(len(items)) if i not in found)
    correct = in_order == len(items)
    notes = []
    if missing:
        notes.append(f"missing: {', '.join(missing)}")
    if not correct and len(found) > in_order:
        notes.append(f"{in_order} of {len(items)} in the right order")
    notes.extend(_assignment_notes(assignment))
    return GradeResult(
        correct, round(in_order / max(1, len(items)), 3), _expected_text(card), "; ".join(notes),
        typo=any(m.typo for _, _, m in assignment.pairs),
        accent_only=any(m.accent_only for _, _, m in assignment.pairs),
        matched=tuple(display(items[i]) for i in order), missing=missing,
        extra=assignment.unmatched + assignment.repeated,
    )


# --- cloze -------------------------------------------------------------------------------


def _grade_cloze(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    answers = [gap.answer for gap in card.gaps] or list(card.expected)
    if not answers:
        return GradeResult(False, 0.0, "", "this card has no gaps to grade")
    if len(answers) == 1:
        parts = [given]
    else:
        parts = split_items(given)
        if len(parts) < len(answers):
            parts = [p for part in parts for p in (split_conjunctions(part) or [part])]
    matches: list[Match] = []
    notes: list[str] = []
    for n, answer in enumerate(answers):
        others = tuple(t for j, a in enumerate(answers) if j != n for t in prepare(a)) + tuple(competitors)
        part = parts[n] if n < len(parts) else ""
        match = match_typed(typed(part), prepare(answer), others)
        matches.append(match)
        label = f"gap {n + 1}: " if len(answers) > 1 else ""
        if match.accepted or match.rival is not None:
            note = _match_note(part, match)
            if note:
                notes.append(label + note)
        elif len(answers) > 1:
            notes.append(f"{label}expected {display(answer)}" + (f", not '{_short(part, 30)}'" if part else ""))
    right = sum(m.accepted for m in matches)
    if len(parts) > len(answers):
        notes.append(f"{len(parts) - len(answers)} more than the {len(answers)} gaps")
    return GradeResult(
        right == len(answers), round(right / len(answers), 3), _expected_text(card), "; ".join(notes),
        typo=any(m.typo for m in matches), accent_only=any(m.accent_only for m in matches),
        matched=tuple(display(a) for a, m in zip(answers, matches) if m.accepted),
        missing=tuple(display(a) for a, m in zip(answers, matches) if not m.accepted),
    )


# --- choice ------------------------------------------------------------------------------

_REFERENCE = re.compile(r"^\(?([0-9]{1,3}|[a-z])[.):]?$")
_REFERENCE_SPLIT = re.compile(r"[\s,;/&+]+")
_FILLERS = {"and", "en", "or", "of"}


def _references(given: str, count: int) -> list[int] | None:
    """Option indices when the text is only numbers/letters ("2", "b", "B)", "1,3", "a c")."""
    tokens = [t for t in _REFERENCE_SPLIT.split(given.strip().casefold()) if t and t not in _FILLERS]
    if not tokens or len(tokens) > count:
        return None
    chosen = []
    for token in tokens:
        found = _REFERENCE.match(token)
        if not found:
            return None
        ref = found.group(1)
        index = int(ref) - 1 if ref.isdigit() else ord(ref) - ord("a")
        if not 0 <= index < count:
            return None
        chosen.append(index)
    return list(dict.fromkeys(chosen))


def _chosen_by_text(card: Card, given: str) -> tuple[list[int], list[str], list[str]]:
    """Options named by their text (typos forgiven; each must be nearer its own option)."""
    options = [prepare(o, expand=False) for o in card.options]
    everything = tuple(t for ts in options for t in ts)

    def which(text: Typed) -> tuple[int | None, Match | None]:
        for i, targets in enumerate(options):
            match = match_typed(text, targets, tuple(t for t in everything if t not in targets))
            if match.accepted:
                return i, match
        return None, None

    whole, match = which(typed(given))
    if whole is not None:
        return [whole], [_match_note(given, match)] if match and match.typo else [], []
    chosen, notes, unknown = [], [], []
    for chunk in split_items(given)[:MAX_LIST_ITEMS]:
        index, match = which(typed(chunk))
        if index is None:
            unknown.append(chunk)
            continue
        chosen.append(index)
        if match is not None and match.typo:
            notes.append(_match_note(chunk, match))
    return list(dict.fromkeys(chosen)), notes, unknown


def _grade_choice(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    expected = _expected_text(card)
    right = {i for i, option in enumerate(card.options) if option in card.correct_options}
    if not right:
        return GradeResult(False, 0.0, expected, "this card has no correct option")
    # An option that reads exactly like the text wins over numbers and letters: with options
    # "2" and "0", typing "2" means the option "2", not the second one.
    exact = [i for i, o in enumerate(card.options) if prepare(o, expand=False)[0].key == typed(given).key]
    chosen = exact[:1] or _references(given, len(card.options))
    notes: list[str] = []
    unknown: list[str] = []
    if chosen is None:
        chosen, notes, unknown = _chosen_by_text(card, given)
    if not chosen:
        return GradeResult(False, 0.0, expected, "pick an option by its number, letter or text",
                           extra=tuple(unknown))
    hits = [i for i in chosen if i in right]
    wrong = [i for i in chosen if i not in right]
    correct = set(chosen) == right
    score = max(0.0, (len(hits) - len(wrong)) / len(right))
    missed = sorted(right - set(chosen))
    if wrong:
        notes.append(f"not right: {', '.join(_letter(card, card.options[i]) + card.options[i] for i in wrong)}")
    if missed and hits:
        notes.append(f"also right: {', '.join(_letter(card, card.options[i]) + card.options[i] for i in missed)}")
    if unknown:
        notes.append(f"not an option: {', '.join(_short(u, 30) for u in unknown)}")
    return GradeResult(
        correct, round(score, 3), expected, "; ".join(notes),
        matched=tuple(card.options[i] for i in hits), missing=tuple(card.options[i] for i in missed),
        extra=tuple(card.options[i] for i in wrong) + tuple(unknown),
    )


_GRADERS = {
    "basic": _grade_basic,
    "list": _grade_list,
    "sequence": _grade_sequence,
    "cloze": _grade_cloze,
    "choice": _grade_choice,
}
