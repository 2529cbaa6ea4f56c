"""Ordered schema migrations: append new ones, never edit a released one.

Each migration is a function run inside its own `BEGIN IMMEDIATE` transaction together with
the row that records it in `schema_migrations`, so a store is always at exactly one version
and two processes opening an old store at once migrate it once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _initial(db: sqlite3.Connection) -> None:
    """Cards with their FSRS state, the append-only review log, deck sync marks and settings."""
    statements = [
        # One row per study card: its identity, its place in the deck file and its memory state.
        # Rows are never deleted: history outlives the deck file. `position` is the card's place
        # in its deck as last synced (NULL: no longer in it). A card never studied has state
        # 'new' and no due time. Times are epoch milliseconds UTC.
        """CREATE TABLE card (
            id INTEGER PRIMARY KEY,
            deck TEXT NOT NULL,
            card TEXT NOT NULL,
            variant TEXT NOT NULL DEFAULT '',
            position INTEGER,
            state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0 CHECK (reps >= 0),
            lapses INTEGER NOT NULL DEFAULT 0 CHECK (lapses >= 0),
            buried_until INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (deck, card, variant)
        ) STRICT""",
        # The due queue is read from this index alone, in due order (no row lookups): it
        # holds every column the queue needs. Only cards with a due time are in it.
        """CREATE INDEX card_due ON card (due, state, buried_until, position, deck, card, variant, step,
            stability, difficulty, last_review, reps, lapses) WHERE due IS NOT NULL""",
        # The new-card queue: never-studied cards of a deck in file order.
        """CREATE INDEX card_new ON card (deck, position, buried_until, card, variant)
            WHERE state = 'new' AND position IS NOT NULL""",
        "CREATE INDEX card_buried ON card (buried_until) WHERE buried_until IS NOT NULL",
        # Which card list each deck had when `position` was last written (a hash of its keys).
        """CREATE TABLE deck_sync (
            deck TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            cards INTEGER NOT NULL,
            synced_at INTEGER NOT NULL
        ) STRICT""",
        # Append-only: undo marks `undone_at`, nothing is ever deleted or rewritten otherwise.
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES card (id),
            reviewed_at INTEGER NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
            source TEXT NOT NULL CHECK (source IN ('study', 'exam', 'import')),
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            before_json TEXT NOT NULL,
            after_json TEXT NOT NULL,
            undone_at INTEGER
        ) STRICT""",
        "CREATE INDEX review_log_time ON review_log (reviewed_at)",
        "CREATE INDEX review_log_card ON review_log (card_id, reviewed_at)",
        # Settings are JSON values: desired retention, new cards per day, fitted parameters, exam date …
        """CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT""",
    ]
    for statement in statements:
        db.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial),
)

LATEST = MIGRATIONS[-1].version

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
) STRICT"""

# Tables every cjstudy store has; the restore command checks a backup for them.
REQUIRED_TABLES = ("schema_migrations", "card", "review_log", "setting", "deck_sync")


def check_order(migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
    """Versions must run 1, 2, 3 … with no gap: a typo here would skip a migration forever."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration versions out of order: {versions}")
