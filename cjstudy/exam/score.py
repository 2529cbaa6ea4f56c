"""Scoring a finished exam: totals, per deck / tag / kind, the misses, the report, the ratings.

Choices made here:
- The headline `score` is the fraction of questions answered correctly (0–1), so a list
  with 3 of 4 items counts as wrong however close it was; `points` (the mean of the
  per-question partial scores) is reported next to it.
- A question never shown (input ended, or time ran out) counts as skipped and wrong, like a
  blank answer, but is not turned into a review: the student never saw it. Neither is an
  answer typed after the time limit (it does not count, so it says nothing either way).
- Ratings for `--record`: wrong → Again; right with a typo or with partial credit (a list
  passed at its `min`) → Hard; right → Good.
Pure: the times come in as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from cjstudy.exam.questions import KINDS, Question
from cjstudy.grading.grade import GradeResult
from cjstudy.model import Rating

NO_TAG = "(no tag)"


@dataclass(frozen=True)
class Outcome:
    """One question with the line typed for it and its grade."""

    question: Question
    given: str
    result: GradeResult
    shown: bool = True  # False: the exam ended (EOF, time up) before this question came up
    late: bool = False  # typed after the time limit ran out, so not counted
    duration_ms: int | None = None  # from showing the question to Enter
    # The grader was unsure and the examinee judged the answer against the model answer;
    # `result` then holds their decision (correct or wrong) and `unsure` the grader's result.
    self_marked: bool = False

    @property
    def unsure(self) -> bool:
        """The grader could not tell; the examinee is asked at the end whether it counts."""
        return self.result.verdict == "unsure"

    @property
    def answered(self) -> bool:
        """An answer was given in time (a blank line, a skip, is not an answer)."""
        return self.shown and not self.late and bool(self.given.strip())

    @property
    def correct(self) -> bool:
        return self.result.correct

    @property
    def skipped(self) -> bool:
        return not self.shown or self.late or not self.given.strip()


@dataclass(frozen=True)
class Tally:
    """One row of a results table."""

    name: str
    questions: int
    correct: int
    points: float  # sum of per-question scores

    @property
    def fraction(self) -> float:
        return self.correct / self.questions if self.questions else 0.0

    @property
    def mean(self) -> float:
        return self.points / self.questions if self.questions else 0.0


def total(outcomes: Sequence[Outcome]) -> Tally:
    return _tally("total", outcomes)


def by_deck(outcomes: Sequence[Outcome]) -> list[Tally]:
    return _grouped(outcomes, lambda o: [o.question.deck])


def by_tag(outcomes: Sequence[Outcome]) -> list[Tally]:
    """A card with several tags counts in each of their rows; untagged cards under NO_TAG."""
    return _grouped(outcomes, lambda o: list(o.question.tags) or [NO_TAG])


def by_kind(outcomes: Sequence[Outcome]) -> list[Tally]:
    rows = _grouped(outcomes, lambda o: [o.question.kind])
    return sorted(rows, key=lambda t: KINDS.index(t.name) if t.name in KINDS else len(KINDS))


def misses(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.correct]


def weakest(rows: Sequence[Tally], limit: int = 5) -> list[Tally]:
    """The rows with misses, lowest fraction correct first (more questions first on a tie)."""
    missed = [r for r in rows if r.correct < r.questions]
    return sorted(missed, key=lambda r: (r.fraction, -r.questions, r.name))[:limit]


def self_mark(outcome: Outcome, counts: bool) -> Outcome:
    """The examinee's decision on an answer the grader was unsure about."""
    from dataclasses import replace

    result = replace(outcome.result, correct=counts, score=1.0 if counts else 0.0,
                     verdict="correct" if counts else "wrong")
    return replace(outcome, result=result, self_marked=True)


def rating_for(outcome: Outcome) -> Rating | None:
    """The review rating an exam answer stands for; None when the question was never seen."""
    if not outcome.shown or outcome.late:
        return None
    result = outcome.result
    if not result.correct:
        return Rating.AGAIN
    if result.typo or result.score < 1.0:
        return Rating.HARD
    return Rating.GOOD


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second."""
    if moment.tzinfo is None:
        raise ValueError("exam times must be timezone-aware")
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def question_record(outcome: Outcome) -> dict[str, object]:
    """One entry of the report's `questions` list."""
    q = outcome.question
    record: dict[str, object] = {
        "deck": q.key.deck,
        "card": q.key.card,
        "variant": q.key.variant,
        "type": q.kind,
        "prompt": q.prompt,
        "given": outcome.given,
        "expected": outcome.result.expected,
        "correct": outcome.result.correct,
        "score": outcome.result.score,
        "skipped": outcome.skipped,
        "feedback": outcome.result.feedback,
        "verdict": outcome.result.verdict,
        "self_marked": outcome.self_marked,
        "shown": outcome.shown,
        "answered": outcome.answered,
        "tags": list(q.tags),
    }
    if q.explanation:
        record["explanation"] = q.explanation
    if q.options:
        record["options"] = list(q.options)
    if outcome.duration_ms is not None:
        record["seconds"] = round(outcome.duration_ms / 1000, 1)
    return record


def report(outcomes: Sequence[Outcome], *, seed: int | None, started: datetime, finished: datetime,
           retest: Iterable[Outcome] = (), **extra: object) -> dict[str, object]:
    """The `--report` JSON: `score` is the fraction correct (see the module notes)."""
    tally = total(outcomes)
    data: dict[str, object] = {
        "score": round(tally.fraction, 4),
        "seed": seed,
        "started": iso_utc(started),
        "finished": iso_utc(finished),
        "questions": [question_record(o) for o in outcomes],
        "correct": tally.correct,
        "total": tally.questions,
        "points": round(tally.mean, 4),
        "answered": sum(o.answered for o in outcomes),
        "self_marked": sum(o.self_marked for o in outcomes),
        "by_kind": _table(by_kind(outcomes)),
        "by_deck": _table(by_deck(outcomes)),
        "by_tag": _table(by_tag(outcomes)),
    }
    retest = list(retest)
    if retest:
        data["retest"] = [question_record(o) for o in retest]
    data.update(extra)
    return data


def _table(rows: Sequence[Tally]) -> dict[str, dict[str, int]]:
    return {t.name: {"questions": t.questions, "correct": t.correct} for t in rows}


def _tally(name: str, outcomes: Iterable[Outcome]) -> Tally:
    items = list(outcomes)
    return Tally(name, len(items), sum(o.correct for o in items), sum(o.result.score for o in items))


def _grouped(outcomes: Sequence[Outcome], names: Callable[[Outcome], list[str]]) -> list[Tally]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        for name in dict.fromkeys(names(outcome)):
            groups.setdefault(name, []).append(outcome)
    return [_tally(name, groups[name]) for name in sorted(groups)]
