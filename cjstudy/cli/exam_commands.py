"""`cjstudy exam`: a seeded mock test over chosen decks and tags, with a score and a JSON report.

The exam itself is pure (`cjstudy.exam`); this module picks the seed and the clock, reads
stdin, writes the report file and, only with `--record`, opens the progress store for
`exam/record.py`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, load_decks, now
from cjstudy.errors import UsageError

if TYPE_CHECKING:
    from cjstudy.exam.record import ExamRecorder
    from cjstudy.exam.score import Outcome
    from cjstudy.ui.exam_screen import LineInput

KINDS_HELP = "recall, cloze, list, order, choice, truefalse"
MAX_TIME_LIMIT = 7 * 24 * 60  # minutes; a week is plenty and keeps the deadline arithmetic finite


@app.command("exam")
def exam(
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Only this deck (repeatable; default: all decks)."),
    tag: Optional[list[str]] = typer.Option(None, "--tag", "-t", metavar="TAG",
                                            help="Only cards with this tag (repeatable; any of them)."),
    count: int = typer.Option(20, "-n", "--count", min=1, metavar="N", help="How many questions."),
    types: Optional[list[str]] = typer.Option(None, "--types", metavar="TYPES",
                                              help=f"Question kinds, comma-separated or repeated: {KINDS_HELP}."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="S",
                                        help="Seed for a reproducible exam (default: random, printed)."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", metavar="MIN",
                                               help="Minutes for the whole exam; unanswered questions count as skipped."),
    report: Optional[Path] = typer.Option(None, "--report", metavar="FILE",
                                          help="Write the results as JSON to FILE (score = fraction correct, 0-1)."),
    record: bool = typer.Option(False, "--record",
                                help="Log each answer as a review in your study schedule (default: the schedule is untouched)."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Take a mock exam: N mixed questions, one typed line each, then the score and every miss.

    \b
    How to answer (an empty line skips):
      multiple choice  a letter, a number or the option's text ("a c" for several)
      true/false       t or f; in Dutch decks j (juist) or n (onjuist) too
      put in order     the numbers in the right order, e.g. 3 1 2
      lists, gaps      the answers separated by commas

    A line that is no answer to the question (a letter that is not an option, not
    t or f) is refused with a hint and asked again; it never costs a mark. Editing:
    ← → Home End, Backspace, Delete, Ctrl-A/E/U/W, and ↑/↓ for earlier answers.

    With --time-limit the time left counts down on the answer line; at zero the exam ends
    and the results follow. Ctrl-C ends it the same way: the answered questions are scored,
    --report gets "interrupted": true, and the exit code is 130. Answers the grader cannot
    judge are shown with the model answer at the end, and you decide whether they count.

    The results fit one screen: score, time, decks, each miss in three lines, the five
    weakest tags, and the score again above the retest prompt. --report has everything
    (tables per deck, tag and kind; feedback; explanations). Answers may also be piped,
    one per line. The exam leaves your study schedule alone unless you pass --record.

    \b
    Examples:
      cjstudy exam -n 10 --deck touch-points
      cjstudy exam --types choice,truefalse --seed 7 --time-limit 10
      printf 't\\nf\\n' | cjstudy exam -n 2 --types truefalse --report result.json
    """
    import random
    from datetime import timedelta

    from cjstudy.exam.build import build_exam, parse_kinds
    from cjstudy.exam.questions import grade_question
    from cjstudy.exam.score import report as report_data
    from cjstudy.ui import exam_screen as screen
    from cjstudy.ui.console import make_console

    kinds = parse_kinds(types)
    if time_limit is not None and not 0 < time_limit <= MAX_TIME_LIMIT:
        raise UsageError(f"--time-limit must be a positive number of minutes up to {MAX_TIME_LIMIT} "
                         f"(got {time_limit:g})")
    if report is not None:
        _check_writable(report)
    deck_set = load_decks(decks)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    built = build_exam(deck_set.decks, random.Random(seed), count=count, deck_ids=deck or (),
                       tags=tag or (), kinds=kinds)
    console = make_console()
    chosen = sorted({q.deck for q in built.questions})
    console.print(f"Exam: {len(built.questions)} questions from {len(chosen)} deck{'s' * (len(chosen) != 1)} "
                  f"(seed {seed}; `--seed {seed}` repeats it).", highlight=False)
    if built.short:
        console.print(f"Only {len(built.questions)} questions available for this selection "
                      f"(asked for {built.requested}).", style="yellow", highlight=False)

    def grade(question, given):  # type: ignore[no-untyped-def]
        return grade_question(question, given, siblings=built.siblings.get(question.deck, ()))

    started = now()
    limit = timedelta(minutes=time_limit) if time_limit else None
    deadline = started + limit if limit is not None else None
    if limit is not None:
        console.print(f"Time limit: {screen.clock_text(limit)}.", highlight=False)
    console.print()
    reader = _line_input()
    echo = not reader.live
    with _recorder(record) as recorder:
        on_outcome = recorder.record if recorder is not None else None
        run = screen.run_questions(built.questions, grade=grade, reader=reader, console=console,
                                   clock=now, deadline=deadline, echo=echo, on_outcome=on_outcome)
        outcomes = run.outcomes
        interrupted = run.interrupted
        if not interrupted:
            try:
                outcomes = screen.mark_unsure(outcomes, console=console, reader=reader, echo=echo,
                                              on_outcome=on_outcome)
            except KeyboardInterrupt:
                interrupted = True
    finished = now()
    console.print(screen.results_view(outcomes, used=finished - started, limit=limit))
    if recorder is not None:
        console.print(f"Recorded {recorder.count} review{'s' * (recorder.count != 1)} in your study schedule.",
                      highlight=False)

    def save(retest: list["Outcome"], retest_interrupted: bool = False) -> None:
        if report is None:
            return
        data = report_data(outcomes, seed=seed, started=started, finished=finished, retest=retest,
                           requested=built.requested, kinds=list(built.kinds), recorded=record,
                           interrupted=interrupted, time_up=run.ended == screen.TIME_UP,
                           time_limit_minutes=time_limit)
        if retest_interrupted:
            data["retest_interrupted"] = True
        _write_json_atomic(report, data)

    save([])
    if report is not None:
        console.print(f"Report written to {report}.", highlight=False)
    console.print()
    console.print(screen.score_line(outcomes))
    if interrupted:
        raise typer.Exit(130)
    missed = [o.question for o in outcomes if not o.correct]
    try:
        if not missed or not screen.ask_yes_no(console, reader, f"Retest the {len(missed)} missed?", echo=echo):
            return
    except KeyboardInterrupt:
        console.print()
        raise typer.Exit(130) from None
    console.print()
    again = screen.run_questions(missed, grade=grade, reader=reader, console=console, clock=now, echo=echo)
    retest = again.outcomes
    if not again.interrupted:
        try:
            retest = screen.mark_unsure(retest, console=console, reader=reader, echo=echo)
        except KeyboardInterrupt:
            again = screen.ExamRun(retest, screen.INTERRUPTED)
    if any(not o.correct for o in retest):
        console.print(screen.misses_view(retest))
    console.print(screen.score_line(retest, "Retest"))
    save(retest, again.interrupted)
    if again.interrupted:
        raise typer.Exit(130)


