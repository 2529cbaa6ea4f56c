"""Deciding whether one typed answer matches one expected answer, with fair typo tolerance.

The rules, all on normalised text (see grading/text.py, normalize):
- Exact after normalising is always right; an accent-only difference is noted, not punished.
- Otherwise each word may have typos by its length (Damerau-Levenshtein): none up to 4
  letters, 1 edit up to 8, 2 beyond, none at all for words with digits (1990 is not 1991).
  When the word counts differ (a missing or extra space) the words are compared run
  together, allowing at most the largest single word's budget.
- A typo match is refused when another answer (another card's, another list item) is at
  least as close: then the student most likely meant that one; never across a negation, never
  for a negating prefix ("indirectly"), and a typed word that is a common word of its own
  ("receptie" for "perceptie") is left to the student (`doubtful`).
- The same content words as stems (grading/words.py: any form, order, function words, declared
  synonyms) with the same polarity are a rewording, not a typo: accepted.
`match_answer` is the entry point exam.py uses for generated questions; grading.py uses the
prepared-target functions directly so it can reuse work across list items and siblings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cjstudy.grading.text import clip, expand_variants, has_digit, key, normalize_keeping_accents
from cjstudy.grading.lang import is_common_word, stem
from cjstudy.grading.words import PLAIN, Analysis, Lexicon, analyze

MAX_COMPETITORS = 5000
# A compound's first part that turns the word into its opposite: "disloyal" does not say "loyal".
NEGATING_PREFIXES = frozenset({"dis", "un", "in", "im", "ir", "il", "non", "on", "a", "anti", "niet", "mis", "de"})


@dataclass(frozen=True)
class Target:
    """One wording, prepared once: what to show, what to compare."""

    text: str
    key: str
    words: tuple[str, ...]
    joined: str
    accents: str
    lexicon: Lexicon = PLAIN
    source: str = ""  # the answer as written, of which this is one wording

    @cached_property
    def words_read(self) -> Analysis:
        """Content stems and polarity (grading/words.py), read only when a rule needs them."""
        return analyze(self.text, self.lexicon)

    @property
    def language(self) -> str:
        return self.lexicon.language


# The student's text is prepared exactly like an accepted wording, so one type serves both.
Typed = Target


def _prepared(text: str, k: str, lex: Lexicon = PLAIN, source: str = "") -> Target:
    words = tuple(k.split())
    return Target(text, k, words, "".join(words), normalize_keeping_accents(text), lex, source)


@dataclass(frozen=True)
class Match:
    """How a typed answer relates to an expected one.

    `distance` counts the edits that typo tolerance forgave (0 for an exact or spacing-only
    match); `target` is the accepted wording, or the nearest one when `rival` (an at-least-as
    close answer from elsewhere) caused the refusal.
    """

    accepted: bool
    exact: bool = False
    distance: int = 0
    target: str = ""
    accent_only: bool = False
    rival: str | None = None
    reworded: bool = False  # the same content words in other forms, order or with other function words
    doubtful: str = ""  # a typed word within typo reach that is a real word of its own: the student judges

    @property
    def typo(self) -> bool:
        return self.accepted and not self.exact and not self.reworded


NO_MATCH = Match(False)


def word_budget(expected_word: str, given_word: str = "") -> int:
    """Edits forgiven in one word: by the expected word's length, never with digits."""
    if has_digit(expected_word) or has_digit(given_word):
        return 0
    length = len(expected_word)
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


def _distance(a: str, b: str, cutoff: int) -> int:
    """Damerau-Levenshtein distance, or cutoff + 1 when larger (cheap length check first)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    from rapidfuzz.distance import DamerauLevenshtein  # ~35 ms import: only when needed

    return int(DamerauLevenshtein.distance(a, b, score_cutoff=cutoff))


@lru_cache(maxsize=8192)
def prepare(answer: str, expand: bool = True, lex: Lexicon = PLAIN) -> tuple[Target, ...]:
    """The targets of one expected answer (all `a|b` / `(…)` variants when `expand`)."""
    texts = expand_variants(answer) if expand else (" ".join(clip(answer).split()) or clip(answer),)
    if expand:
        texts = texts + _slash_readings(answer)
    targets: dict[str, Target] = {}
    for text in texts:
        k = key(text)
        targets.setdefault(k, _prepared(text, k, lex, answer))
    return tuple(targets.values())


_SLASH = re.compile(r"(?<=\w)/(?=\w)")


def _slash_readings(answer: str) -> tuple[str, ...]:
    """`activities/processes` names one thing two ways: either word alone is also a wording."""
    found = _SLASH.search(answer)
    if found is None:
        return ()
    start = found.start()
    left = re.search(r"\w+$", answer[:start])
    right = re.match(r"\w+", answer[start + 1:])
    if left is None or right is None:
        return ()
    before, after = answer[:left.start()], answer[start + 1 + right.end():]
    return tuple(v for word in (left.group(0), right.group(0)) for v in expand_variants(before + word + after))


def prepare_many(answers: Iterable[str], expand: bool = True, lex: Lexicon = PLAIN) -> tuple[Target, ...]:
    seen: dict[str, Target] = {}
    for answer in answers:
        for target in prepare(answer, expand, lex):
            seen.setdefault(target.key, target)
    return tuple(seen.values())


@lru_cache(maxsize=64)
def typed(text: str, lex: Lexicon = PLAIN) -> Typed:
    """The student's text, clipped and normalised (cached: list grading looks at it twice)."""
    text = clip(text)
    return _prepared(text, key(text) if text.strip() else "", lex)


