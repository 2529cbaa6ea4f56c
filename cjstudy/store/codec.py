"""How times and card states are written in SQLite, in one place.

Times are stored as integer milliseconds since the Unix epoch (UTC): they sort and compare
as numbers, index cheaply and parse fast enough to rank 100,000 cards. `SELECT
datetime(due / 1000, 'unixepoch')` shows them readably in the sqlite3 shell.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

from cjstudy.model import CardState

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)


def to_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds (sub-millisecond parts are dropped)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("store times must be timezone-aware")
    return (moment - EPOCH) // _MS


_MIN = datetime(1, 1, 2, tzinfo=timezone.utc)
_MAX = datetime(9999, 12, 30, tzinfo=timezone.utc)
MIN_MS = (_MIN - EPOCH) // _MS
MAX_MS = (_MAX - EPOCH) // _MS


def from_ms(value: int) -> datetime:
    """Epoch milliseconds as a datetime; a value outside what a date can hold (a damaged row)
    is pinned to the first or last representable day instead of raising."""
    return EPOCH + timedelta(milliseconds=min(max(value, MIN_MS), MAX_MS))


def opt_ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def opt_dt(value: int | None) -> datetime | None:
    return None if value is None else from_ms(value)


def state_columns(state: CardState) -> tuple:
    """The state columns of the `card` table, in schema order (state … lapses)."""
    return (state.state, state.step, state.stability, state.difficulty, opt_ms(state.due),
            opt_ms(state.last_review), state.reps, state.lapses)


def state_from_row(row: tuple) -> CardState:
    """Inverse of `state_columns` (takes exactly those eight values).

    The store's own writes are always valid; a value no cjstudy writes (a damaged or hand-edited
    row: stability 0, -1 or inf, difficulty outside FSRS's 1-10, a negative step) is read as
    unknown, so the card's memory is rebuilt by its next review instead of crashing every
    command that reads it."""
    state, step, stability, difficulty, due, last_review, reps, lapses = row
    return CardState(state, _step(step), _positive(stability), _difficulty(difficulty), opt_dt(due),
                     opt_dt(last_review), reps, lapses)


def _positive(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) and value > 0 else None


def _difficulty(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and 1.0 <= value <= 10.0 else None


def _step(value: object) -> int | None:
    return value if isinstance(value, int) and 0 <= value < 1000 else None


def state_to_json(state: CardState) -> str:
    return json.dumps({
        "state": state.state, "step": state.step, "stability": state.stability,
        "difficulty": state.difficulty, "due": opt_ms(state.due),
        "last_review": opt_ms(state.last_review), "reps": state.reps, "lapses": state.lapses,
    }, separators=(",", ":"))


def state_from_json(text: str) -> CardState:
    data = json.loads(text)
    return CardState(
        state=data["state"], step=data.get("step"), stability=data.get("stability"),
        difficulty=data.get("difficulty"), due=opt_dt(data.get("due")),
        last_review=opt_dt(data.get("last_review")), reps=data.get("reps", 0), lapses=data.get("lapses", 0),
    )


def normalise(state: CardState) -> CardState:
    """The state exactly as it reads back from the store (times cut to milliseconds)."""
    return state_from_row(state_columns(state))
