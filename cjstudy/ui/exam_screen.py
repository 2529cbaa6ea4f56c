"""The exam on screen: ask each question, read one typed line, then show the results.

Lines come from a `LineInput`: the terminal line editor (`ui/line_editor.py`, which draws
its own prompt, a live clock and stops at the deadline) or a pipe with one answer per line
(the prompt is printed here and, with `echo`, the answer repeated so a transcript reads
like a session). The clock and the console are passed in: tests drive the loop with a list
of lines and a fake clock.

A line that is no answer to the question's kind (a letter that is not an option, neither
true nor false, order numbers out of range) is refused with a one-line hint and asked
again. Ctrl-C ends the exam like a time-out: what was answered is scored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from cjstudy.exam.questions import Question, answer_problem, order_from_numbers, truefalse_words
from cjstudy.exam.score import Outcome, Tally, by_deck, by_tag, misses, self_mark, total, weakest
from cjstudy.grading.grade import GradeResult
from cjstudy.grading.text import display
from cjstudy.ui.card_view import LETTERS, marked
from cjstudy.ui.line_editor import TimeUp, clock_text as _clock_seconds

Grader = Callable[[Question, str], GradeResult]
Clock = Callable[[], datetime]


class LineInput(Protocol):
    """Where answers come from: `read` returns one line, None at end of input.

    A `live` input draws the prompt (and the clock, given a deadline) itself and raises
    `TimeUp` at the deadline; otherwise the prompt is printed before reading.
    """

    live: bool

    def read(self, prompt: str = "> ", deadline: datetime | None = None) -> str | None: ...


# How a run of questions ended: all asked, input ended, time ran out, Ctrl-C.
DONE, END_OF_INPUT, TIME_UP, INTERRUPTED = "", "end of input", "time up", "interrupted"


@dataclass(frozen=True)
class ExamRun:
    """One outcome per question (asked or not) and why the run stopped."""

    outcomes: list[Outcome]
    ended: str = DONE

    @property
    def interrupted(self) -> bool:
        return self.ended == INTERRUPTED

# --- one question ------------------------------------------------------------------------

KIND_LABEL = {
    "recall": "recall",
    "cloze": "fill the gap",
    "list": "list",
    "order": "put in order",
    "choice": "multiple choice",
    "truefalse": "true or false",
}
PROMPT = "> "
YES_WORDS = {"y", "yes", "j", "ja"}


def counter_line(number: int, count: int, remaining: timedelta | None = None) -> Text:
    """"Question 3/20", with the time left when there is a limit (and no live clock)."""
    line = Text(f"Question {number}/{count}", style="bold")
    if remaining is not None:
        line.append(f"  ·  {clock_text(remaining)} left", style="yellow")
    return line


def clock_text(remaining: timedelta) -> str:
    return _clock_seconds(remaining.total_seconds())


def how_to_answer(question: Question) -> str:
    card = question.source
    if question.kind == "choice":
        return "pick all that apply, e.g. a c" if question.multiple_answers else "type a letter, a number or the answer"
    if question.kind == "order":
        example = " ".join(str(n) for n in range(min(3, len(question.options)), 0, -1))
        return f"type the right order as numbers, e.g. {example}"
    if question.kind == "list":
        needed = card.min if card.min and card.min < len(card.items) else len(card.items)
        return f"{len(card.items)} items, separated by commas" + (
            f" (at least {needed})" if needed < len(card.items) else "")
    if question.kind == "truefalse":
        return truefalse_words(question.language).hint
    if question.kind == "cloze" and len(card.gaps) > 1:
        return f"{len(card.gaps)} gaps: answers separated by commas, in order"
    return "type the answer"


def question_body(question: Question) -> RenderableType:
    """The prompt, the options and one line saying how to answer."""
    parts: list[RenderableType] = [marked(question.prompt) if question.kind == "cloze" else Text(question.prompt)]
    if question.kind == "choice":
        parts.extend(Text(f"  {letter}) {option}") for letter, option in zip(LETTERS, question.options))
    elif question.kind == "order":
        parts.extend(Text(f"  {n}. {item}") for n, item in enumerate(question.options, 1))
    parts.append(Text(f"{how_to_answer(question)}; Enter on an empty line skips", style="dim"))
    return Group(*parts)


def header_title(question: Question) -> str:
    """Deck title and kind: never the card id, which can give the answer away."""
    kind = (truefalse_words(question.language).label if question.kind == "truefalse"
            else KIND_LABEL.get(question.kind, question.kind))
    return f"{question.deck_title or question.deck} · {kind}"


def question_view(question: Question, number: int, count: int, remaining: timedelta | None = None) -> RenderableType:
    return Group(counter_line(number, count, remaining),
                 Panel(question_body(question), title=header_title(question), title_align="left", padding=(0, 1)))


# --- the loop ----------------------------------------------------------------------------


def run_questions(questions: Sequence[Question], *, grade: Grader, reader: LineInput, console: Console,
                  clock: Clock, deadline: datetime | None = None, echo: bool = False,
                  on_outcome: Callable[[Outcome], None] | None = None) -> ExamRun:
    """Ask every question in turn; returns one outcome per question, asked or not.

    The run ends early at end of input, when `deadline` passes or on Ctrl-C: the questions
    left count as skipped. `on_outcome` runs right after each answer (that is where
    `--record` saves it), except for answers the grader is unsure of: those wait until the
    examinee has marked them (`mark_unsure`).
    """
    outcomes: list[Outcome] = []
    ended = DONE
    try:
        for number, question in enumerate(questions, 1):
            shown_at = clock()
            if deadline is not None and shown_at >= deadline:
                ended = TIME_UP
                break
            remaining = deadline - shown_at if deadline is not None and not reader.live else None
            console.print(question_view(question, number, len(questions), remaining))
            outcome, ended = _answer(question, grade, reader, console, clock, shown_at, deadline, echo)
            if outcome is not None:
                outcomes.append(outcome)
                if on_outcome is not None and not outcome.unsure:
                    on_outcome(outcome)
            if ended:
                break
            console.print()
    except KeyboardInterrupt:
        ended = INTERRUPTED
        console.print()
    for question in questions[len(outcomes):]:
        outcomes.append(Outcome(question, "", grade(question, ""), shown=False))
    _say_how_it_ended(console, ended, outcomes)
    return ExamRun(outcomes, ended)


def _answer(question: Question, grade: Grader, reader: LineInput, console: Console, clock: Clock,
            shown_at: datetime, deadline: datetime | None, echo: bool) -> tuple[Outcome | None, str]:
    """Read lines until one is an answer (or a skip); the outcome and whether the run ends."""
    while True:
        try:
            given = _ask(console, reader, echo, deadline=deadline)
        except TimeUp as up:
            return Outcome(question, up.text, grade(question, ""), late=True, duration_ms=_ms(shown_at, clock())), TIME_UP
        if given is None:
            return None, END_OF_INPUT
        answered_at = clock()
        if deadline is not None and answered_at > deadline:
            console.print(Text("Time ran out before that answer: it does not count.", style="yellow"))
            return Outcome(question, given, grade(question, ""), late=True,
                           duration_ms=_ms(shown_at, answered_at)), TIME_UP
        problem = answer_problem(question, given)
        if problem is None:
            return Outcome(question, given, grade(question, given), duration_ms=_ms(shown_at, answered_at)), DONE
        console.print(Text(problem, style="yellow"))


def _ms(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() * 1000))


def _say_how_it_ended(console: Console, ended: str, outcomes: Sequence[Outcome]) -> None:
    unshown = sum(not o.shown for o in outcomes)
    if not ended:
        return
    lead = {TIME_UP: "Time is up.", END_OF_INPUT: "End of input.", INTERRUPTED: "Exam stopped (Ctrl-C)."}[ended]
    if unshown:
        verb = "counts" if unshown == 1 else "count"
        lead += f" {unshown} question{'s' * (unshown != 1)} not reached {verb} as skipped."
    console.print(Text(lead, style="bold yellow"))


def ask_yes_no(console: Console, reader: LineInput, question: str, echo: bool = False) -> bool:
    """A [y/N] question: only y/yes (or j/ja) says yes; Enter and end of input say no."""
    answer = _ask(console, reader, echo, prompt=f"{question} [y/N] ")
    return answer is not None and answer.strip().casefold() in YES_WORDS


ECHO_CHARS = 300  # a piped answer is echoed up to this length


def _ask(console: Console, reader: LineInput, echo: bool, prompt: str = PROMPT,
         deadline: datetime | None = None) -> str | None:
    """Read one line (None at end of input); a pipe gets the prompt printed and the line echoed."""
    if reader.live:
        return reader.read(prompt, deadline)
    console.print(Text(prompt, style="bold") if prompt == PROMPT else Text(prompt), end="")
    _flush(console)
    line = reader.read(prompt, deadline)
    if line is None:
        console.print()
        return None
    if echo:  # a transcript needs the gist, not megabytes: wrapping 4 MB took seconds
        shown = line if len(line) <= ECHO_CHARS else f"{line[:ECHO_CHARS]}… ({len(line):,} characters)"
        console.print(Text(shown))
    return line


def _flush(console: Console) -> None:
    try:
        console.file.flush()
    except (OSError, ValueError):
        pass


# --- answers the grader is unsure of -------------------------------------------------------




# An answer as the student should read it: the grader's one rule (the first full reading of
# `(…)` and `a|b`, spaces tidied), named for what the review does with it.
plain_answer = display


def mark_unsure(outcomes: Sequence[Outcome], *, console: Console, reader: LineInput, echo: bool = False,
                on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Ask the examinee, for each answer the grader could not judge, whether it counts.

    Shown with the model answer; only y (or j) counts it. Returns the outcomes with the
    decisions; `on_outcome` then runs for each marked one (recording waits for the mark).
    """
    unsure = [i for i, o in enumerate(outcomes) if o.unsure and not o.self_marked]
    marked_outcomes = list(outcomes)
    if not unsure:
        return marked_outcomes
    console.print()
    console.print(Text(f"The grader could not judge {len(unsure)} answer{'s' * (len(unsure) != 1)}: "
                       "you decide.", style="bold"))
    for i in unsure:
        outcome = outcomes[i]
        console.print()
        console.print(_squeezed(f"{i + 1}. {_one_line(outcome.question.prompt)}", "bold"))
        console.print(_squeezed(f"   your answer: {_one_line(outcome.given)}"))
        console.print(_squeezed(f"   model answer: {_one_line(right_words(outcome))}", "green"))
        counts = ask_yes_no(console, reader, "   count it?", echo=echo)
        marked_outcomes[i] = self_mark(outcome, counts)
        if on_outcome is not None:
            on_outcome(marked_outcomes[i])
    return marked_outcomes


