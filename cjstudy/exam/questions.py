"""Mock-exam questions: what one question shows and how a typed line answering it is graded.

A question is always about one card (its key is what a recorded review belongs to), but it
need not ask the card the way studying does: a basic card can come up as typed recall, as
multiple choice with distractors from its siblings, or as a true/false statement. Building
an exam lives in `exam/build.py`, scoring and the report in `exam/score.py`; this module holds the
shared shape and the grading, so both agree on what an answer means.
Pure: no clock, no I/O, no drawing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cjstudy.errors import CjstudyError
from cjstudy.grading.grade import GradeResult, grade, normalize
from cjstudy.model import Card, CardKey

# Names used by `--types` and the report's `type`, in the order tables list them.
KINDS = ("recall", "cloze", "list", "order", "choice", "truefalse")

# What a typed line may say to a true/false statement (compared after `normalize`). Every
# language's words are accepted everywhere; the hint shows the deck language's keys.
TRUE_WORDS = frozenset({"t", "true", "w", "waar", "j", "ja", "y", "yes", "juist"})
FALSE_WORDS = frozenset({"f", "false", "o", "onwaar", "n", "nee", "no", "niet waar", "fout", "onjuist"})


@dataclass(frozen=True)
class TrueFalseWords:
    """How a true/false statement reads in one deck language, and the keys it names."""

    template: str  # with {question} and {claim}
    true: str
    false: str
    hint: str  # the keys, as the question's how-to-answer line shows them
    label: str  # the kind, as the question header names it


TRUEFALSE_WORDS = {
    "en": TrueFalseWords('True or false: the answer to "{question}" is "{claim}".', "true", "false",
                         "t (true) or f (false)", "true or false"),
    "nl": TrueFalseWords('Juist of onjuist: het antwoord op "{question}" is "{claim}".', "juist", "onjuist",
                         "j (juist) or n (onjuist); t/f work too", "juist of onjuist"),
}


def truefalse_words(language: str) -> TrueFalseWords:
    """The deck language's wording; English for a language without its own."""
    return TRUEFALSE_WORDS.get(language.split("-")[0].casefold(), TRUEFALSE_WORDS["en"])

SKIPPED_FEEDBACK = "skipped"


class NoQuestionsError(CjstudyError):
    """The selected decks, tags and kinds leave nothing to ask."""


@dataclass(frozen=True)
class Question:
    """One exam question.

    `graded` is the card `grading.grade` sees: for choice questions a choice card whose
    options are in the shown order (so "b" means the second line shown), for generated
    multiple choice a synthetic choice card with the distractors. `options` are the lines
    shown under the prompt: lettered for choice, numbered (shuffled items) for order.
    `truth` is set only for true/false statements; `claim` is the answer they assert.
    """

    source: Card
    kind: str
    prompt: str
    graded: Card | None = None
    options: tuple[str, ...] = ()
    truth: bool | None = None
    claim: str = ""
    right_answer: str = ""  # for true/false: the card's own answer, shown after a miss
    deck_title: str = ""  # shown in the header instead of the card id (which gives answers away)
    language: str = "en"  # the deck's language: true/false wording and keys

    @property
    def key(self) -> CardKey:
        return self.source.key

    @property
    def deck(self) -> str:
        return self.source.key.deck

    @property
    def tags(self) -> tuple[str, ...]:
        return self.source.tags

    @property
    def explanation(self) -> str | None:
        return self.source.explanation

    @property
    def multiple_answers(self) -> bool:
        return self.graded is not None and self.graded.multiple_answers


def grade_question(question: Question, given: str, *, siblings: Sequence[Card] = ()) -> GradeResult:
    """Grade one typed line; a blank line is a skip and counts as wrong."""
    given = given if isinstance(given, str) else str(given)
    if not given.strip():
        return _skipped(question, siblings)
    if question.kind == "truefalse":
        return _grade_truefalse(question, given)
    card = question.graded or question.source
    if question.kind == "order":
        given = order_from_numbers(given, question.options) or given
    return grade(card, given, siblings=siblings)


def expected_answer(question: Question, siblings: Sequence[Card] = ()) -> str:
    """The right answer as shown in the results and the report."""
    return _skipped(question, siblings).expected