def typo_distance(given: Sequence[str], expected: Sequence[str]) -> int | None:
    """Edits needed within the per-word budgets, or None when over budget."""
    if not given or not expected:
        return None
    if len(given) == len(expected):
        total = 0
        for g, e in zip(given, expected):
            if g == e:
                continue
            budget = word_budget(e, g)
            if budget == 0 or _prefix_flip(g, e):
                return None
            d = _distance(g, e, budget)
            if d > budget:
                return None
            total += d
        return total
    joined_g, joined_e = "".join(given), "".join(expected)
    if has_digit(joined_g) or has_digit(joined_e):
        budget = 0
    else:
        budget = max(word_budget(e) for e in expected)
    d = _distance(joined_g, joined_e, budget)
    return d if d <= budget else None


def match_typed(given: Typed, targets: Sequence[Target], competitors: Sequence[Target] = ()) -> Match:
    """Match prepared text against prepared targets; see the module docstring for the rules."""
    if not given.key or not targets:
        return NO_MATCH
    for target in targets:
        if given.key == target.key:
            return Match(True, exact=True, target=target.text, accent_only=given.accents != target.accents)
    same = _same_stems(given, targets)
    if same is not None:
        # another card's answer typed exactly is that answer, not a rewording of this one
        exact_rival = next((o for o in competitors[:MAX_COMPETITORS] if o.key == given.key), None)
        own = {t.key for t in targets}
        if exact_rival is not None and not any(o.source == exact_rival.source and o.key in own for o in competitors):
            # (unless that answer also names this one: "heterogeniteit / heterogeen" in a list)
            return Match(False, target=same.text, rival=exact_rival.text)
        return Match(True, target=same.text, reworded=True)
    best: tuple[int, Target] | None = None
    for target in targets:
        if _polarity(given) != _polarity(target):
            continue  # "can be seen" is no typo of "can't be seen"
        d = typo_distance(given.words, target.words)
        if d is not None and (best is None or d < best[0]):
            best = (d, target)
    if best is None:
        return _reworded(given, targets, competitors)
    edits, target = best
    rival = _rival(given, target, targets, competitors)
    if rival is not None:
        return Match(False, distance=edits, target=target.text, rival=rival.text)
    word = _real_word_slip(given, target)
    if word:
        return Match(False, distance=edits, target=target.text, doubtful=word)
    return Match(True, distance=edits, target=target.text)


def _polarity(text: Target) -> bool:
    return text.words_read is not None and text.words_read.negated


def _same_stems(given: Typed, targets: Sequence[Target]) -> Target | None:
    """A wording with exactly the typed content words (as stems), polarity and and/or."""
    read = given.words_read
    if read is None or not read.stems:
        return None
    for target in targets:
        wanted = target.words_read
        if (wanted is not None and wanted.stems and wanted.stem_set == read.stem_set
                and wanted.negated == read.negated and alternative(given) == alternative(target)):
            return target
    return None


def _real_word_slip(given: Typed, target: Target) -> str:
    """A typed word that is a common word of its own ("receptie" for "perceptie"): not a typo to forgive."""
    if len(given.words) != len(target.words):
        return ""
    language = target.language
    for g, e in zip(given.words, target.words):
        if g != e and stem(g, language) != stem(e, language) and is_common_word(g, language):
            return g
    return ""


