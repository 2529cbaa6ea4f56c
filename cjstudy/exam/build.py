"""Building a mock exam: which cards, asked how, in what order, all from one seeded RNG.

Choices made here (the issue left them open):
- Cards: from the chosen decks (default all), keeping those with any of the chosen tags
  (tags are OR-ed, compared case-insensitively). At most one question per card key, and
  cards of a note not yet used come before a second card of the same note (a reverse or
  another cloze gap).
- Spread: decks take turns (round-robin), and inside a deck the card types take turns, so
  a deck that is mostly basic cards still brings its lists and sequences. Each picked card
  gets the kind it supports that has been used least so far (ties drawn by the RNG).
- Generated multiple choice (basic cards): 3 distractors from the answers of other basic
  cards of the same deck and direction, each within `similar_length` of the right answer,
  all distinct after `grading.normalize` and none accepted as the right answer.
- True/false: a basic card's question with its own answer or a sibling's (same rules as a
  distractor, without the length limit), or a single-answer choice card's prompt with its
  right or a wrong option; true and false are equally likely.
Determinism: every input is sorted before the RNG touches it, so the same seed and the same
decks give the same exam, question for question.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from cjstudy.deck.suggest import did_you_mean
from cjstudy.errors import UnknownCardError, UsageError
from cjstudy.exam.questions import KINDS, NoQuestionsError, Question, truefalse_words
from cjstudy.grading.grade import expand_variants, match_answer, normalize
from cjstudy.model import Card, CardKey, Deck

DEFAULT_COUNT = 20
DISTRACTORS = 3
# Distractors are drawn from this many candidates nearest in length, so a deck with many
# cards does not always offer the same three.
NEAREST_POOL = 6
# "Similar length": within half the right answer's length either way, or this many
# characters for short answers.
LENGTH_SLACK = 6


@dataclass(frozen=True)
class Exam:
    """The questions in the order they are asked, and what was asked for."""

    questions: tuple[Question, ...]
    requested: int
    kinds: tuple[str, ...] = KINDS
    siblings: dict[str, tuple[Card, ...]] = field(default_factory=dict, compare=False)

    @property
    def short(self) -> bool:
        """Fewer questions than requested: the selection did not have more."""
        return len(self.questions) < self.requested


def parse_kinds(values: Iterable[str] | None) -> tuple[str, ...]:
    """`--types` values (repeatable, comma-separated) to kinds; unknown ones are a usage error."""
    chosen: list[str] = []
    for value in values or ():
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in KINDS:
                raise UsageError(f"unknown question type '{name}'{did_you_mean(name, KINDS)}; "
                                 f"valid types: {', '.join(KINDS)}")
            if name not in chosen:
                chosen.append(name)
    return tuple(k for k in KINDS if k in chosen) or KINDS


def select_cards(decks: Sequence[Deck], deck_ids: Sequence[str] = (), tags: Sequence[str] = ()) -> list[Card]:
    """The cards an exam may ask, sorted by key; unknown deck ids or tags are errors."""
    by_id = {d.id: d for d in decks}
    chosen: list[Deck] = []
    for deck_id in dict.fromkeys(deck_ids):
        if deck_id not in by_id:
            raise UnknownCardError(f"no deck '{deck_id}'{did_you_mean(deck_id, sorted(by_id))}; "
                                   f"`cjstudy decks` lists them")
        chosen.append(by_id[deck_id])
    if not deck_ids:
        chosen = sorted(decks, key=lambda d: d.id)
    cards = [card for deck in chosen for card in deck.cards]
    wanted = [t.casefold() for t in dict.fromkeys(tags)]
    if wanted:
        known = sorted({t.casefold() for card in cards for t in card.tags})
        for tag in wanted:
            if tag not in known:
                where = "the chosen decks" if deck_ids else "any deck"
                raise UnknownCardError(f"no card in {where} has tag '{tag}'{did_you_mean(tag, known)}")
        cards = [c for c in cards if any(t.casefold() in wanted for t in c.tags)]
    return sorted(cards, key=lambda c: c.key)


def build_exam(decks: Sequence[Deck], rng: random.Random, *, count: int = DEFAULT_COUNT,
               deck_ids: Sequence[str] = (), tags: Sequence[str] = (),
               kinds: Sequence[str] = KINDS) -> Exam:
    """Up to `count` questions spread over decks, card types and kinds; see the module notes."""
    kinds = tuple(k for k in KINDS if k in kinds) or KINDS
    cards = select_cards(decks, deck_ids, tags)
    siblings = {d.id: tuple(d.cards) for d in decks}
    by_id = {d.id: d for d in decks}
    pools = {deck_id: _Pool(cards_of) for deck_id, cards_of in siblings.items()}
    used: dict[str, int] = {k: 0 for k in kinds}
    questions: list[Question] = []
    for card in _interleave(cards, rng):
        if len(questions) >= count:
            break
        pool = pools[card.key.deck]
        possible = [k for k in _possible_kinds(card, pool) if k in used]
        if not possible:
            continue
        fewest = min(used[k] for k in possible)
        kind = rng.choice([k for k in possible if used[k] == fewest])
        used[kind] += 1
        deck = by_id[card.key.deck]
        questions.append(_make_question(card, kind, pool, rng, deck.language or "en", deck.title or deck.id))
    if not questions:
        raise NoQuestionsError(
            f"no card in the selection can be asked as {', '.join(kinds)}"
            if kinds != KINDS else "the selection has no cards to ask")
    rng.shuffle(questions)
    return Exam(tuple(questions), count, kinds, siblings)


# --- choosing and ordering cards ---------------------------------------------------------


def _interleave(cards: Sequence[Card], rng: random.Random) -> list[Card]:
    """Decks in turn, card types in turn within a deck, a note's second card after all firsts."""
    by_deck: dict[str, dict[str, list[Card]]] = {}
    for card in cards:  # already sorted by key
        by_deck.setdefault(card.key.deck, {}).setdefault(card.type, []).append(card)
    deck_orders: list[list[Card]] = []
    for deck_id in sorted(by_deck):
        groups = [by_deck[deck_id][t] for t in sorted(by_deck[deck_id])]
        for group in groups:
            rng.shuffle(group)
        rng.shuffle(groups)
        deck_orders.append(_round_robin(groups))
    ordered = _round_robin(deck_orders)
    seen_notes: set[tuple[str, str]] = set()
    first, later = [], []
    for card in ordered:
        note = (card.key.deck, card.key.card)
        (later if note in seen_notes else first).append(card)
        seen_notes.add(note)
    return first + later


