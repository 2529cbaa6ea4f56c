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
MAX_ORDER_WORDS = 60  # words compared for swapped places (bounded work on any input)
RELATED_PREFIX = 4  # letters two stems must share before one beginning the other counts


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
    if whole is None:
        whole = _by_related_words(typed(given, lex), options)
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
            index = _by_related_words(typed(chunk, lex), options)
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
    sets = _option_stems(options)
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
    return _clear_winner(scores)


def _clear_winner(scores: list[float]) -> int | None:
    """The option the typed words point at, when it is clearly ahead of the next one."""
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if scores[best] >= CHOICE_WORDS_FROM and scores[best] - runner_up >= CHOICE_MARGIN:
        return best
    return None


def _related(a: str, b: str) -> bool:
    """Two stems of one word family: the same, or one begins the other (sense / sensory,
    retain / retention), long enough not to be chance."""
    return a == b or (min(len(a), len(b)) >= RELATED_PREFIX and (a.startswith(b) or b.startswith(a)))


def _option_stems(options: list[tuple[Target, ...]]) -> list[frozenset[str]]:
    return [targets[0].words_read.stem_set if targets and targets[0].words_read else frozenset() for targets in options]


def _by_related_words(text: Typed, options: list[tuple[Target, ...]]) -> int | None:
    """Like `_by_words`, with words of one family counted as the same word: "sense
    experiences" names the option "Sensory experiences". Only used when the strict reading
    picks nothing, and only when the typed words point at one option clearly."""
    read = text.words_read
    if read is None or not read.stems:
        return None
    sets = _option_stems(options)
    pointing = {t: sum(any(_related(t, o) for o in s) for s in sets) for t in read.stems}
    given_total = sum(1.0 / max(1, pointing[t]) for t in read.stems) or 1.0
    scores = []
    for targets, stems in zip(options, sets):
        wanted = targets[0].words_read if targets else None
        if wanted is None or not stems or wanted.negated != read.negated:
            scores.append(0.0)
            continue
        said = [t for t in read.stems if any(_related(t, o) for o in stems)]
        covered = {o for o in stems if any(_related(t, o) for t in read.stems)}
        spread = {o: sum(any(_related(o, x) for x in s) for s in sets) for o in stems}
        recall = sum(1.0 / spread[o] for o in covered) / (sum(1.0 / spread[o] for o in stems) or 1.0)
        precision = sum(1.0 / max(1, pointing[t]) for t in said) / given_total
        scores.append(precision if covered and recall >= CHOICE_MIN_RECALL else 0.0)
    return _clear_winner(scores)


def _near_some_option(card: Card, unknown: Sequence[str]) -> bool:
    """Text that shares words with the options but names none of them clearly: a teacher
    would read it against the answer rather than mark it wrong out of hand."""
    lex = lexicon(card.language, card.synonyms)
    sets = _option_stems([prepare(o, False, lex) for o in card.options])
    for chunk in unknown:
        read = typed(chunk, lex).words_read
        if read is not None and read.stems and any(_related(t, o) for t in read.stems for s in sets for o in s):
            return True
    return False


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
        if _near_some_option(card, unknown):
            return GradeResult(False, 0.0, expected, "could not tell which option this names; compare it with the "
                               "answer", extra=tuple(unknown), verdict="unsure")
        return GradeResult(False, 0.0, expected, "pick an option by its number, letter or text",
                           extra=tuple(unknown))
    hits = [i for i in chosen if i in right]
    wrong = [i for i in chosen if i not in right]
    correct = set(chosen) == right
    verdict = ""
    if correct and unknown and _near_some_option(card, unknown):
        verdict = "unsure"  # every right option, plus a claim that is none of them: read it
        correct = False
    elif correct and not exact and len(chosen) == 1 and _roles_swapped(card, given, chosen[0]):
        verdict = "unsure"  # the option's words, but in swapped places ("start of X, end of Y")
        correct = False
    score = max(0.0, (len(hits) - len(wrong)) / len(right))
    missed = sorted(right - set(chosen))
    if wrong:
        notes.append(f"not right: {', '.join(option_label(card, card.options[i]) + card.options[i] for i in wrong)}")
    if missed and hits:
        notes.append(f"also right: {', '.join(option_label(card, card.options[i]) + card.options[i] for i in missed)}")
    if unknown:
        notes.append(f"not an option: {', '.join(short(u, 30) for u in unknown)}")
    if verdict == "unsure":
        notes.append("compare your wording with the answer")
    return GradeResult(
        correct, round(score, 3), expected, "; ".join(notes),
        matched=tuple(card.options[i] for i in hits), missing=tuple(card.options[i] for i in missed),
        extra=tuple(card.options[i] for i in wrong) + tuple(unknown), verdict=verdict,
    )


def _roles_swapped(card: Card, given: str, option: int) -> bool:
    """The typed words are the option's, but two of them trade places: the order of the shared
    content words keeps fewer than all but one of them (longest common subsequence)."""
    if _references(given, len(card.options)) is not None:
        return False
    lex = lexicon(card.language, card.synonyms)
    read = typed(given, lex).words_read
    wanted = prepare(card.options[option], False, lex)[0].words_read
    if read is None or wanted is None:
        return False
    shared = set(read.stems) & set(wanted.stems)
    mine = [s for s in read.stems if s in shared]
    theirs = [s for s in wanted.stems if s in shared]
    if len(shared) < 3:
        return False
    return len(mine) - _common_subsequence(mine, theirs) >= 2


def _common_subsequence(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a[:MAX_ORDER_WORDS]:
        current = [0]
        for j, y in enumerate(b[:MAX_ORDER_WORDS]):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


