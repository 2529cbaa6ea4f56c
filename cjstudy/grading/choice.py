"""Choice cards: which options were picked (by number, letter or text), and were they right."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cjstudy.grading.items import MAX_LIST_ITEMS
from cjstudy.grading.match import Match, Target, Typed, cover, match_typed, prepare, typed
from cjstudy.grading.result import GradeResult, expected_text, match_note, option_label, short
from cjstudy.grading.text import split_conjunctions, split_items
from cjstudy.grading.words import lexicon
from cjstudy.model import Card

_REFERENCE = re.compile(r"^\(?([0-9]{1,3}|[a-z])[.):]?$")
_REFERENCE_SPLIT = re.compile(r"[\s,;/&+]+")
_FILLERS = {"and", "en", "or", "of"}
CHOICE_WORDS_FROM = 0.7  # share of the typed words (weighted) that must point at the option
CHOICE_MIN_RECALL = 0.15  # and the share of the option's words they must say
CHOICE_MARGIN = 0.25


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
    lex = lexicon(card.language, card.synonyms)
    options = [prepare(o, False, lex) for o in card.options]
    everything = tuple(t for ts in options for t in ts)

    def which(text: Typed) -> tuple[int | None, Match | None]:
        for i, targets in enumerate(options):
            match = match_typed(text, targets, tuple(t for t in everything if t not in targets))
            if match.accepted:
                return i, match
        return None, None

    whole, match = which(typed(given, lex))
    if whole is None:
        whole = _by_words(typed(given, lex), options)
    if whole is not None:
        return [whole], [match_note(given, match)] if match and match.typo else [], []
    chosen, notes, unknown = [], [], []
    chunks = split_items(given)
    if len(chunks) < len(card.correct_options):  # "word of mouth and loyalty"
        chunks = [p for c in chunks for p in (split_conjunctions(c) or [c])]
    for chunk in chunks[:MAX_LIST_ITEMS]:
        index, match = which(typed(chunk, lex))
        if index is None:
            index = _by_words(typed(chunk, lex), options)
        if index is None:
            unknown.append(chunk)
            continue
        chosen.append(index)
        if match is not None and match.typo:
            notes.append(match_note(chunk, match))
    return list(dict.fromkeys(chosen)), notes, unknown


def _by_words(text: Typed, options: list[tuple[Target, ...]]) -> int | None:
    """The one option whose content words the text says (in any form), clearly ahead of the rest.

    A student who paraphrases an option ("the exchange view" for "The value-in-exchange view")
    has picked it; an answer between two options, or saying the opposite, picks none. Words
    that several options share ("actions", "view") say less about which one was meant.
    """
    read = text.words_read
    if read is None or not read.stems:
        return None
    sets = [targets[0].words_read.stem_set if targets and targets[0].words_read else frozenset() for targets in options]
    spread = {stem_: sum(stem_ in s for s in sets) for s in sets for stem_ in s}

    def weight(stem_: str) -> float:
        return 1.0 / spread.get(stem_, 1)

    scores = []
    for targets in options:
        wanted = targets[0].words_read if targets else None
        if wanted is None or not wanted.stems or wanted.negated != read.negated:
            scores.append(0.0)
            continue
        found, missing, extra = cover(read, wanted)
        total = sum(weight(s) for s in set(wanted.stems)) or 1.0
        recall = sum(weight(s) for s in {wanted.stems[i] for i in found}) / total
        given_total = sum(weight(s) for s in read.stems) or 1.0
        # what the student said points here (precision), and says enough of the option (recall)
        precision = 1 - sum(weight(read.stems[i]) for i in extra) / given_total
        scores.append(precision if found and recall >= CHOICE_MIN_RECALL else 0.0)
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if scores[best] >= CHOICE_WORDS_FROM and scores[best] - runner_up >= CHOICE_MARGIN:
        return best
    return None


def grade_choice(card: Card, given: str, competitors: Sequence[Target]) -> GradeResult:
    expected = expected_text(card)
    right = {i for i, option in enumerate(card.options) if option in card.correct_options}
    if not right:
        return GradeResult(False, 0.0, expected, "this card has no correct option")
    # An option that reads exactly like the text wins over numbers and letters: with options
    # "2" and "0", typing "2" means the option "2", not the second one.
    given_key = typed(given).key
    exact = [i for i, o in enumerate(card.options) if prepare(o, expand=False)[0].key == given_key]
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
        notes.append(f"not right: {', '.join(option_label(card, card.options[i]) + card.options[i] for i in wrong)}")
    if missed and hits:
        notes.append(f"also right: {', '.join(option_label(card, card.options[i]) + card.options[i] for i in missed)}")
    if unknown:
        notes.append(f"not an option: {', '.join(short(u, 30) for u in unknown)}")
    return GradeResult(
        correct, round(score, 3), expected, "; ".join(notes),
        matched=tuple(card.options[i] for i in hits), missing=tuple(card.options[i] for i in missed),
        extra=tuple(card.options[i] for i in wrong) + tuple(unknown),
    )