# --- results -----------------------------------------------------------------------------


def score_line(outcomes: Sequence[Outcome], label: str = "Score") -> Text:
    tally = total(outcomes)
    skipped = sum(o.skipped for o in outcomes)
    self_marked = sum(o.self_marked for o in outcomes)
    line = Text(f"{label}: {tally.correct}/{tally.questions} correct ({tally.fraction:.0%})", style="bold")
    line.append(f"  ·  points {tally.mean:.0%}", style="dim")
    if skipped:
        line.append(f"  ·  {skipped} skipped", style="dim")
    if self_marked:
        line.append(f"  ·  {self_marked} self-marked", style="dim")
    return line


def time_line(used: timedelta, limit: timedelta | None = None) -> Text:
    text = f"Time used: {clock_text(used)}"
    if limit is not None:
        text += f" of {clock_text(limit)}"
    return Text(text)


def deck_line(outcomes: Sequence[Outcome]) -> Text:
    """Every deck on one line (wrapped only when there are many): title correct/asked."""
    titles = {o.question.deck: o.question.deck_title or o.question.deck for o in outcomes}
    parts = [f"{titles.get(t.name, t.name)} {t.correct}/{t.questions}" for t in by_deck(outcomes)]
    return Text(("Decks: " if len(parts) > 1 else "Deck: ") + "  ·  ".join(parts))