def _round_robin(lists: Sequence[Sequence[Card]]) -> list[Card]:
    out: list[Card] = []
    for depth in range(max((len(x) for x in lists), default=0)):
        out.extend(x[depth] for x in lists if depth < len(x))
    return out


def _possible_kinds(card: Card, pool: "_Pool") -> list[str]:
    if card.type == "basic":
        kinds = ["recall"] if card.expected else []
        if len(pool.distractors(card)) >= DISTRACTORS:
            kinds.append("choice")
        if pool.false_claims(card):
            kinds.append("truefalse")
        return kinds
    if card.type == "cloze":
        return ["cloze"] if card.gaps or card.expected else []
    if card.type == "list":
        return ["list"] if card.items else []
    if card.type == "sequence":
        return ["order"] if len(card.items) >= 2 else []
    if card.type == "choice":
        kinds = ["choice"] if card.options and card.correct_options else []
        if _single_answer_wrong_options(card):
            kinds.append("truefalse")
        return kinds
    return []


def _single_answer_wrong_options(card: Card) -> list[str]:
    if len(card.correct_options) != 1:
        return []
    return [o for o in card.options if o not in card.correct_options]


# --- making a question of a kind ---------------------------------------------------------


def _make_question(card: Card, kind: str, pool: "_Pool", rng: random.Random, language: str,
                   deck_title: str) -> Question:
    """The question, with the deck's language and title (headers show the title, not the card id)."""
    return replace(_question_of_kind(card, kind, pool, rng, language), language=language, deck_title=deck_title)


