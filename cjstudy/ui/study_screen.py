"""What the study loop prints: header, question, answer, rating buttons, help and summary.

Everything here returns a Rich renderable and draws nothing itself, so the loop decides the
order and tests can render to a StringIO console. The screen is printed sequentially (no
clearing): scrollback keeps the last cards, and a pseudo-terminal test can read it.
Everything fits 80 columns: long titles are cut with an ellipsis, card text wraps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cjstudy.model import Card, Rating, StudyProgress
from cjstudy.ui.card_view import TYPE_LABEL, answer_body, marked_words, question_body

RATING_STYLE = {Rating.AGAIN: "red", Rating.HARD: "yellow", Rating.GOOD: "green", Rating.EASY: "blue"}


Progress = StudyProgress  # the counts the header shows, shared with cjstudy.study.session


def format_interval(delta: timedelta) -> str:
    """Short and rounded like Anki's buttons: <1m, 10m, 5h, 3d, 2.5mo, 1.2y."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def format_when(moment: datetime, now: datetime) -> str:
    """A due time in local time, relative when close: 'in 4m (14:05)', 'tomorrow', 'in 3 days'."""
    local, local_now = moment.astimezone(), now.astimezone()
    if moment <= now:
        return "now"
    delta = moment - now
    if delta < timedelta(hours=1):
        return f"in {format_interval(delta)} ({local:%H:%M})"
    days = (local.date() - local_now.date()).days
    if days == 0:
        return f"today at {local:%H:%M}"
    if days == 1:
        return f"tomorrow at {local:%H:%M}"
    if days < 30:
        return f"in {days} days ({local:%a %d %b})"
    return f"on {local:%d %b %Y}"


def header(deck_title: str, progress: Progress) -> RenderableType:
    """Deck title on the left, progress on the right; always one line at 80 columns."""
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    counts = Text.assemble(
        (f"{progress.done} done", "bold"), " · ", (f"{progress.left} left", "bold"), "  ",
        (f"new {progress.new}", "blue"), " ", (f"learn {progress.learning}", "red"), " ",
        (f"review {progress.review}", "green"),
    )
    grid.add_row(Text(deck_title, style="bold"), counts)
    return grid


def question_panel(card: Card, options: tuple[str, ...] | None, show_hint: bool = True) -> Panel:
    """The card before reveal: title says where it is from and what kind it is, tags below."""
    if show_hint or not card.hint or card.type == "cloze":
        body = question_body(card, options)
    else:
        body = question_body(_without_hint(card), options)
    return _panel(body, card, "")


def answer_panel(card: Card, options: tuple[str, ...] | None, marked: tuple[str, ...] = ()) -> Panel:
    """The answer after reveal, then the explanation; choice answers keep the letters shown.

    `marked`: key words of a typed answer the grader found (an `unsure` verdict), marked in the
    model answer so the student sees what matched and what did not.
    """
    body = answer_body(card, options)
    if marked and card.type == "basic":
        body = Group(marked_words(card.shown_answer, marked, card.language, "bold green underline"),
                     *list(body.renderables)[1:])
    return Panel(body, title="answer", title_align="left", border_style="green", padding=(0, 1))


def _panel(body: RenderableType, card: Card, subtitle: str) -> Panel:
    title = f"{card.key.address} · {TYPE_LABEL.get(card.type, card.type)}"
    tags = " ".join(f"#{t}" for t in card.tags)
    return Panel(body, title=title, title_align="left", subtitle=subtitle or tags or None,
                 subtitle_align="right", padding=(0, 1))


def _without_hint(card: Card) -> Card:
    from dataclasses import replace

    return replace(card, hint=None)


def hint_line(card: Card) -> Text:
    return Text(f"hint: {card.hint}", style="dim italic")


