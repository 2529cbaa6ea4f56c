"""Judging an answer in the student's own words: weighted key words, polarity, an honest middle.

When no accepted wording matches (grading/match.py), a teacher reads for the ideas: are the
words that carry the answer there, in any form (stems), any order, as a synonym? Does the answer
say the opposite (a negation the model answer lacks, or lacks one it has)? Key words are
weighted by how much they say: a word used all over the deck ("customer" in a customer deck)
or already in the question says little; a rare one says much. Length never decides.

Verdicts: polarity flipped → wrong; weighted share ≥ CORRECT_FROM → correct; ≥ UNSURE_FROM →
unsure (the student judges against the model answer); else partial or wrong.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cjstudy.grading.match import Target, cover
from cjstudy.grading.words import Analysis, Lexicon, analyze

CORRECT_FROM = 0.8
UNSURE_FROM = 0.45
QUESTION_WORD_WEIGHT = 0.5
OPTIONAL_WORD_WEIGHT = 0.3
MISSING_KEY_OK = 0.75  # a missing word weighing more than the answer's mean word is a missing idea
SHORT_EXTRA_OK = 0.2
REPLACED_FROM = 0.1  # share of other words that, with a key word missing, makes a long answer unsure  # a short answer plus this share of other words still says the same
MIN_WEIGHT, MAX_WEIGHT = 0.35, 3.0


@dataclass(frozen=True)
class Reading:
    """How a typed text covers one target's key words."""

    target: Target
    share: float
    found: tuple[str, ...]
    missing: tuple[str, ...]
    extra_share: float
    flipped: bool
    missing_key: float = 0.0  # the largest weight among missing words that every wording has, over the mean weight


class Rarity:
    """Document frequency of stems over a deck's cards: how common a word is in this course."""

    def __init__(self, texts: Sequence[str], lex: Lexicon) -> None:
        self.documents = max(1, len(texts))
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(set(analyze(text, lex).stems))
        self.counts = counts

    def weight(self, stem: str) -> float:
        if stem.isdigit():
            return MAX_WEIGHT
        df = self.counts.get(stem, 0)
        value = 1.0 + math.log((self.documents + 1) / (df + 1))
        return min(MAX_WEIGHT, max(MIN_WEIGHT, value / 2))


_RARITY: dict[tuple[int, Lexicon], tuple[object, Rarity]] = {}


def rarity(siblings: Sequence[object], texts: Sequence[str], lex: Lexicon) -> Rarity:
    """One Rarity per deck (keyed by the siblings object, which is the deck's card tuple)."""
    key = (id(siblings), lex)
    hit = _RARITY.get(key)
    if hit is not None and hit[0] is siblings:
        return hit[1]
    if len(_RARITY) > 32:
        _RARITY.clear()
    made = Rarity(texts, lex)
    _RARITY[key] = (siblings, made)
    return made


def read(given: Analysis, target: Target, weigh: Rarity, question: frozenset[str],
         core: frozenset[str] | None = None) -> Reading:
    """`core`: the stems every wording of this answer has (words in `(…)` are optional: they weigh less)."""
    wanted = target.words_read or analyze(target.text)
    found, missing, extra = cover(given, wanted)

    def w(stem: str) -> float:
        value = weigh.weight(stem)
        if stem in question:
            value *= QUESTION_WORD_WEIGHT
        if core is not None and stem not in core:
            value *= OPTIONAL_WORD_WEIGHT
        return value

    total = sum(w(s) for s in wanted.stems) or 1.0
    distinct = set(wanted.stems)
    mean = sum(w(s) for s in distinct) / max(1, len(distinct))
    missing_key = max((w(wanted.stems[i]) for i in missing if core is None or wanted.stems[i] in core), default=0.0) / mean
    share = sum(w(wanted.stems[i]) for i in found) / total
    given_total = sum(w(s) for s in given.stems) or 1.0
    extra_share = sum(w(given.stems[i]) for i in extra) / given_total
    return Reading(target, share, tuple(wanted.surface[i] for i in found),
                   tuple(dict.fromkeys(wanted.surface[i] for i in missing)), extra_share,
                   flipped=flips(given, wanted), missing_key=missing_key)