def _question_of_kind(card: Card, kind: str, pool: "_Pool", rng: random.Random, language: str) -> Question:
    if kind == "order":
        shown = _shuffled_away([expand_variants(item)[0] for item in card.items], rng)
        return Question(card, kind, card.question, options=shown)
    if kind == "choice" and card.type == "choice":
        options = list(card.options)
        if card.shuffle:
            rng.shuffle(options)
        return Question(card, kind, card.question, graded=replace(card, options=tuple(options)),
                        options=tuple(options))
    if kind == "choice":
        return _generated_choice(card, pool, rng)
    if kind == "truefalse":
        return _truefalse(card, pool, rng, language)
    return Question(card, kind, card.question)


def _shuffled_away(items: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """The items shuffled, never (when avoidable) in their right order."""
    shown = list(items)
    for _ in range(10):
        rng.shuffle(shown)
        if shown != list(items):
            break
    else:
        shown = list(reversed(items))
    return tuple(shown)


def _generated_choice(card: Card, pool: "_Pool", rng: random.Random) -> Question:
    right = answer_text(card)
    options = [right, *rng.sample(pool.distractors(card), DISTRACTORS)]
    rng.shuffle(options)
    graded = Card(card.key, "choice", card.question, right, expected=(right,), options=tuple(options),
                  correct_options=(right,), shuffle=False, explanation=card.explanation, tags=card.tags,
                  line=card.line, language=card.language, synonyms=card.synonyms)
    return Question(card, "choice", card.question, graded=graded, options=tuple(options))


def _truefalse(card: Card, pool: "_Pool", rng: random.Random, language: str) -> Question:
    """A statement in the deck's language: the card's question with its own or another answer."""
    if card.type == "choice":
        right = card.correct_options[0]
        wrong = _single_answer_wrong_options(card)
    else:
        right = answer_text(card)
        wrong = pool.false_claims(card)
    truth = rng.random() < 0.5
    claim = right if truth else rng.choice(wrong)
    question = " ".join(card.question.split()).removesuffix(".")
    prompt = truefalse_words(language).template.format(question=question, claim=claim)
    return Question(card, "truefalse", prompt, truth=truth, claim=claim, right_answer=right)


# --- distractors -------------------------------------------------------------------------


def answer_text(card: Card) -> str:
    """A basic card's answer as an option reads: the fullest wording of its first alternative."""
    return expand_variants(card.expected[0])[0] if card.expected else card.shown_answer


def similar_length(candidate: str, right: str) -> bool:
    """Close enough in length that the right option does not stand out by its size."""
    return abs(len(candidate) - len(right)) <= max(LENGTH_SLACK, len(right) // 2)


class _Pool:
    """One deck's basic-card answers, indexed once, for distractors and false statements."""

    def __init__(self, cards: Sequence[Card]) -> None:
        answers: list[tuple[str, str, str, str]] = []  # (direction, key, text, card id)
        for card in cards:
            if card.type == "basic" and card.expected:
                text = answer_text(card)
                key = normalize(text)
                if key:
                    answers.append((card.key.variant, key, text, card.key.card))
        self._answers = sorted(answers)
        self._cache: dict[CardKey, list[str]] = {}

    def false_claims(self, card: Card) -> list[str]:
        """Up to NEAREST_POOL other answers of the same deck and direction, nearest in length
        first, distinct after normalising and none accepted as right for `card`."""
        cache_key = card.key
        if cache_key not in self._cache:
            right = answer_text(card)
            rights = {normalize(v) for answer in card.expected + card.accept for v in expand_variants(answer)}
            candidates = sorted(
                (abs(len(text) - len(right)), key, text)
                for direction, key, text, card_id in self._answers
                if direction == card.key.variant and card_id != card.key.card and key not in rights
            )
            seen: set[str] = set()
            found: list[str] = []
            for _, key, text in candidates:
                if len(found) >= NEAREST_POOL:
                    break
                if key in seen:
                    continue
                seen.add(key)
                if not match_answer(text, card.expected + card.accept).accepted:
                    found.append(text)
            self._cache[cache_key] = found
        return self._cache[cache_key]

    def distractors(self, card: Card) -> list[str]:
        """The false claims that are also of similar length: the multiple-choice candidates."""
        right = answer_text(card)
        return [t for t in self.false_claims(card) if similar_length(t, right)]
