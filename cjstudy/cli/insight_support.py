"""What `study`, `stats`, `optimize`, `plan` and `simulate` share: small CLI helpers.

Reading the store without creating it, the local study day (the real clock's zone), the saved
FSRS weights and answer times, and the stats figures below the table. Kept apart from the
command definitions so `study_commands` can call in without registering anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from cjstudy.cli.common import now
from cjstudy.errors import UsageError

if TYPE_CHECKING:
    from cjstudy.study.insight import Insight
    from cjstudy.memory.model import MemoryModel
    from cjstudy.memory.simulation import LearnerProfile
    from cjstudy.store import Store


# --- shared helpers ----------------------------------------------------------------------


@contextmanager
def existing_store() -> Iterator["Store | None"]:
    """The user's store if it exists (reading never creates one), else None."""
    from cjstudy.paths import store_path

    path = store_path(os.environ)
    if not path.exists():
        yield None
        return
    from cjstudy.store import open_store

    with open_store(path, now=now()) as store:
        yield store


def local_day_of() -> Callable[[datetime], int]:
    """Local study days (rollover as in `study`), as day numbers."""
    from cjstudy.memory.optimizer import local_day_function
    from cjstudy.study.session import DEFAULT_ROLLOVER_HOUR

    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return local_day_function(zone, DEFAULT_ROLLOVER_HOUR)


def parameters_of(store: "Store | None") -> list[float] | None:
    from cjstudy.cli.common import PARAMETERS_SETTING

    if store is None:
        return None
    value = store.get_setting(PARAMETERS_SETTING)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 21 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
        raise UsageError("the saved FSRS parameters are not 21 numbers; run `cjstudy optimize --apply` again")
    return [float(x) for x in value]


def stored_parameters() -> list[float] | None:
    """The weights `optimize --apply` saved (None: the scheduler uses the FSRS defaults)."""
    with existing_store() as store:
        return parameters_of(store)


def memory_model_of(store: "Store | None") -> "MemoryModel":
    from cjstudy.memory.model import MemoryModel

    return MemoryModel(parameters_of(store))


def profile_of(store: "Store | None") -> "LearnerProfile":
    from cjstudy.memory.simulation import LearnerProfile, profile_from_history

    if store is None:
        return LearnerProfile()
    return profile_from_history((row.state_before, int(row.rating), row.duration_ms) for row in store.review_rows())


def int_setting(store: "Store | None", key: str, default: int) -> int:
    if store is None:
        return default
    value = store.get_setting(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


# --- stats (the charts part) ----------------------------------------------------------------


def stats_insight(store: "Store | None", deck_ids: list[str], states: dict, moment: datetime) -> "Insight":
    """What `cjstudy stats` adds below its table: retention, 30-day charts, weak cards, streak."""
    from cjstudy.study.insight import collect

    day_of = local_day_of()
    rows = store.review_rows(decks=deck_ids) if store is not None else iter(())
    return collect(rows, states, day_of(moment), day_of)


def print_stats_insight(insight: "Insight") -> None:
    from cjstudy.ui.console import make_console
    from cjstudy.ui.insight_view import insight_group

    console = make_console()
    console.print()
    console.print(insight_group(insight))
