"""The exam on screen: ask each question, read one typed line, then show the results.

Input is whole lines (Enter submits), so the same loop serves a terminal and a pipe with one
answer per line. The clock, the line reader and the console are passed in: tests drive the
loop with a list of lines and a fake clock. Line reading cannot be interrupted when time
runs out, so an answer typed after the deadline is not counted (and said so).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cjstudy.exam.questions import Question
from cjstudy.exam.score import Outcome, Tally, by_deck, by_kind, by_tag, misses, total
from cjstudy.grading.grade import GradeResult
from cjstudy.ui.card_view import LETTERS, marked

LineReader = Callable[[], "str | None"]  # one line without its newline, None at end of input
Grader = Callable[[Question, str], GradeResult]
Clock = Callable[[], datetime]

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
# Feedback that says nothing the "your answer" line does not already say.
QUIET_FEEDBACK = {"skipped", "no answer given"}


# --- one question ------------------------------------------------------------------------


def counter_line(number: int, count: int, remaining: timedelta | None = None) -> Text:
    """"Question 3/20", with the time left when there is a limit."""
    line = Text(f"Question {number}/{count}", style="bold")
    if remaining is not None:
        line.append(f"  ·  {clock_text(remaining)} left", style="yellow")
    return line


def clock_text(remaining: timedelta) -> str:
    seconds = max(0, int(remaining.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def question_body(question: Question) -> RenderableType:
    """The prompt, the options and one line saying how to answer."""
    card = question.source
    parts: list[RenderableType] = [marked(question.prompt) if question.kind == "cloze" else Text(question.prompt)]
    if question.kind == "choice":
        parts.extend(Text(f"  {letter}) {option}") for letter, option in zip(LETTERS, question.options))
        how = "pick all that apply, e.g. a c" if question.multiple_answers else "type a letter, a number or the answer"
    elif question.kind == "order":
        parts.extend(Text(f"  {n}. {item}") for n, item in enumerate(question.options, 1))
        example = " ".join(str(n) for n in range(min(3, len(question.options)), 0, -1))
        how = f"type the right order as numbers, e.g. {example}"
    elif question.kind == "list":
        needed = card.min if card.min and card.min < len(card.items) else len(card.items)
        how = f"{len(card.items)} items, separated by commas" + (f" (at least {needed})" if needed < len(card.items) else "")
    elif question.kind == "truefalse":
        how = "t (true) or f (false)"
    elif question.kind == "cloze" and len(card.gaps) > 1:
        how = f"{len(card.gaps)} gaps: answers separated by commas, in order"
    else:
        how = "type the answer"
    parts.append(Text(f"{how}; Enter on an empty line skips", style="dim"))
    return Group(*parts)


def question_view(question: Question, number: int, count: int, remaining: timedelta | None = None) -> RenderableType:
    title = f"{question.key.address} · {KIND_LABEL.get(question.kind, question.kind)}"
    return Group(counter_line(number, count, remaining),
                 Panel(question_body(question), title=title, title_align="left", padding=(0, 1)))


# --- the loop ----------------------------------------------------------------------------


def run_questions(questions: Sequence[Question], *, grade: Grader, read_line: LineReader, console: Console,
                  clock: Clock, deadline: datetime | None = None, echo: bool = False,
                  on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Ask every question in turn; returns one outcome per question, asked or not.

    The exam ends early at end of input or when `deadline` passes: the questions left count
    as skipped. `on_outcome` runs right after each answer (that is where `--record` saves it).
    `echo` repeats piped answers so a transcript reads like a session.
    """
    outcomes: list[Outcome] = []
    ended = ""
    for number, question in enumerate(questions, 1):
        shown_at = clock() if not ended else None
        if shown_at is not None and deadline is not None and shown_at >= deadline:
            ended = "Time is up."
        if ended or shown_at is None:
            outcomes.append(Outcome(question, "", grade(question, ""), shown=False))
            continue
        remaining = deadline - shown_at if deadline is not None else None
        console.print(question_view(question, number, len(questions), remaining))
        given = _ask(console, read_line, echo)
        if given is None:
            ended = "End of input."
            outcomes.append(Outcome(question, "", grade(question, ""), shown=False))
            continue
        answered_at = clock()
        duration_ms = max(0, int((answered_at - shown_at).total_seconds() * 1000))
        if deadline is not None and answered_at > deadline:
            ended = "Time is up."
            console.print(Text("Time ran out before that answer: it does not count.", style="yellow"))
            outcome = Outcome(question, given, grade(question, ""), late=True, duration_ms=duration_ms)
        else:
            outcome = Outcome(question, given, grade(question, given), duration_ms=duration_ms)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        console.print()
    unshown = sum(not o.shown for o in outcomes)
    if ended and unshown:
        verb = "counts" if unshown == 1 else "count"
        console.print(Text(f"{ended} {unshown} question{'s' * (unshown != 1)} not reached {verb} as skipped.",
                           style="yellow"))
    return outcomes


