"""Rich renderables for `stats` (charts part), `optimize`, `plan` and `simulate`.

Each function turns one result object into something `Console.print` draws; all of them
fit in 80 columns and read the same with NO_COLOR (numbers and block characters, no meaning
carried by colour alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cjstudy.study.insight import Insight, Retention
from cjstudy.ui.charts import ColumnChart


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _retention(r: Retention) -> str:
    return f"{_percent(r.rate)} ({r.passed}/{r.total})" if r.total else "– (no reviews)"


def insight_group(insight: Insight) -> Group:
    """True retention, streak, the two 30-day charts and the weakest cards."""
    days = len(insight.reviews_per_day)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("True retention, 7 days", _retention(insight.retention_7))
    facts.add_row("True retention, 30 days", _retention(insight.retention_30))
    s = insight.streak
    today = "" if s.studied_today or not s.current else " (study today to keep it)"
    facts.add_row("Streak", f"{s.current} day{'s' * (s.current != 1)}{today}, longest {s.longest}")
    parts: list[Any] = [
        facts, Text(""),
        ColumnChart(insight.reviews_per_day, f"Reviews per day, last {days} days "
                    f"(total {sum(insight.reviews_per_day)})", f"{days - 1} days ago", "today"),
        Text(""),
        ColumnChart(insight.due_forecast, f"Due in the next {len(insight.due_forecast)} days "
                    f"(total {sum(insight.due_forecast)}; overdue count today)", "today",
                    f"in {len(insight.due_forecast) - 1} days", style="magenta"),
    ]
    if insight.weakest:
        weak = Table(title="Weakest cards", title_justify="left", box=None, pad_edge=False)
        weak.add_column("card", overflow="fold")
        weak.add_column("lapses", justify="right")
        weak.add_column("stability", justify="right", no_wrap=True)
        weak.add_column("reviews", justify="right")
        for w in insight.weakest:
            weak.add_row(w.key.address, str(w.lapses), f"{w.stability:.1f} d", str(w.reps))
        parts += [Text(""), weak]
    return Group(*parts)


def optimize_table(result: Any, source: str) -> Group:
    """The honest score of default and fitted weights on held-out reviews, and the weights."""
    intro = Text(f"Fitted FSRS-6 to {result.reviews:,} reviews of {result.cards:,} cards ({source}). "
                 f"Scored on {result.held_out:,} later reviews the fit never saw "
                 "(time-series split; lower is better).")
    table = Table(box=None, pad_edge=False)
    table.add_column("parameters")
    table.add_column("log loss", justify="right")
    table.add_column("RMSE (bins)", justify="right")
    table.add_row("default", f"{result.default.log_loss:.4f}", f"{result.default.rmse:.4f}")
    table.add_row("fitted", f"{result.optimized.log_loss:.4f}", f"{result.optimized.rmse:.4f}")
    weights = Text("Weights: " + ", ".join(f"{x:.4f}" for x in result.parameters), overflow="fold")
    return Group(intro, Text(""), table, Text(""), weights)


def plan_group(exam: date, today: date, fsrs: Any, exam_aware: Any, cards: int, introduced: int) -> Group:
    """Day by day under exam-aware scheduling (week by week past two months), then exam-day recall."""
    days = list(exam_aware.days)
    weekly = len(days) > 62
    heading = Text(f"Plan to the exam on {exam.isoformat()}: {(exam - today).days} days, {cards} cards "
                   f"({introduced} already started)", style="bold")
    table = Table()
    table.add_column("week of" if weekly else "day", no_wrap=True)
    table.add_column("new", justify="right")
    table.add_column("reviews", justify="right")
    table.add_column("minutes", justify="right")
    step = 7 if weekly else 1
    for first in range(0, len(days), step):
        chunk = days[first:first + step]
        when = today + timedelta(days=chunk[0].day)
        table.add_row(f"{when:%a %d %b %Y}" if weekly else f"{when:%a %d %b}", str(sum(d.new for d in chunk)),
                      str(sum(d.reviews for d in chunk)), f"{sum(d.seconds for d in chunk) / 60:.0f}")
    summary = Table.grid(padding=(0, 2))
    summary.add_column()
    summary.add_column(justify="right")
    summary.add_column(justify="right")
    summary.add_row(Text("Predicted mean recall on exam day", style="bold"), "", "")
    summary.add_row("  plain FSRS", _percent(fsrs.recall_at_exam), f"{fsrs.review_minutes:.0f} min")
    summary.add_row("  exam-aware (this plan)", _percent(exam_aware.recall_at_exam),
                    f"{exam_aware.review_minutes:.0f} min")
    return Group(heading, table, summary)


def simulate_table(results: Sequence[Any], caption: str) -> Table:
    table = Table(title="Simulated learner", title_justify="left", caption=caption, caption_justify="left")
    table.add_column("strategy")
    table.add_column("recall at exam", justify="right")
    table.add_column("review minutes", justify="right")
    table.add_column("reviews", justify="right")
    for r in results:
        table.add_row(r.name, _percent(r.recall_at_exam), f"{r.review_minutes:.0f}", str(r.reviews))
    return table


@contextmanager
def stderr_progress(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (stdout stays clean for `--json`), cleared when done.

    Yields `update(done, total)`; without a terminal it draws nothing."""
    if not enabled:
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from cjstudy.ui.console import make_console

    with Progress(TextColumn(label), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                  console=make_console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