def tags_line(outcomes: Sequence[Outcome], limit: int = 5) -> Text | None:
    rows = weakest(by_tag(outcomes), limit)
    if not rows:
        return None
    return Text("Weakest tags: " + "  ·  ".join(f"{t.name} {t.correct}/{t.questions}" for t in rows))


def given_words(outcome: Outcome) -> str:
    """What was typed, with the options it names spelled out (letters and numbers alone say little)."""
    if not outcome.shown:
        return "(not answered)"
    if outcome.late:
        return f"{outcome.given} (time was up)" if outcome.given.strip() else "(time was up)"
    given = outcome.given.strip()
    if not given:
        return "(skipped)"
    q = outcome.question
    if q.kind == "choice" and q.graded is not None:
        options = q.graded.options
        named = [o for o in outcome.result.matched + outcome.result.extra if o in options]
        if named and len(given) <= 3 * len(named) + 3:
            named.sort(key=options.index)
            return "; ".join(f"{LETTERS[options.index(o)]}) {o}" if options.index(o) < 26 else o for o in named)
    if q.kind == "order":
        items = order_from_numbers(given, q.options)
        if items is not None:
            return f"{given}: {' → '.join(items.splitlines())}"
    return given


def right_words(outcome: Outcome) -> str:
    """The right answer in plain words; for a false statement also what is true."""
    q = outcome.question
    if q.kind == "choice":  # option texts are shown as written: their brackets are not grading syntax
        return outcome.result.expected
    expected = plain_answer(outcome.result.expected)
    if q.kind == "truefalse" and not q.truth and q.right_answer:
        return f"{expected}; the right answer is {plain_answer(q.right_answer)}"
    if q.kind == "order" and q.source.items:
        return " → ".join(plain_answer(i) for i in q.source.items)
    return expected