def ask_yes_no(console: Console, read_line: LineReader, question: str, echo: bool = False) -> bool:
    """A [y/N] question: only y/yes (or j/ja) says yes; Enter and end of input say no."""
    answer = _ask(console, read_line, echo, Text(f"{question} [y/N] "))
    return answer is not None and answer.strip().casefold() in YES_WORDS


def _ask(console: Console, read_line: LineReader, echo: bool, prompt: Text | None = None) -> str | None:
    """Show the prompt, read one line (None at end of input), echo it when input is piped."""
    console.print(prompt if prompt is not None else Text(PROMPT, style="bold"), end="")
    _flush(console)
    line = read_line()
    if line is None:
        console.print()
        return None
    if echo:
        console.print(Text(line))
    return line


def _flush(console: Console) -> None:
    try:
        console.file.flush()
    except (OSError, ValueError):
        pass


# --- results -----------------------------------------------------------------------------


def score_line(outcomes: Sequence[Outcome], label: str = "Score") -> Text:
    tally = total(outcomes)
    skipped = sum(o.skipped for o in outcomes)
    line = Text(f"{label}: {tally.correct}/{tally.questions} correct ({tally.fraction:.0%})", style="bold")
    line.append(f"  ·  points {tally.mean:.0%}", style="dim")
    if skipped:
        line.append(f"  ·  {skipped} skipped", style="dim")
    return line


def tally_table(title: str, rows: Sequence[Tally]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column(title.split()[-1] if title else "", overflow="fold")
    table.add_column("questions", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("score", justify="right")
    for row in rows:
        table.add_row(row.name, str(row.questions), str(row.correct), f"{row.fraction:.0%}")
    return table


def misses_view(outcomes: Sequence[Outcome]) -> RenderableType:
    """Each miss: what was asked, what was typed, the right answer, why, and the explanation."""
    parts: list[RenderableType] = []
    for outcome in misses(outcomes):
        q = outcome.question
        parts.append(Text(f"✗ {q.key.address} · {KIND_LABEL.get(q.kind, q.kind)}", style="bold red"))
        lines: list[RenderableType] = [Text(_one_line(q.prompt))]
        if q.kind in ("choice", "order") and q.options:
            labels = [f"{letter})" for letter in LETTERS] if q.kind == "choice" else [
                f"{n}." for n in range(1, len(q.options) + 1)]
            lines.extend(Padding(Text(f"{label} {option}", style="dim"), (0, 0, 0, 2), expand=False)
                         for label, option in zip(labels, q.options))
        if not outcome.shown:
            given = "(not reached)"
        elif outcome.late:
            given = f"{outcome.given} (too late)"
        else:
            given = outcome.given if outcome.given.strip() else "(skipped)"
        lines.append(Text(f"your answer: {given}"))
        lines.append(Text(f"expected: {outcome.result.expected}", style="green"))
        feedback = outcome.result.feedback
        if feedback and feedback not in QUIET_FEEDBACK:
            lines.append(Text(feedback, style="yellow"))
        if q.explanation:
            lines.append(Text(q.explanation, style="italic"))
        parts.append(Padding(Group(*lines), (0, 0, 1, 2), expand=False))
    return Group(*parts)


def results_view(outcomes: Sequence[Outcome]) -> RenderableType:
    """The score, the tables per deck, tag and kind, then every miss."""
    parts: list[RenderableType] = [Text(""), score_line(outcomes), Text("")]
    parts += [tally_table("By deck", by_deck(outcomes)), Text("")]
    parts += [tally_table("By tag", by_tag(outcomes)), Text("")]
    parts += [tally_table("By kind", by_kind(outcomes)), Text("")]
    if misses(outcomes):
        parts += [Text(f"Missed ({len(misses(outcomes))})", style="bold"), misses_view(outcomes)]
    else:
        parts.append(Text("No misses.", style="bold green"))
    return Group(*parts)


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
