"""The per-card item-writing rules. Each takes one card and yields (node, rule, message).

The rules come from the classic guidelines for writing test items (Haladyna, Downing &
Rodriguez 2002; Rodriguez 2005) and for flashcards (Wozniak's "20 rules"); docs/lint.md gives
the guideline, a bad and a good example for each. Thresholds are constants so the docs and the
tests can name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cjstudy.deck.cloze import find_gaps, rebuild, scan
from cjstudy.deck.lint import words as w
from cjstudy.deck.yaml_source import Node
from cjstudy.model import Note

LONG_KEY_RATIO = 1.2  # key longer than every distractor by this factor …
LONG_KEY_CHARS = 8  # … and by at least this many characters
MIN_OPTIONS = 3
MAX_GAPS = 2  # each gap is a card that shows the other answers: siblings cue each other
MAX_ANSWER_WORDS = 6  # a typed answer, a gap or a list item
MAX_LIST_ITEMS = 7

Hit = tuple[Node, str, str]


@dataclass(frozen=True)
class CardInput:
    """One card as written: the validated note plus the YAML node that positions each field."""

    note: Note
    entry: Node
    language: str
    title_stems: frozenset[str] = frozenset()


def _node(card: CardInput, key: str) -> Node:
    return card.entry.get(key) or card.entry


def _item_node(card: CardInput, key: str, index: int) -> Node:
    node = _node(card, key)
    return node.items[index] if node.kind == "seq" and index < len(node.items) else node


def minimal(answer: str) -> str:
    """The shortest thing a student may type: optional `(…)` parts dropped, the shortest `a|b`."""
    stripped, previous = answer, None
    while stripped != previous:  # nested optional parts: `((as) source of value)`
        previous, stripped = stripped, re.sub(r"\([^()]*\)", " ", stripped)
    alternatives = [" ".join(a.split()) for a in stripped.split("|")]
    return min((a for a in alternatives if a), key=lambda a: len(a.split()), default=answer)


def shown(answer: str) -> str:
    """The first alternative with its optional parts, as a student would see it."""
    return " ".join(answer.split("|")[0].replace("(", "").replace(")", "").split())


def _typed_answer(note: Note) -> str | None:
    """The text a typed basic answer is graded against, when the card is graded by typing."""
    if note.answer:
        return note.answer
    if len(note.back.split()) <= 8:
        return note.back
    return None


# --- choice cards -------------------------------------------------------------------------


def longest_key(card: CardInput) -> Iterator[Hit]:
    note = card.note
    if note.type != "choice":
        return
    keys = [o for o in note.options if o in note.answers]
    distractors = [o for o in note.options if o not in note.answers]
    if not keys or not distractors:
        return
    if len(keys) == 1:
        key, longest = len(keys[0]), max(len(d) for d in distractors)
        if key >= longest * LONG_KEY_RATIO and key - longest >= LONG_KEY_CHARS:
            index = note.options.index(keys[0])
            yield (_item_node(card, "options", index), "longest-key",
                   f"the correct option is clearly the longest ({key} characters, distractors at most "
                   f"{longest}); lengthen the distractors or shorten the key")
        return
    mean_key = sum(map(len, keys)) / len(keys)
    mean_other = sum(map(len, distractors)) / len(distractors)
    if mean_key >= mean_other * LONG_KEY_RATIO and mean_key - mean_other >= LONG_KEY_CHARS:
        yield (_node(card, "options"), "longest-key",
               f"the correct options are much longer than the others (on average {mean_key:.0f} against "
               f"{mean_other:.0f} characters)")


def clue_word(card: CardInput) -> Iterator[Hit]:
    """A telling word of the question that reappears in the answer and nowhere else."""
    note = card.note
    if note.type == "choice":
        yield from _choice_clue(card)
    elif note.type == "basic" and note.reverse:
        prompt = w.content_stems(note.back, card.language) - card.title_stems
        answer_words = {w.stem(x, card.language): x for x in w.words(note.front) if len(x) >= 4}
        given = [word for s, word in answer_words.items() if s in prompt]
        if given:
            yield (_node(card, "back"), "clue-word",
                   f"the reverse card shows '{given[0]}', which is part of the answer it asks for (the front)")
    elif note.type == "cloze":
        yield from _cloze_clue(card)


def _choice_clue(card: CardInput) -> Iterator[Hit]:
    note = card.note
    prompt = w.content_stems(note.prompt, card.language) - card.title_stems
    per_option = [w.content_stems(o, card.language) for o in note.options]
    for stem in sorted(prompt):
        holders = [i for i, stems in enumerate(per_option) if stem in stems]
        if len(holders) == 1 and note.options[holders[0]] in note.answers and len(note.answers) == 1:
            word = next((x for x in w.words(note.prompt) if w.stem(x, card.language) == stem), stem)
            yield (_item_node(card, "options", holders[0]), "clue-word",
                   f"only the correct option repeats '{word}' from the prompt, which gives it away")
            return


def _cloze_clue(card: CardInput) -> Iterator[Hit]:
    text = card.note.text
    for gap in scan(text):
        answer = shown(gap.answer)
        rest = text[: gap.start] + " " + text[gap.end:]
        rest = rebuild(rest, lambda other: " " if other.digits == gap.digits else shown(other.answer))
        needed = w.content_stems(answer, card.language)
        verbatim = re.search(rf"(?<!\w){re.escape(answer.casefold())}(?!\w)", rest.casefold())
        if (verbatim and needed) or (len(needed) >= 2 and needed <= w.content_stems(rest, card.language)):
            yield (_node(card, "text"), "clue-word",
                   f"gap c{gap.digits} '{answer}' can be read from the rest of the text")


def absolute_distractor(card: CardInput) -> Iterator[Hit]:
    note = card.note
    if note.type != "choice":
        return
    absolute = w.ABSOLUTE_WORDS.get(card.language, w.ABSOLUTE_WORDS["en"])
    if any(set(w.words(k)) & absolute for k in note.answers):
        return  # the key is absolute too, so the word gives nothing away
    for index, option in enumerate(note.options):
        if option in note.answers or w.ALL_NONE_OF_THE_ABOVE.search(option):
            continue  # "none of the above" is its own rule
        found = [x for x in w.words(option) if x in absolute]
        if found:
            yield (_item_node(card, "options", index), "absolute-distractor",
                   f"'{found[0]}' makes this distractor absolute, so it is easy to rule out")


def few_options(card: CardInput) -> Iterator[Hit]:
    if card.note.type == "choice" and len(card.note.options) < MIN_OPTIONS:
        yield (_node(card, "options"), "few-options",
               f"only {len(card.note.options)} options; write at least {MIN_OPTIONS} so guessing pays less")


def all_none_above(card: CardInput) -> Iterator[Hit]:
    if card.note.type != "choice":
        return
    for index, option in enumerate(card.note.options):
        if w.ALL_NONE_OF_THE_ABOVE.search(option):
            yield (_item_node(card, "options", index), "all-none-above",
                   f"'{option}' depends on the other options; write an option that stands on its own")


# --- answers ------------------------------------------------------------------------------


def _trivia_reason(answer: str, language: str, mid_sentence: bool) -> str | None:
    text = minimal(answer)
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?%?", text.strip()):
        return "a bare number"
    tokens = w.words(text)
    stop = w.FUNCTION_WORDS.get(language, w.FUNCTION_WORDS["en"])
    if tokens and all(t in stop for t in tokens):
        return "a function word"
    raw = text.split()
    names = [t for t in raw[1:] if t[:1].isupper() and not t.isupper()]
    if raw and mid_sentence and raw[0][:1].isupper() and not raw[0].isupper():
        names.insert(0, raw[0])
    if names:
        return f"a proper name ('{names[0]}')"
    return None


def trivia_answer(card: CardInput) -> Iterator[Hit]:
    note = card.note
    if note.type == "cloze":
        for gap in scan(note.text):
            before = note.text[: gap.start].rstrip()
            mid = bool(before) and before[-1] not in ".?!:;\"“(" and not before.endswith("…")
            reason = _trivia_reason(gap.answer, card.language, mid)
            if reason:
                yield (_node(card, "text"), "trivia-answer",
                       f"gap c{gap.digits} '{shown(gap.answer)}' is {reason}; gap a concept instead")
    elif note.type == "basic":
        answer = _typed_answer(note)
        reason = _trivia_reason(answer, card.language, False) if answer else None
        if reason:
            yield (_node(card, "answer" if note.answer else "back"), "trivia-answer",
                   f"the answer '{shown(answer)}' is {reason}; ask for a concept instead")


def too_many_gaps(card: CardInput) -> Iterator[Hit]:
    if card.note.type != "cloze":
        return
    numbers = {gap.number for gap in find_gaps(card.note.text)}
    if len(numbers) > MAX_GAPS:
        yield (_node(card, "text"), "too-many-gaps",
               f"{len(numbers)} gaps in one text (at most {MAX_GAPS}): each gap's card shows the "
               "other answers; keep the gaps worth knowing")


def long_answer(card: CardInput) -> Iterator[Hit]:
    note = card.note
    limit = MAX_ANSWER_WORDS
    if note.type == "basic" and note.answer and len(minimal(note.answer).split()) > limit:
        yield (_node(card, "answer"), "long-answer",
               f"the typed answer has {len(minimal(note.answer).split())} words (at most {limit}); "
               "ask for less, or keep the long form in 'back'")
    elif note.type == "cloze":
        for gap in find_gaps(note.text):
            if len(minimal(gap.answer).split()) > limit:
                yield (_node(card, "text"), "long-answer",
                       f"gap c{gap.number} has {len(minimal(gap.answer).split())} words (at most {limit})")
    elif note.type in ("list", "sequence"):
        if len(note.items) > MAX_LIST_ITEMS:
            yield (_node(card, "items"), "long-answer",
                   f"{len(note.items)} items to recall (at most {MAX_LIST_ITEMS}); split the list")
        for index, item in enumerate(note.items):
            count = len(minimal(item).split())
            if count > limit:
                yield (_item_node(card, "items", index), "long-answer",
                       f"item {index + 1} has {count} words (at most {limit}); name it in a few words")


# --- prompts and wording --------------------------------------------------------------------

_SECOND_QUESTION = re.compile(
    r",? and (what|why|how|which|who|whose|when|where)\b|\?\s+(give|name|list|explain|describe|state)\b|"
    r",? en (waarom|wat|hoe|welke|wie|wanneer|waar)\b|\?\s+(noem|geef|leg|beschrijf)\b",
    re.IGNORECASE,
)


def two_questions(card: CardInput) -> Iterator[Hit]:
    note = card.note
    key = "front" if note.type == "basic" else "prompt"
    prompt = note.front if note.type == "basic" else note.prompt
    if not prompt:
        return
    if prompt.count("?") > 1 or _SECOND_QUESTION.search(prompt):
        yield (_node(card, key), "two-questions",
               "the prompt asks two things; ask one per card so the rating means one thing")


_TEXT_FIELDS = ("front", "back", "answer", "prompt", "text", "hint", "explanation")
_LIST_FIELDS = ("items", "options")


def _texts(card: CardInput) -> Iterator[tuple[Node, str]]:
    """Every text a student reads on this card, with its node."""
    for key in _TEXT_FIELDS:
        value = getattr(card.note, key, None)
        if value:
            yield _node(card, key), value
    for key in _LIST_FIELDS:
        for index, value in enumerate(getattr(card.note, key)):
            yield _item_node(card, key, index), value


def source_talk(card: CardInput) -> Iterator[Hit]:
    for node, text in _texts(card):
        match = w.SOURCE_TALK.search(text)
        if match:
            yield (node, "the-note",
                   f"'{match.group(0)}': say what is true of the subject, not what a text says")


def wrong_language(card: CardInput) -> Iterator[Hit]:
    foreign = w.FOREIGN_WORDS.get(card.language)
    if not foreign:
        return
    for node, text in _texts(card):
        found = [x for x in w.words(text) if x in foreign]
        if found:
            yield (node, "wrong-language",
                   f"'{found[0]}' is not {'Dutch' if card.language == 'nl' else 'English'}, "
                   f"the deck's language ({card.language})")


CARD_RULES = (
    longest_key, clue_word, absolute_distractor, few_options, all_none_above, trivia_answer,
    too_many_gaps, long_answer, two_questions, source_talk, wrong_language,
)
