"""`study` and `stats`: the student's daily loop and where they stand.

Heavy imports (rich, fsrs, sqlite3, the session) happen inside the commands, so registering
them costs nothing for `cjstudy --help`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import (DECKS_OPTION_HELP, NEW_PER_DAY_SETTING, build_scheduler, load_decks, now,
                                open_store_for_writing)
from cjstudy.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from cjstudy.model import Deck
    from cjstudy.study.session import SessionOptions
    from cjstudy.store import Store
    from cjstudy.ui.keys import KeySource


NO_TERMINAL = ("`cjstudy study` reads single key presses and needs a terminal on standard input; "
               "run it in an interactive terminal (to check answers from a script, use `cjstudy grade`)")


@app.command("study")
def study(
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Study only this deck (repeatable; default: all)."),
    tag: Optional[list[str]] = typer.Option(None, "--tag", "-t", metavar="TAG",
                                            help="Only cards with this tag (repeatable: any of them)."),
    new: Optional[int] = typer.Option(None, "--new", min=0, metavar="N",
                                      help="At most N new cards this session (default: what is left of the "
                                           "daily limit)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N",
                                        help="At most N cards in all (due reviews first)."),
    typed: bool = typer.Option(False, "--type", help="Type each answer; the grade suggests the rating."),
    new_per_day: Optional[int] = typer.Option(None, "--new-per-day", min=0, metavar="N",
                                              help="Set the daily new-card limit (default 20); saved for "
                                                   "later sessions."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Study the cards that are due, then new ones, with spaced repetition (FSRS).

    Keys: space/enter shows the answer, 1-4 rate it (Again, Hard, Good, Easy), u undoes,
    s buries until tomorrow, ? helps, q stops. Every rating is saved the moment it is given.

    Examples: cjstudy study  ·  cjstudy study --deck touch-points --new 5  ·  cjstudy study --type
    """
    if not stdin_is_terminal():
        raise UsageError(NO_TERMINAL)
    import random
    import time
    from dataclasses import replace
    from datetime import datetime

    from cjstudy.study.session import SessionOptions, StudySession, study_day
    from cjstudy.ui.console import make_console
    from cjstudy.ui.study_loop import StudyIO, run_study

    deck_set = load_decks(decks)
    started = now()
    store = open_store_for_writing()
    try:
        if new_per_day is not None:
            store.set_setting(NEW_PER_DAY_SETTING, new_per_day, now=started)
        options = SessionOptions(
            decks=tuple(deck or ()), tags=tuple(tag or ()), new_per_day=_new_per_day(store),
            new_cards=new, limit=limit,
        )
        _check_tags(deck_set.decks, options)
        from cjstudy.cli.insight_support import memory_model_of
        from cjstudy.study.pacing import exam_pacing

        local_zone = datetime.now().astimezone().tzinfo
        assert local_zone is not None
        # a saved exam may raise the new-card limit and bring weak cards forward
        options = exam_pacing(store, deck_set.decks, options, started, local_zone, memory_model_of(store))
        options = replace(options, exam_in_days=exam_days_left(store, started, local_zone))
        rng = random.Random()
        session = StudySession.start(store, deck_set.decks, build_scheduler(store, rng), started,
                                     study_day(started, local_zone), rng, options)
        console = make_console()
        keys = key_source()
        sleep = getattr(keys, "wait", time.sleep)  # a terminal waits with keys swallowed, q stops it
        from cjstudy.ui.media import system_opener

        run_study(session, StudyIO(console, keys, now, sleep, rng, opener=system_opener()), typed=typed)
    finally:
        store.close()


def exam_days_left(store: "Store", moment: "datetime", zone: "tzinfo") -> "int | None":
    """Days from today's study day to a saved exam (None without one, or once it is past)."""
    from cjstudy.memory.optimizer import local_day_function
    from cjstudy.study.pacing import saved_exam
    from cjstudy.study.session import DEFAULT_ROLLOVER_HOUR

    plan = saved_exam(store)
    if plan is None:
        return None
    days = plan.date.toordinal() - local_day_function(zone, DEFAULT_ROLLOVER_HOUR)(moment)
    return days if days >= 0 else None


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def key_source() -> "KeySource":
    """Single keys from the terminal (tests replace this with scripted keys)."""
    from cjstudy.ui.keys import TerminalKeys

    return TerminalKeys()