def rating_buttons(preview: dict[Rating, timedelta], suggested: Rating | None = None) -> Text:
    """'1 Again 10m  2 Hard 1d  3 Good 3d  4 Easy 8d'; the suggested one is marked with ▸."""
    text = Text()
    for rating in Rating:
        if text:
            text.append("  ")
        label = f"{rating.value} {rating.name.capitalize()} {format_interval(preview[rating])}"
        if rating == suggested:
            text.append("▸ ", style="bold")
            text.append(label, style=f"bold reverse {RATING_STYLE[rating]}")
        else:
            text.append(label, style=RATING_STYLE[rating])
    return text


def question_keys() -> Text:
    return Text("space/enter: show answer · s bury · u undo · ? help · q quit", style="dim")


def rating_keys(suggested: Rating | None = None) -> Text:
    default = suggested or Rating.GOOD
    return Text(f"1-4 rate · space/enter: {default.name.capitalize()} · s bury · u undo · ? help · q quit",
                style="dim")


def typed_prompt(hint_available: bool) -> str:
    extra = "Enter alone: hint, again: show answer" if hint_available else "Enter alone: show answer"
    return f"your answer ({extra}; Ctrl-D quits)"


def grade_line(correct: bool, score: float, feedback: str, verdict: str = "") -> Text:
    """The verdict on a typed answer in one line (plus the grader's feedback)."""
    if verdict == "unsure":
        text = Text("? your call: compare with the answer and rate it", style="bold magenta")
        if feedback:
            text.append(f"  {feedback}", style="")
        return text
    if correct:
        text = Text("✓ right", style="bold green")
    elif score > 0:
        text = Text(f"~ partly right ({round(score * 100)}%)", style="bold yellow")
    else:
        text = Text("✗ wrong", style="bold red")
    if feedback:
        text.append(f"  {feedback}", style="")
    return text


HELP = """\
Keys (no Enter needed)
  space / enter   show the answer; then rate Good (or the suggested rating)
  1 2 3 4         rate Again, Hard, Good, Easy (buttons show the interval)
  u               undo the last rating (the card and its progress come back)
  s               bury the card until tomorrow
  ?               this help
  q               stop and show the summary (every rating is already saved)
Typed mode (--type): type the answer and press Enter; the grade suggests a
  rating: Enter accepts it, 1-4 choose another. Enter on an empty line shows
  the hint (if any), then the answer."""


def help_panel() -> Panel:
    return Panel(Text(HELP), title="help", title_align="left", padding=(0, 1))


@dataclass(frozen=True)
class SummaryView:
    """What the end-of-session summary reports."""

    cards: int
    again: int
    seconds: float
    next_due: datetime | None
    due_tomorrow: int = 0
    learning_left: int = 0


def summary_panel(summary: SummaryView, now: datetime, left: int = 0) -> Panel:
    """`left`: cards of this session not asked yet (the student stopped early)."""
    rate = f"{round(100 * summary.again / summary.cards)}%" if summary.cards else "–"
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("cards", str(summary.cards))
    grid.add_row("again", f"{summary.again} ({rate})")
    grid.add_row("time", format_duration(summary.seconds))
    if summary.next_due is None:
        grid.add_row("next due", "nothing scheduled")
    elif summary.next_due <= now and left:
        grid.add_row("next due", f"now: {left} card{'s' * (left != 1)} of this session not asked yet")
    else:
        grid.add_row("next due", format_when(summary.next_due, now))
    if summary.due_tomorrow:
        grid.add_row("due tomorrow", str(summary.due_tomorrow))
    if summary.learning_left:
        grid.add_row("learning left", f"{summary.learning_left} (come back later today)")
    return Panel(grid, title="session summary", title_align="left", padding=(0, 1))


def waiting_prompt(next_due: datetime, now: datetime) -> Text:
    return Text.assemble(
        "Only learning cards are left; the next is due ", (format_when(next_due, now), "bold"), ".\n",
        ("w wait for it · q stop", "dim"),
    )
