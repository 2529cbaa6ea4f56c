"""`optimize`, `plan` and `simulate`: fitting FSRS to the student, planning to an exam, what-ifs.

The work is in `cjstudy.memory.optimizer`, `cjstudy.study.pacing` and `cjstudy.memory.simulation`; this
module reads the store (never creating one just to read), the clock and the local time zone, and
picks what to print. Heavy imports stay inside the commands.
"""

from __future__ import annotations

import sys

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, load_decks, now
from cjstudy.cli.insight_support import (
    existing_store, int_setting, local_day_of, memory_model_of, parameters_of, profile_of,
)
from cjstudy.errors import UsageError

if TYPE_CHECKING:
    from cjstudy.store import Store

MAX_DAYS = 3650


# --- optimize ----------------------------------------------------------------------------


@app.command("optimize")
def optimize(
    reviews: Optional[Path] = typer.Option(
        None, "--reviews", metavar="CSV",
        help="Fit to this review log (columns card_id, review_rating, review_time, review_duration) "
             "instead of your own history."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object instead of a table."),
    apply: bool = typer.Option(False, "--apply", help="Save the fitted weights; `study` schedules with them."),
) -> None:
    """Fit the FSRS memory model to your own reviews and show how much better it predicts.

    The score is honest: weights are fitted on earlier reviews and judged on later ones they
    never saw (log loss and RMSE in bins, as the FSRS benchmark measures them), next to the
    default weights on the same reviews. Needs 400 reviews made on a later day than the
    card's previous one.

    Examples: cjstudy optimize  ·  cjstudy optimize --apply  ·  cjstudy optimize --reviews log.csv --json
    """
    import json

    from cjstudy.memory.optimizer import LoggedReview, check_enough, read_reviews_csv, utc_day
    from cjstudy.memory.optimizer import optimize as run_optimize

    if reviews is not None:
        logged = read_reviews_csv(reviews)
        day_of = utc_day
        source = f"{reviews.name}, UTC days"
    else:
        with existing_store() as store:
            rows = [] if store is None else list(store.review_rows())
        logged = [LoggedReview(row.key.address, row.reviewed_at, int(row.rating), row.duration_ms, row.state_before)
                  for row in rows]
        day_of = local_day_of()
        source = "your review log"
        if not logged:
            check_enough(0)
    result = _with_progress(lambda progress: run_optimize(logged, day_of=day_of, progress=progress))
    if apply:
        _apply(result.parameters)
    if as_json:
        data = result.to_dict()
        data["applied"] = apply
        typer.echo(json.dumps(data, indent=2))
        return
    from cjstudy.ui.console import make_console
    from cjstudy.ui.insight_view import optimize_table

    console = make_console()
    console.print(optimize_table(result, source))
    if result.optimized.log_loss > result.default.log_loss:
        console.print("Note: on log loss the default weights did as well or better on the later reviews; "
                      "the fitted ones mainly improve calibration (RMSE).")
    if apply:
        console.print("Weights saved: `cjstudy study` now schedules with them.")
    else:
        console.print("Run again with --apply to schedule with these weights.")


def _with_progress(work: Callable[[Callable[[int, int, str], None]], Any]) -> Any:
    """Run `work(progress)` under a Rich progress bar on stderr (only when stderr is a terminal)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from cjstudy.ui.console import make_console

    console = make_console(stderr=True)
    if not console.is_terminal:
        return work(lambda done, total, what: None)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("fitting", total=1)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        return work(progress)


def _apply(parameters: tuple[float, ...]) -> None:
    from cjstudy.cli.common import PARAMETERS_SETTING, open_store_for_writing
    from cjstudy.memory.scheduler import Scheduler, SchedulerConfig

    Scheduler(SchedulerConfig(parameters=parameters))  # the scheduler must accept them before they are saved
    store = open_store_for_writing()
    try:
        store.set_setting(PARAMETERS_SETTING, list(parameters), now=now())
    finally:
        store.close()


# --- plan --------------------------------------------------------------------------------


def parse_exam_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--exam: {text!r} is not a date like 2025-06-30") from None


@app.command("plan")
def plan(
    exam: Optional[str] = typer.Option(None, "--exam", metavar="DATE",
                                       help="Exam date, YYYY-MM-DD (default: the saved one)."),
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Only this deck (repeatable; default: all)."),
    tag: Optional[list[str]] = typer.Option(None, "--tag", "-t", metavar="TAG",
                                            help="Only cards with this tag (repeatable: any of them)."),
    save: bool = typer.Option(False, "--save", help="Save the exam: `study` then paces new cards and brings "
                                                   "weak cards forward for it."),
    clear: bool = typer.Option(False, "--clear", help="Remove the saved exam."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object instead of a table."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Plan day by day to an exam: new cards, reviews and minutes, and recall on exam day.

    Starts from your real progress; the expected figures average several simulated runs of
    the FSRS memory model (your fitted weights if you ran `optimize --apply`). Compares plain
    FSRS with exam-aware scheduling (new cards paced to finish 3 days early, weak cards
    reviewed again shortly before the exam).

    Examples: cjstudy plan --exam {in_30_days}  ·  cjstudy plan --exam {in_30_days} --deck touch-points --save
    ·  cjstudy plan --clear
    """
    import json

    from cjstudy.study.pacing import EXAM_SETTING, ExamPlan

    if clear:
        if exam is not None or save:
            raise UsageError("--clear removes the saved exam; it cannot be combined with --exam or --save")
        _clear_exam()
        return
    with existing_store() as store:
        saved = ExamPlan.from_setting(store.get_setting(EXAM_SETTING)) if store is not None else None
        if exam is None and saved is None:
            raise UsageError("no exam saved; give its date with --exam YYYY-MM-DD")
        when = parse_exam_date(exam) if exam is not None else saved.date  # type: ignore[union-attr]
        chosen_decks = tuple(deck or ()) or (saved.decks if exam is None and saved else ())
        chosen_tags = tuple(tag or ()) or (saved.tags if exam is None and saved else ())
        target = ExamPlan(when, chosen_decks, chosen_tags)
        figures = _plan_figures(target, decks, store)
    if save:
        _save_exam(target)
    if as_json:
        typer.echo(json.dumps(figures["json"], indent=2, ensure_ascii=False))
        return
    from cjstudy.ui.console import make_console
    from cjstudy.ui.insight_view import plan_group

    console = make_console()
    console.print(plan_group(target.date, figures["today"], figures["fsrs"], figures["exam"], figures["cards"],
                             figures["started"]))
    if save:
        console.print(f"Exam saved: `cjstudy study` now plans for {target.date.isoformat()} "
                      "(`cjstudy plan --clear` removes it).")


def _plan_figures(target: Any, deck_dirs: Optional[list[Path]], store: "Store | None") -> dict[str, Any]:
    from cjstudy.cli.common import NEW_PER_DAY_SETTING, RETENTION_SETTING
    from cjstudy.study.pacing import forecast_plan
    from cjstudy.study.session import DEFAULT_NEW_PER_DAY, select_decks

    day_of = local_day_of()
    today = day_of(now())
    exam_day = target.date.toordinal()
    if exam_day <= today:
        raise UsageError(f"the exam date {target.date.isoformat()} must be after today "
                         f"({date.fromordinal(today).isoformat()})")
    if exam_day - today > MAX_DAYS:
        raise UsageError(f"the exam date {target.date.isoformat()} is more than {MAX_DAYS} days away")
    deck_set = load_decks(deck_dirs)
    chosen = select_decks(deck_set.decks, target.decks)
    wanted = set(target.tags)
    cards = [c.key for d in chosen for c in d.cards if not wanted or not wanted.isdisjoint(c.tags)]
    if not cards:
        raise UsageError(f"no card has the tag {', '.join(repr(t) for t in target.tags)}" if target.tags
                         else "the chosen decks have no cards")
    states = store.states([d.id for d in chosen]) if store is not None else {}
    retention = store.get_setting(RETENTION_SETTING, 0.9) if store is not None else 0.9
    forecast = forecast_plan(
        cards, states, today=today, exam_day=exam_day, day_of=day_of,
        new_per_day=int_setting(store, NEW_PER_DAY_SETTING, DEFAULT_NEW_PER_DAY),
        desired_retention=float(retention) if isinstance(retention, (int, float)) else 0.9,
        model=memory_model_of(store), profile=profile_of(store))
    fsrs, exam, started = forecast.fsrs, forecast.exam, forecast.started
    today_date = date.fromordinal(today)
    data = {
        "exam": target.date.isoformat(), "today": today_date.isoformat(), "cards": forecast.cards, "started": started,
        "decks": [d.id for d in chosen], "tags": list(target.tags),
        "days": [{"date": date.fromordinal(today + d.day).isoformat(), "new": d.new, "reviews": d.reviews,
                  "minutes": round(d.seconds / 60, 1)} for d in exam.days],
        "recall_at_exam": {"fsrs": round(fsrs.recall_at_exam, 4), "exam_aware": round(exam.recall_at_exam, 4)},
        "review_minutes": {"fsrs": round(fsrs.review_minutes, 1), "exam_aware": round(exam.review_minutes, 1)},
    }
    return {"json": data, "today": today_date, "fsrs": fsrs, "exam": exam, "cards": forecast.cards, "started": started}


def _save_exam(target: Any) -> None:
    from cjstudy.cli.common import open_store_for_writing
    from cjstudy.study.pacing import EXAM_SETTING

    store = open_store_for_writing()
    try:
        store.set_setting(EXAM_SETTING, target.to_setting(), now=now())
    finally:
        store.close()


def _clear_exam() -> None:
    from cjstudy.study.pacing import EXAM_SETTING

    with existing_store() as store:
        removed = store is not None and store.get_setting(EXAM_SETTING) is not None
    if removed:
        from cjstudy.cli.common import open_store_for_writing

        store = open_store_for_writing()
        try:
            store.delete_setting(EXAM_SETTING)
        finally:
            store.close()
    typer.echo("Exam removed: `cjstudy study` schedules with plain FSRS again." if removed
               else "No exam was saved.")


# --- simulate ----------------------------------------------------------------------------


@app.command("simulate")
def simulate(
    cards: int = typer.Option(200, "--cards", min=1, max=100_000, metavar="N", help="Cards to learn."),
    new_per_day: int = typer.Option(20, "--new-per-day", min=1, metavar="N", help="New cards a day."),
    exam_in: int = typer.Option(21, "--exam-in", min=1, max=MAX_DAYS, metavar="DAYS",
                                help="Days from the first study day to the exam."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Seed: the same seed gives the same run."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object instead of a table."),
) -> None:
    """Simulate one learner under SM-2, FSRS and exam-aware scheduling, on the same luck.

    Memory follows FSRS-6 (your fitted weights if saved); recall is drawn from the predicted
    recall, answer times are typical ones or yours. Recall at exam is the mean predicted
    recall over all cards on the exam morning. See docs/simulation.md.

    Examples: cjstudy simulate  ·  cjstudy simulate --cards 500 --new-per-day 30 --exam-in 40 --json
    """
    import json

    from cjstudy.memory.simulation import SimulationConfig
    from cjstudy.memory.simulation import simulate as run_simulation

    with existing_store() as store:
        model, profile = memory_model_of(store), profile_of(store)
        fitted = parameters_of(store) is not None
    from cjstudy.ui.insight_view import stderr_progress

    with stderr_progress("simulating", enabled=sys.stderr.isatty()) as progress:
        results = run_simulation(SimulationConfig(cards=cards, new_per_day=new_per_day, exam_in=exam_in, seed=seed),
                                 model, profile, progress=progress)
    if as_json:
        typer.echo(json.dumps({
            "strategies": [r.to_dict() for r in results], "cards": cards, "new_per_day": new_per_day,
            "exam_in": exam_in, "seed": seed, "parameters": "fitted" if fitted else "default",
            "answer_times": profile.source,
        }, indent=2))
        return
    from cjstudy.ui.console import make_console
    from cjstudy.ui.insight_view import simulate_table

    caption = (f"{cards} cards, {new_per_day} new a day, exam in {exam_in} days, seed {seed}; "
               f"{'fitted' if fitted else 'default'} FSRS weights, {profile.source} answer times")
    make_console().print(simulate_table(results, caption))
