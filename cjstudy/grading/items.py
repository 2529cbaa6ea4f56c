"""Lists and sequences: match typed items to expected ones, then count (and order) them.

Each typed item goes to at most one expected item, best matches first, so "brand owned,
brand-owned" counts once and a typo nearer another item goes to that item. Sequences score
the longest run of items in the right relative order (longest increasing subsequence).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from cjstudy.grading.match import Match, Target, Typed, cover, match_typed, prepare, typed
from cjstudy.grading.result import GradeResult, expected_text, match_note, short
from cjstudy.grading.text import display, split_conjunctions, split_items
from cjstudy.grading.words import PLAIN, Lexicon, lexicon
from cjstudy.model import Card

MAX_LIST_ITEMS = 200


@dataclass(frozen=True)
class _Assignment:
    """Typed items matched to expected ones: (typed index, item index, match)."""

    pairs: tuple[tuple[int, int, Match], ...]
    chunks: tuple[str, ...]
    unmatched: tuple[str, ...]
    repeated: tuple[str, ...]
    refused: tuple[tuple[str, Match], ...]


def _assign(items: Sequence[str], given: str, competitors: Sequence[Target], lex: Lexicon = PLAIN) -> _Assignment:
    """Match each typed item to at most one expected item, best matches first."""
    item_targets = [prepare(item, True, lex) for item in items]
    others = [tuple(t for j, ts in enumerate(item_targets) if j != i for t in ts) + tuple(competitors)
              for i in range(len(items))]
    chunks: list[str] = []
    for chunk in split_items(given)[:MAX_LIST_ITEMS]:
        text = typed(chunk, lex)
        if any(match_typed(text, ts).accepted for ts in item_targets):
            chunks.append(chunk)
        else:
            chunks.extend(split_conjunctions(chunk) or [chunk])
    chunks = chunks[:MAX_LIST_ITEMS]
    candidates: list[tuple[tuple[int, int], int, int, Match]] = []
    refused: dict[int, Match] = {}
    for c, chunk in enumerate(chunks):
        text = typed(chunk, lex)
        for i, targets in enumerate(item_targets):
            match = match_typed(text, targets, others[i])
            if match.accepted:
                candidates.append(((0 if match.exact else 1, match.distance), c, i, match))
                continue
            if match.rival is not None and c not in refused:
                refused[c] = match
            loose = _loose(text, targets)
            if loose is not None:
                candidates.append(loose[0:1] + (c, i, loose[1]))
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


def _loose(text: Typed, targets: Sequence[Target]) -> tuple[tuple[int, int], Match] | None:
    """An item said in more words ("choosing the product" for "choice"): all its key words, few extra."""
    read = text.words_read
    if read is None or not read.stems:
        return None
    best = None
    for target in targets:
        wanted = target.words_read
        if wanted is None or not wanted.stems or wanted.negated != read.negated:
            continue
        found, missing, extra = cover(read, wanted)
        if not missing and len(extra) <= max(1, len(found)):
            rank = (2, len(extra))
            if best is None or rank < best[0]:
                best = (rank, Match(True, target=target.text, reworded=True))
    return best


def _assignment_notes(assignment: _Assignment) -> list[str]:
    notes = []
    for c, _, match in assignment.pairs:
        note = match_note(assignment.chunks[c], match)
        if note:
            notes.append(note)
    for chunk, match in assignment.refused:
        notes.append(match_note(chunk, match))
    if assignment.repeated:
        notes.append(f"repeated: {', '.join(short(r, 30) for r in assignment.repeated)}")
    if assignment.unmatched:
        notes.append(f"not expected: {', '.join(short(u, 30) for u in assignment.unmatched[:5])}"
                     + (" …" if len(assignment.unmatched) > 5 else ""))
    return notes


def grade_list(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    items = card.items or card.expected
    lex = lexicon(card.language, card.synonyms)
    assignment = _assign(items, given, competitors, lex)
    found = {i for _, i, _ in assignment.pairs}
    missing = tuple(display(items[i]) for i in range(len(items)) if i not in found)
    needed = min(card.min or len(items), len(items))
    correct = len(found) >= needed and not _wrong_extras(assignment, lex, _stems_of(card.question, lex))
    notes = []
    if missing:
        notes.append(f"missing: {', '.join(missing)}" if not correct else f"also: {', '.join(missing)}")
    notes.extend(_assignment_notes(assignment))
    return GradeResult(
        correct, round(len(found) / max(1, len(items)), 3), expected_text(card), "; ".join(notes),
        typo=any(m.typo for _, _, m in assignment.pairs),
        accent_only=any(m.accent_only for _, _, m in assignment.pairs),
        matched=tuple(display(items[i]) for i in sorted(found)), missing=missing,
        extra=assignment.unmatched + assignment.repeated,
    )


def _wrong_extras(assignment: _Assignment, lex: Lexicon, given_by_prompt: frozenset[str] = frozenset()) -> bool:
    """Items given that are none of the expected ones: a teacher counts a wrong item against the
    list, but not one that only repeats what the question itself names ("besides X, name two")."""
    for chunk in assignment.unmatched + tuple(c for c, _ in assignment.refused):
        read = typed(chunk, lex).words_read
        if read is None or not read.stems or read.function_only:
            continue
        if given_by_prompt and set(read.stems) <= given_by_prompt:
            continue
        return True
    return False


def _stems_of(text: str, lex: Lexicon) -> frozenset[str]:
    read = typed(text, lex).words_read if text else None
    return frozenset(read.stems) if read is not None else frozenset()


def longest_ordered(indices: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for value in indices:
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def grade_sequence(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    items = card.items or card.expected
    assignment = _assign(items, given, competitors, lexicon(card.language, card.synonyms))
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
        correct, round(in_order / max(1, len(items)), 3), expected_text(card), "; ".join(notes),
        typo=any(m.typo for _, _, m in assignment.pairs),
        accent_only=any(m.accent_only for _, _, m in assignment.pairs),
        matched=tuple(display(items[i]) for i in order), missing=missing,
        extra=assignment.unmatched + assignment.repeated,
    )