def misses_view(outcomes: Sequence[Outcome]) -> RenderableType:
    """Each miss in at most three lines: the question, the answer given, the right answer."""
    parts: list[RenderableType] = []
    numbers = {id(o): n for n, o in enumerate(outcomes, 1)}
    for outcome in misses(outcomes):
        number = numbers[id(outcome)]
        parts.append(_squeezed(f"✗ {number}. {_one_line(outcome.question.prompt)}", "bold red"))
        parts.append(_squeezed(f"   your answer: {_one_line(given_words(outcome))}"))
        parts.append(_squeezed(f"   answer: {_one_line(right_words(outcome))}", "green"))
    return Group(*parts)


def results_view(outcomes: Sequence[Outcome], used: timedelta | None = None,
                 limit: timedelta | None = None) -> RenderableType:
    """Score, time and decks first; then the misses, the five weakest tags. Everything else
    (tables per kind and tag, feedback, explanations) is in the `--report` file."""
    parts: list[RenderableType] = [Text(""), score_line(outcomes)]
    if used is not None:
        parts.append(time_line(used, limit))
    parts.append(deck_line(outcomes))
    missed = misses(outcomes)
    if missed:
        parts += [Text(""), Text(f"Missed ({len(missed)}):", style="bold"), misses_view(outcomes)]
    else:
        parts += [Text(""), Text("No misses.", style="bold green")]
    tags = tags_line(outcomes)
    if tags is not None:
        parts += [Text(""), tags]
    return Group(*parts)


def _squeezed(text: str, style: str = "") -> Text:
    """One screen line: cut with … rather than wrapped."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
