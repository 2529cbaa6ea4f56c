"""What an answer says, word by word: its content stems (synonyms merged) and its polarity.

`analyze(text, lexicon)` is the one reading every grader shares. Content words are the words
that are not function words, as stems (grading/lang.py); a synonym an instructor declared
(`synonyms:` in a deck, or a folder's synonyms.yaml) is replaced by its group's first member,
so "company" and "firm" are one word to the grader. Negations are not content: they decide the
answer's polarity, which must agree with the expected answer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from cjstudy.grading.lang import is_function_word, is_negation, language_of, prepare_text, stem

MAX_PHRASE = 5


@dataclass(frozen=True)
class Lexicon:
    """The language and the declared synonym groups a card is graded with."""

    language: str = "en"
    synonyms: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", language_of(self.language))

    @cached_property
    def table(self) -> dict[tuple[str, ...], str]:
        """Synonym phrase (as stems) → its group's token; built on first use, not at start-up."""
        table: dict[tuple[str, ...], str] = {}
        for group in self.synonyms:
            # a member with a negation ("not work") would make its positive words mean the group
            heads = [_plain_stems(member, self.language) for member in group
                     if not _negations(prepare_text(member, self.language).split(), self.language)]
            heads = [h for h in heads if h]
            if len(heads) < 2:
                continue
            canonical = "=" + "_".join(heads[0])
            for phrase in heads:
                table.setdefault(phrase, canonical)
        return table


PLAIN = Lexicon()


@lru_cache(maxsize=256)
def lexicon(language: str, synonyms: tuple[tuple[str, ...], ...] = ()) -> Lexicon:
    return Lexicon(language, synonyms)


@dataclass(frozen=True)
class Analysis:
    """Content stems in order, the surface word each came from, and the polarity."""

    stems: tuple[str, ...]
    surface: tuple[str, ...]
    negated: bool
    function_only: bool = False
    # Stems of the content words a negation stands before (its scope); empty with a negation
    # means it governs the whole answer ("… not").
    negated_stems: frozenset[str] = frozenset()

    @property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)


def _plain_stems(text: str, language: str) -> tuple[str, ...]:
    words = prepare_text(text, language).split()
    return tuple(stem(w, language) for w in words if not is_function_word(w, language) and not is_negation(w, language))


def _negations(words: list[str], language: str) -> int:
    count = 0
    for index, word in enumerate(words):
        if is_negation(word, language):
            count += 1
        elif word == "t" and index and words[index - 1].endswith("n"):  # don't, isn't, can't → "don t"
            count += 1
    return count


@lru_cache(maxsize=4096)
def analyze(text: str, lex: Lexicon = PLAIN) -> Analysis:
    language = lex.language
    words = prepare_text(text, language).split()
    negated = _negations(words, language) > 0
    scope = _scope(words, language) if negated else frozenset()
    content = [(w, stem(w, language)) for w in words
               if not is_function_word(w, language) and not is_negation(w, language)]
    if not content and words:
        # An answer made only of function words ("the one") is compared as written.
        plain = [w for w in words if not is_negation(w, language)]
        return Analysis(tuple(plain), tuple(plain), negated, function_only=True)
    stems = [s for _, s in content]
    surface = [w for w, _ in content]
    if lex.table:
        stems, surface = _merge_synonyms(stems, surface, lex.table)
    if lex.table and scope:
        scope = frozenset(lex.table.get((s,), s) for s in scope)
    return Analysis(tuple(stems), tuple(surface), negated, negated_stems=scope)


def _scope(words: list[str], language: str, reach: int = 3) -> frozenset[str]:
    """The stems of up to `reach` content words after each negation."""
    out: set[str] = set()
    for index, word in enumerate(words):
        if not (is_negation(word, language) or (word == "t" and index and words[index - 1].endswith("n"))):
            continue
        taken = 0
        for follower in words[index + 1:]:
            if is_negation(follower, language) or taken >= reach:
                break
            if not is_function_word(follower, language):
                out.add(stem(follower, language))
                taken += 1
        if taken == 0:
            return frozenset()  # a trailing "not" negates the whole answer
    return frozenset(out)


def _merge_synonyms(stems: list[str], surface: list[str], table: dict[tuple[str, ...], str]) -> tuple[list[str], list[str]]:
    """Replace declared synonym phrases (longest first) by their group's canonical token."""
    out_stems: list[str] = []
    out_surface: list[str] = []
    index = 0
    while index < len(stems):
        for length in range(min(MAX_PHRASE, len(stems) - index), 0, -1):
            canonical = table.get(tuple(stems[index:index + length]))
            if canonical is not None:
                out_stems.append(canonical)
                out_surface.append(" ".join(surface[index:index + length]))
                index += length
                break
        else:
            out_stems.append(stems[index])
            out_surface.append(surface[index])
            index += 1
    return out_stems, out_surface
