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


def exam_label(days: int | None) -> str:
    """'exam in 21 d', 'exam tomorrow', 'exam today' (empty without a saved exam ahead)."""
    if days is None or days < 0:
        return ""
    if days == 0:
        return "exam today"
    if days == 1:
        return "exam tomorrow"
    return f"exam in {days} d"


class _Header:
    """Deck title on the left, progress (and a saved exam) on the right; always one line.

    Below 70 columns the counts shorten ('3 done · 17 left  n5 l0 r12') so the title keeps room.
    """

    def __init__(self, deck_title: str, progress: Progress) -> None:
        self.title, self.progress = deck_title, progress

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        p = self.progress
        narrow = options.max_width < 70
        counts = Text.assemble((f"{p.done} done", "bold"), " · ", (f"{p.left} left", "bold"), "  ")
        if narrow:
            counts.append_text(Text.assemble((f"n{p.new}", "blue"), " ", (f"l{p.learning}", "red"), " ",
                                             (f"r{p.review}", "green")))
        else:
            counts.append_text(Text.assemble((f"new {p.new}", "blue"), " ", (f"learn {p.learning}", "red"), " ",
                                             (f"review {p.review}", "green")))
        exam = exam_label(getattr(p, "exam_in_days", None))
        if exam:
            counts = Text.assemble((exam, "bold magenta"), " · ", counts)
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis", min_width=8)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(Text(self.title, style="bold"), counts)
        yield grid


def header(deck_title: str, progress: Progress) -> RenderableType:
    """Deck title on the left, progress on the right; always one line at 60 columns and more."""
    return _Header(deck_title, progress)


def question_panel(card: Card, options: tuple[str, ...] | None, show_hint: bool = False) -> Panel:
    """The card before reveal: the title says what kind of question it is (the deck is in the
    header above), never its id or tags.

    The card's hint waits until asked for (`hint_line`), in both modes: one rule for hints."""
    return _panel(question_body(card, options, show_hint=show_hint), card, "", revealed=False)


def answer_panel(card: Card, options: tuple[str, ...] | None, marked: tuple[str, ...] = ()) -> Panel:
    """The answer after reveal, then the explanation; choice answers keep the letters shown.

    `marked`: key words of a typed answer the grader found (an `unsure` verdict), marked in the
    model answer so the student sees what matched and what did not.
    """
    body = answer_body(card, options)
    if marked and card.type == "basic":
        body = Group(marked_words(card.shown_answer, marked, card.language, "bold green underline"),
                     *list(body.renderables)[1:])
    # the card's address only now, after the answer: it may give the answer away, but it lets
    # a student name the card to the instructor (`cjstudy show DECK CARD`)
    return Panel(body, title="answer", title_align="left", subtitle=card.key.address, subtitle_align="right",
                 border_style="green", padding=(0, 1))


def _panel(body: RenderableType, card: Card, subtitle: str, revealed: bool = True) -> Panel:
    """Before reveal the box says only what kind of question it is: a card id or a tag can
    give the answer away (`cj-cjm@reverse`, `#brand-owned`)."""
    kind = TYPE_LABEL.get(card.type, card.type)
    if not revealed:
        return Panel(body, title=kind, title_align="left", padding=(0, 1))
    tags = " ".join(f"#{t}" for t in card.tags)
    return Panel(body, title=f"{card.key.address} · {kind}", title_align="left", subtitle=subtitle or tags or None,
                 subtitle_align="right", padding=(0, 1))


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


class _Footer:
    """A key line that never wraps: the long form when it fits, else the short one."""

    def __init__(self, full: str, short: str) -> None:
        self.full, self.short = full, short

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        yield Text(self.full if len(self.full) <= options.max_width else self.short, style="dim")

    @property
    def plain(self) -> str:
        return self.full


def question_keys(hint: bool = False) -> _Footer:
    extra = "h hint · " if hint else ""
    return _Footer(f"space/enter: show answer · {extra}s bury · u undo · ? help · q quit",
                   f"space: answer · {extra}s bury · u undo · ? · q quit")


def rating_keys(suggested: Rating | None = None) -> _Footer:
    default = suggested or Rating.GOOD
    name = default.name.capitalize()
    return _Footer(f"1-4 rate · space/enter: {name} · s bury · u undo · ? help · q quit",
                   f"1-4 rate · space: {name} · s bury · u undo · ? · q quit")


def typed_prompt_line(hint_available: bool) -> _Footer:
    """The typed-answer prompt, short below its width so it never wraps."""
    short = "Enter alone: hint, then answer" if hint_available else "Enter alone: answer"
    return _Footer(typed_prompt(hint_available), f"your answer ({short}; Ctrl-D quits)")


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
  space/enter  show the answer; then rate Good (or the
               suggested rating)
  1 2 3 4      rate Again, Hard, Good, Easy
  h  the card's hint    o  open its image or sound
  u            undo the last rating or bury
  s            bury the card until tomorrow
  ?  help      q  stop (every rating is already saved)
Typed mode (--type): type the answer, press Enter; the
  grade suggests a rating (Enter takes it, 1-4 another).
  Enter on an empty line: the hint, then the answer."""  # lines ≤ 56: the box holds at 60 columns


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
    hard: int = 0
    good: int = 0
    easy: int = 0
    buried: int = 0  # buried with s (undone buries not counted)
    siblings_buried: int = 0  # related cards held back until tomorrow after their sibling was answered
    exam_in_days: int | None = None


def summary_panel(summary: SummaryView, now: datetime, left: int = 0) -> Panel:
    """`left`: cards of this session not asked yet (the student stopped early)."""
    rate = f"{round(100 * summary.again / summary.cards)}%" if summary.cards else "–"
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("cards", str(summary.cards))
    grid.add_row("again", f"{summary.again} ({rate})")
    if summary.cards:
        ratings = Text()
        for name, count in (("again", summary.again), ("hard", getattr(summary, "hard", 0)),
                            ("good", getattr(summary, "good", 0)), ("easy", getattr(summary, "easy", 0))):
            if ratings:
                ratings.append(" · ")
            ratings.append(f"{name} {count}", style=RATING_STYLE[Rating[name.upper()]])
        grid.add_row("ratings", ratings)
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
    buried = getattr(summary, "buried", 0)
    if buried:
        grid.add_row("buried", f"{buried} (back tomorrow)")
    siblings = getattr(summary, "siblings_buried", 0)
    if siblings:
        grid.add_row("related", f"{siblings} related card{'s' * (siblings != 1)} (reverse, other gaps) "
                                "wait for tomorrow")
    exam_days = getattr(summary, "exam_in_days", None)
    if exam_days is not None and exam_days >= 0:
        grid.add_row("exam", {0: "today", 1: "tomorrow"}.get(exam_days, f"in {exam_days} days"))
    return Panel(grid, title="session summary", title_align="left", padding=(0, 1))


def waiting_line(left: timedelta) -> Text:
    """'waiting 9m 58s… (q stops)': redrawn every second while a learning card's step runs out."""
    return Text(f"waiting {format_duration(max(0.0, left.total_seconds()))}… (q stops)", style="dim")


def waiting_prompt(next_due: datetime, now: datetime) -> Text:
    return Text.assemble(
        "Only learning cards are left; the next is due ", (format_when(next_due, now), "bold"), ".\n",
        ("w wait for it · q stop", "dim"),
    )