def _reworded(given: Typed, targets: Sequence[Target], competitors: Sequence[Target]) -> Match:
    """The same content words as an accepted wording (any form, order, function words), same polarity."""
    read = given.words_read
    if read is None or not read.stems:
        return NO_MATCH
    for target in targets:
        wanted = target.words_read
        if wanted is None or not wanted.stems or wanted.negated != read.negated:
            continue
        if alternative(given) != alternative(target):
            continue  # "designed or controlled" is not "designed and controlled"
        found, missing, extra = cover(read, wanted)
        if not missing and not extra:
            if wanted.stem_set != read.stem_set:  # matched through a typo or a compound: is another answer nearer?
                own = {t.key for t in targets}
                rival = next((o for o in competitors[:MAX_COMPETITORS] if o.key not in own
                              and o.words_read is not None and o.words_read.stem_set == read.stem_set), None)
                if rival is not None:
                    return Match(False, target=target.text, rival=rival.text)
            return Match(True, target=target.text, reworded=True)
    return NO_MATCH


def alternative(text: Target) -> bool:
    """Does the wording offer a choice ("designed or controlled")? Not asked of synonym phrases
    ("word of mouth"), whose small words belong to the phrase."""
    read = text.words_read
    if read is not None and any(s.startswith("=") for s in read.stems):
        return False
    return ("of" if text.language == "nl" else "or") in text.words


def _word_found(word: str, stem_: str, given: Analysis, joined_pairs: Sequence[str], used: set[int]) -> int | None:
    """Index of the given word that says `word` (same stem, a forgiven typo, or a compound part).

    A word already used for another expected word is not used again, except as a compound
    ("klantreis" says both "klant" and "reis").
    """
    for index, g_stem in enumerate(given.stems):
        if g_stem == stem_:
            return index
    budget = word_budget(word)
    for index, g_word in enumerate(given.surface):
        if index not in used and budget and not has_digit(g_word) and abs(len(g_word) - len(word)) <= budget \
                and _distance(g_word, word, budget) <= budget and not _prefix_flip(g_word, word):
            return index
    if stem_.startswith("="):  # a synonym: its compounds are found by the word as written
        stem_ = word if " " not in word else ""
    if len(stem_) >= 4:
        for index, g_word in enumerate(given.surface):
            # a compound that holds the word: "klantreis" says "klant" and "reis"
            if len(g_word) >= len(stem_) + 3 and (g_word.startswith(stem_) or (
                    g_word.endswith(word) and not g_word[:-len(word)].rstrip("-") in NEGATING_PREFIXES)):
                return index
        for index, pair in enumerate(joined_pairs):
            if pair == word or (len(word) > 6 and pair.startswith(stem_) and len(pair) <= len(word) + 3):
                return index
    return None


def _prefix_flip(a: str, b: str) -> bool:
    """"directly" / "indirectly": one word is the other with a negating prefix, not a typo of it."""
    short_, long_ = sorted((a, b), key=len)
    return long_.endswith(short_) and long_[:len(long_) - len(short_)] in NEGATING_PREFIXES


def cover(given: Analysis, expected: Analysis) -> tuple[list[int], list[int], list[int]]:
    """Expected content words found and missing (indices), and given words that matched none."""
    pairs = [a + b for a, b in zip(given.surface, given.surface[1:])]
    used: set[int] = set()
    found, missing = [], []
    for index, (word, stem_) in enumerate(zip(expected.surface, expected.stems)):
        hit = _word_found(word, stem_, given, pairs, used)
        if hit is None:
            missing.append(index)
        else:
            found.append(index)
            used.add(hit)
            if hit < len(pairs) and pairs[hit] == word:
                used.add(hit + 1)
    expected_stems = set(expected.stems)
    extra = [i for i in range(len(given.stems)) if i not in used and given.stems[i] not in expected_stems]
    return found, missing, extra


def _rival(given: Typed, target: Target, own: Sequence[Target], competitors: Sequence[Target]) -> Target | None:
    """Another answer at least as close to what was typed (compared with spaces removed)."""
    own_distance = _distance(given.joined, target.joined, len(given.joined) + len(target.joined))
    own_keys = {t.key for t in own}
    own_joined = {t.joined for t in own}
    for other in competitors[:MAX_COMPETITORS]:
        if other.key in own_keys or other.joined in own_joined:
            continue
        if _distance(given.joined, other.joined, own_distance) <= own_distance:
            return other
    return None


def match_answer(given: str, expected: Sequence[str], competitors: Sequence[str] = ()) -> Match:
    """Is `given` one of the `expected` answers (with `a|b` / `(…)` syntax), typos forgiven?

    `competitors` are other answers the student might have meant; a typo match that is at
    least as close to one of them is refused.
    """
    return match_typed(typed(given), prepare_many(expected), prepare_many(competitors))