def _skipped(question: Question, siblings: Sequence[Card]) -> GradeResult:
    if question.kind == "truefalse":
        return GradeResult(False, 0.0, _truth_word(question), SKIPPED_FEEDBACK)
    result = grade(question.graded or question.source, "", siblings=siblings)
    return GradeResult(False, 0.0, result.expected, SKIPPED_FEEDBACK)


# --- true / false ------------------------------------------------------------------------


def parse_truth(given: str) -> bool | None:
    """t/f, true/false, waar/onwaar, j/n (and yes/no, ja/nee); None when it is neither."""
    said = normalize(given)
    if said in TRUE_WORDS:
        return True
    if said in FALSE_WORDS:
        return False
    return None


def _truth_word(question: Question) -> str:
    words = truefalse_words(question.language)
    return words.true if question.truth else words.false


def _grade_truefalse(question: Question, given: str) -> GradeResult:
    said = parse_truth(given)
    expected = _truth_word(question)
    if said is None:
        return GradeResult(False, 0.0, expected, f"answer {truefalse_words(question.language).hint}")
    correct = said == question.truth
    feedback = "" if question.truth or not question.right_answer else f"the answer is: {question.right_answer}"
    return GradeResult(correct, 1.0 if correct else 0.0, expected, feedback)


# --- is this line an answer at all? ------------------------------------------------------


def answer_problem(question: Question, given: str) -> str | None:
    """Why `given` is not an answer to this kind of question (one line), or None when it is.

    Only the form is checked, never the content: a letter that is not an option, a word that
    is not true or false, order numbers out of range or repeated. Such a line is asked again
    instead of being scored; a blank line (a skip) is always an answer.
    """
    if not given.strip():
        return None
    if question.kind == "truefalse":
        if parse_truth(given) is None:
            return f"Answer {truefalse_words(question.language).hint}."
        return None
    if question.kind == "choice" and question.graded is not None:
        return _choice_problem(question, given)
    if question.kind == "order" and question.options:
        return _order_problem(question, given)
    return None


def _choice_problem(question: Question, given: str) -> str | None:
    card = question.graded
    assert card is not None
    count = len(card.options)
    how = f"type a–{LETTERS[min(count, 26) - 1]}, 1–{count} or an option's text"
    result = grade(card, given)
    options = set(card.options)
    picked = [o for o in result.matched + result.extra if o in options]
    unknown = [e for e in result.extra if e not in options]
    if unknown or not picked:
        shown = unknown[0] if unknown else given.strip()
        return f"'{_short(shown)}' is not an option: {how}."
    if len(picked) > 1 and not card.multiple_answers:
        return f"One option only: {how}."
    return None


def _order_problem(question: Question, given: str) -> str | None:
    count = len(question.options)
    tokens = [t.rstrip(".)") for t in _NUMBER_SPLIT.split(given.strip()) if t]
    if not tokens or not all(t.isdecimal() for t in tokens):
        return None  # item names: graded as text
    if len(tokens) == 1 and count < 10 and len(tokens[0]) > 1:
        tokens = list(tokens[0])
    numbers = [int(t) for t in tokens]
    how = f"type each number 1–{count} once, in the right order"
    if any(not 1 <= n <= count for n in numbers):
        return f"There is no item {next(n for n in numbers if not 1 <= n <= count)}: {how}."
    if len(set(numbers)) != len(numbers) or len(numbers) != count:
        return f"{how[0].upper()}{how[1:]}."
    return None


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- ordering ----------------------------------------------------------------------------

_NUMBER_SPLIT = re.compile(r"[\s,;/>\-→]+")


def order_from_numbers(given: str, shown: Sequence[str]) -> str | None:
    """Turn "3 1 2" (positions in the shown, shuffled list) into the items, one per line.

    "312" also works when there are fewer than ten items. Returns None when the text is not
    only numbers in range, so typed item names are graded as they are.
    """
    text = given.strip()
    if not text or not shown:
        return None
    tokens = [t for t in _NUMBER_SPLIT.split(text) if t]
    if len(tokens) == 1 and tokens[0].isdecimal() and len(shown) < 10 and len(tokens[0]) > 1:
        tokens = list(tokens[0])
    if not tokens or not all(t.rstrip(".)").isdecimal() for t in tokens):
        return None
    positions = [int(t.rstrip(".)")) for t in tokens]
    if not all(1 <= p <= len(shown) for p in positions):
        return None
    return "\n".join(shown[p - 1] for p in positions)