def flips(given: Analysis, wanted: Analysis) -> bool:
    """Does the typed answer say the opposite? A negation the model answer lacks counts only when
    it stands before one of the model answer's words (or governs the whole answer)."""
    if given.negated == wanted.negated:
        return False
    if wanted.negated or not given.negated_stems:
        return True
    return bool(given.negated_stems & wanted.stem_set)


def best_reading(given: Analysis, targets: Sequence[Target], weigh: Rarity, question: frozenset[str],
                 cores: dict[str, frozenset[str]] | None = None) -> Reading | None:
    cores = cores or {}
    readings = [read(given, t, weigh, question, cores.get(t.key)) for t in targets if t.words_read and t.words_read.stems]
    if not readings:
        return None
    # The wording that explains most of what was typed; its polarity is the one that must agree.
    return max(readings, key=lambda r: (round(r.share - 0.5 * r.extra_share, 3), not r.flipped))


def verdict(reading: Reading, short: bool) -> str:
    """correct, unsure, partial or wrong for a reading (short: the model answer has ≤ 3 key words)."""
    if reading.flipped:
        return "wrong"
    share = reading.share
    if short:
        # Few key words: one missing or one added changes the meaning more often than not.
        if share >= 0.999 and reading.extra_share <= 0.6:
            return "correct" if reading.extra_share <= SHORT_EXTRA_OK else "unsure"
        if share >= 0.6:
            return "unsure"
        return "partial" if share > 0 else "wrong"
    if share >= CORRECT_FROM and reading.extra_share <= 0.6:
        # every key idea there, or only a minor word missing
        # a key word left out is an omission; a key word replaced by other words may be another idea
        replaced = reading.missing_key >= MISSING_KEY_OK and reading.extra_share > REPLACED_FROM
        return "unsure" if replaced else "correct"
    if share >= UNSURE_FROM:
        return "unsure"
    return "partial" if share > 0 else "wrong"


def cores(answers: Sequence[str], prepare_one) -> dict[str, frozenset[str]]:
    """Target key → the stems of its answer's shortest wording (the words outside optional `(…)`)."""
    out: dict[str, frozenset[str]] = {}
    for answer in answers:
        targets = [t for t in prepare_one(answer) if t.words_read is not None and t.words_read.stems]
        if not targets:
            continue
        shortest = min(targets, key=lambda t: len(t.text))
        core = shortest.words_read.stem_set
        for t in targets:
            # "tegelijk(ertijd)": a glued optional part keeps the word core
            grown = {s for s in t.words_read.stem_set
                     if s in core or any(len(c) >= 4 and (s.startswith(c) or c.startswith(s)) for c in core)}
            out.setdefault(t.key, frozenset(grown))
    return out


ELSEWHERE_FROM = 0.8  # another card's answer this well covered …
ELSEWHERE_MARGIN = 0.15  # … and this much better than this card's: the student answered that card


def closer_elsewhere(given: Analysis, own: Reading, competitors: Sequence[Target], weigh: Rarity,
                     question: frozenset[str]) -> str | None:
    """Another card's answer the text says clearly better than this card's (a related concept)."""
    seen: set[str] = set()
    best: tuple[float, str] | None = None
    for other in competitors[:2000]:
        if other.source in seen:  # one reading per answer: its fullest wording comes first
            continue
        seen.add(other.source)
        wanted = other.words_read
        if not wanted.stems or len(set(wanted.stems)) < 2:
            continue
        reading = read(given, other, weigh, question)
        if reading.flipped or reading.share < ELSEWHERE_FROM or reading.extra_share > 0.5:
            continue
        if reading.share >= own.share + ELSEWHERE_MARGIN and (best is None or reading.share > best[0]):
            best = (reading.share, other.source)
    return best[1] if best else None
