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

# What a typed line may say to a true/false statement (compared after `normalize`).
TRUE_WORDS = frozenset({"t", "true", "w", "waar", "j", "ja", "y", "yes", "juist"})
FALSE_WORDS = frozenset({"f", "false", "o", "onwaar", "n", "nee", "no", "niet waar", "fout"})

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
    return "true" if question.truth else "false"


def _grade_truefalse(question: Question, given: str) -> GradeResult:
    said = parse_truth(given)
    expected = _truth_word(question)
    if said is None:
        return GradeResult(False, 0.0, expected, "answer t (true) or f (false)")
    correct = said == question.truth
    feedback = "" if question.truth or not question.right_answer else f"the answer is: {question.right_answer}"
    return GradeResult(correct, 1.0 if correct else 0.0, expected, feedback)


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