def _line_input() -> "LineInput":
    """The line editor on a terminal; plain lines from a pipe or file."""
    from cjstudy.ui.line_editor import LineEditor, StreamLines

    if _is_terminal(sys.stdin) and _is_terminal(sys.stdout):
        return LineEditor(sys.stdout, now)
    return StreamLines(sys.stdin)


@contextmanager
def _recorder(record: bool) -> Iterator["ExamRecorder | None"]:
    """The store-backed recorder for `--record`, else None (the store is then never opened).

    The study command's helpers: the same daily backup before the first write, and the
    student's saved retention and fitted FSRS parameters, so an exam review schedules a card
    exactly as a study review would."""
    if not record:
        yield None
        return
    import random

    from cjstudy.cli.common import build_scheduler, open_store_for_writing
    from cjstudy.exam.record import ExamRecorder

    store = open_store_for_writing()
    try:
        yield ExamRecorder(store, build_scheduler(store, random.Random()), now)
    finally:
        store.close()


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _check_writable(path: Path) -> None:
    """Refuse a report path that cannot be written before the exam starts, not after."""
    if path.is_dir():
        raise UsageError(f"{path}: --report needs a file name, not a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{path}: folder {parent} is not writable")
    from cjstudy.transfer.atomic import check_output

    check_output(path)  # a device, pipe or symlink loop is refused now, not after the exam


def _write_json_atomic(path: Path, data: object) -> None:
    """The report appears whole or not at all (see `transfer/atomic.py` for links and modes)."""
    import json

    from cjstudy.transfer.atomic import atomic_path

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    with atomic_path(path) as temp:
        with temp.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
