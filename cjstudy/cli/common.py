"""What several commands share: the `--decks` option, loading decks, opening the store, the clock."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Optional


from cjstudy.errors import UsageError

if TYPE_CHECKING:
    import random

    from cjstudy.deck import DeckSet
    from cjstudy.memory.scheduler import Scheduler
    from cjstudy.store import Store

# Settings the store keeps for the student (JSON values).
NEW_PER_DAY_SETTING = "new_per_day"
RETENTION_SETTING = "desired_retention"
PARAMETERS_SETTING = "fsrs_parameters"

DECKS_OPTION_HELP = "Extra folder of deck files (repeatable; also CJSTUDY_DECKS)."


NOW_ENV = "CJSTUDY_NOW"  # an ISO time the clock starts from (tests and demos); it runs on from there
_clock_offset: list = []  # the offset to the real clock, fixed at the first reading


def now() -> datetime:
    """The clock: only the CLI layer reads it. Real time, unless CJSTUDY_NOW moves it."""
    real = datetime.now(timezone.utc)
    start = os.environ.get(NOW_ENV)
    if not start:
        return real
    if not _clock_offset or _clock_offset[0][0] != start:
        try:
            moment = datetime.fromisoformat(start)
        except ValueError:
            raise UsageError(f"{NOW_ENV}={start!r} is not an ISO date and time like 2026-03-02T09:00+00:00") from None
        if moment.tzinfo is None:
            moment = moment.astimezone()
        _clock_offset[:] = [(start, moment - real)]
    return real + _clock_offset[0][1]


def user_deck_dirs(extra: Optional[list[Path]]) -> list[Path]:
    """Deck folders beyond the bundled ones: global and per-command `--decks`, then `CJSTUDY_DECKS`."""
    from cjstudy.paths import extra_deck_dirs

    from cjstudy.cli.app import GLOBAL_OPTIONS

    return extra_deck_dirs(GLOBAL_OPTIONS["decks"] + list(extra or []), os.environ)


def load_decks(extra: Optional[list[Path]]) -> "DeckSet":
    """Bundled decks plus user folders. A user deck file with errors is left out with one warning
    line on stderr that names it (`cjstudy validate` lists its problems), so it cannot stop
    `stats` or studying the other decks."""
    from cjstudy.deck import load_deck_set
    from cjstudy.paths import bundled_decks_dir, deck_cache_dir

    deck_set = load_deck_set(bundled_decks_dir(), user_deck_dirs(extra), deck_cache_dir(os.environ),
                             skip_broken=True)
    for path in deck_set.skipped:
        import typer

        typer.echo(f"warning: {path} has errors and was skipped; `cjstudy validate {path}` shows why", err=True)
    return deck_set


def build_scheduler(store: "Store", rng: "random.Random | None" = None) -> "Scheduler":
    """The scheduler with the student's saved retention and fitted parameters, if any."""
    from cjstudy.memory.scheduler import Scheduler, SchedulerConfig

    config = SchedulerConfig()
    retention = store.get_setting(RETENTION_SETTING)
    if retention is not None:
        if not isinstance(retention, (int, float)) or isinstance(retention, bool):
            raise UsageError(f"the saved desired retention {retention!r} is not a number")
        config = SchedulerConfig(desired_retention=float(retention))
    parameters = store.get_setting(PARAMETERS_SETTING)
    if parameters is not None:
        if not isinstance(parameters, list) or not all(isinstance(p, (int, float)) for p in parameters):
            raise UsageError("the saved FSRS parameters are not a list of numbers; run `cjstudy optimize --apply`")
        config = SchedulerConfig(desired_retention=config.desired_retention,
                                 parameters=tuple(float(p) for p in parameters))
    return Scheduler(config=config, rng=rng)


def open_store_for_writing() -> "Store":
    """The user's store, with the daily backup taken just before the day's first write."""
    from cjstudy.paths import backup_dir, store_path
    from cjstudy.store import open_store
    from cjstudy.store.backup import ensure_daily_backup

    path = store_path(os.environ)
    backups = backup_dir(os.environ)

    def backup() -> None:
        ensure_daily_backup(path, backups, now().astimezone().strftime("%Y-%m-%d"))

    return open_store(path, now=now(), before_first_write=backup)


def deck_files_here(folder: Path) -> list[Path]:
    """YAML files in `folder` that start a deck (a top-level `deck:` line); others are not ours."""
    from cjstudy.deck import deck_files

    found = []
    for path in deck_files([folder]):
        try:
            with path.open("rb") as handle:
                head = handle.read(65536)
        except OSError:
            found.append(path)  # unreadable: let the validator say so
            continue
        if any(line.startswith(b"deck:") for line in head.splitlines()):
            found.append(path)
    return found


def deck_files_to_check(paths: Optional[list[Path]], decks: Optional[list[Path]]) -> tuple[list[tuple[Path, bool]], str]:
    """What `validate` and `lint` check, with a bundled flag each, and how to name it: the paths
    given; else the deck files of the current folder when there are any (and no --decks);
    else the loaded decks (bundled, --decks and CJSTUDY_DECKS)."""
    from cjstudy.cli.app import GLOBAL_OPTIONS
    from cjstudy.deck import deck_files
    from cjstudy.paths import bundled_decks_dir

    if paths:
        return [(p, False) for p in deck_files(paths)], ", ".join(str(p) for p in paths)
    if not decks and not GLOBAL_OPTIONS["decks"] and (here := deck_files_here(Path.cwd())):
        return [(p, False) for p in here], "the deck files of the current folder"
    folders = [bundled_decks_dir(), *user_deck_dirs(decks)]
    files = [(p, i == 0) for i, folder in enumerate(folders) for p in deck_files([folder])]
    return files, "the loaded decks (bundled" + (", --decks and CJSTUDY_DECKS" if len(folders) > 1 else "") + ")"