def _new_per_day(store: "Store") -> int:
    from cjstudy.study.session import DEFAULT_NEW_PER_DAY

    value = store.get_setting(NEW_PER_DAY_SETTING, DEFAULT_NEW_PER_DAY)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise UsageError(f"the saved daily new-card limit {value!r} is not a whole number ≥ 0; "
                         "set it again with `cjstudy study --new-per-day N`")
    return value


def _check_tags(decks: "list[Deck]", options: "SessionOptions") -> None:
    """A tag no chosen card carries is almost always a typo: say so instead of an empty session."""
    from cjstudy.deck.suggest import did_you_mean
    from cjstudy.study.session import select_decks

    if not options.tags:
        return
    chosen = select_decks(decks, options.decks)
    wanted = set(options.tags)
    if any(not wanted.isdisjoint(card.tags) for deck in chosen for card in deck.cards):
        return
    known = sorted({t for d in chosen for c in d.cards for t in c.tags})
    raise UsageError(f"no card has the tag {', '.join(repr(t) for t in options.tags)}"
                     f"{did_you_mean(options.tags[0], known)}")


@app.command("stats")
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON object instead of a table."),
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Only this deck (repeatable; default: all)."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Per deck: cards, new, learning, review, due now and reviews done (undone ones not counted).

    Below the table: true retention over 7 and 30 days, reviews per day and cards due per day
    as 30-day charts, the weakest cards and your streak (all in `--json` too).

    Examples: cjstudy stats  ·  cjstudy stats --json | jq .due_now
    """
    import json
    from collections import Counter
    from dataclasses import replace

    from cjstudy.paths import store_path
    from cjstudy.study.session import select_decks
    from cjstudy.ui.stats_view import collect_stats

    deck_set = load_decks(decks)
    chosen = select_decks(deck_set.decks, tuple(deck or ()))
    moment = now()
    path = store_path(os.environ)
    states: dict = {}
    buried: dict = {}
    exam: tuple[str, int] | None = None
    per_deck: Counter[str] = Counter()
    from cjstudy.cli.insight_support import print_stats_insight, stats_insight

    insight = stats_insight(None, [], {}, moment)
    if path.exists():  # asking for stats never creates a store
        from cjstudy.store import open_store

        with open_store(path, now=moment) as store:
            states = store.states([d.id for d in chosen])
            buried = store.buried(moment)
            per_deck.update(store.count_reviews_by_deck())
            insight = stats_insight(store, [d.id for d in chosen], states, moment)
            exam = _exam_of(store, moment)
    total = sum(per_deck.values())
    report = collect_stats(chosen, states, buried, per_deck, total, moment)
    if exam is not None:
        report = replace(report, exam_date=exam[0], exam_in_days=exam[1])
    if as_json:
        typer.echo(json.dumps({**report.to_dict(), **insight.to_dict()}, ensure_ascii=False, indent=2))
        return
    from cjstudy.ui.console import make_console
    from cjstudy.ui.stats_view import stats_table

    console = make_console()
    console.print(stats_table(report))
    if total == 0 and report.cards_seen == 0:
        from rich.text import Text

        from cjstudy.ui.stats_view import empty_state

        console.print()
        console.print(Text(empty_state()))
        return
    print_stats_insight(insight)


def _exam_of(store: "Store", moment: "datetime") -> "tuple[str, int] | None":
    """The saved exam's date and the days left to it (None without one, or once it is past)."""
    from datetime import datetime

    from cjstudy.study.pacing import saved_exam

    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    days = exam_days_left(store, moment, zone)
    plan = saved_exam(store)
    return None if days is None or plan is None else (plan.date.isoformat(), days)
