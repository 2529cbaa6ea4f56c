"""The `Store`: every query cjstudy runs against the progress store.

Writes happen in short `BEGIN IMMEDIATE` transactions that are committed before the method
returns, so an answer is on disk before the next card is drawn. History is append-only:
`review_log` rows are never deleted; undo only marks a row and restores the state before it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.store import codec
from cjstudy.store.connection import BUSY_TIMEOUT_MS, connect, guarded, migrate, schema_version

SOURCES = ("study", "exam", "import")
KeyTuple = tuple[str, str, str]

_STATE_COLUMNS = "s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses"
_REVIEW_COLUMNS = ("r.id, c.deck, c.card, c.variant, r.reviewed_at, r.rating, r.duration_ms, r.source, "
                   "r.before_json, r.after_json")


@dataclass
class QueueSnapshot:
    """What building a study queue needs, read in one consistent transaction.

    `scheduled`: started cards due before `until` and not buried; `started`: keys of every card
    that is no longer new; `buried`: keys buried at `now` (new or not).
    """

    scheduled: list[tuple[CardKey, CardState]] = field(default_factory=list)
    started: set[KeyTuple] = field(default_factory=set)
    buried: set[KeyTuple] = field(default_factory=set)


@dataclass(frozen=True)
class ReviewRow:
    """A review without its state snapshots: cheap enough to read a million for stats."""

    id: int
    key: CardKey
    reviewed_at: datetime
    rating: Rating
    duration_ms: int | None
    source: str
    state_before: str
    undone: bool


class Store:
    """The progress store at `path`. Use `Store.open(path)`; close it (or use `with`)."""

    def __init__(self, db: sqlite3.Connection, path: Path,
                 before_first_write: Callable[[], None] | None = None) -> None:
        self.db = db
        self.path = path
        self._before_first_write = before_first_write

    @classmethod
    def open(cls, path: Path | str, *, now: datetime | None = None,
             before_first_write: Callable[[], None] | None = None,
             busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> "Store":
        """Open (creating folder and file if needed) and migrate to the newest schema.

        `before_first_write` runs once, just before this store's first write (a migration or
        an answer): the CLI hangs the daily backup on it. `now` only stamps migration rows.
        """
        path = Path(path)
        db = connect(path, busy_timeout_ms)
        store = cls(db, path, before_first_write)
        try:
            stamp = codec.to_ms(now) if now is not None else 0
            migrate(db, path, stamp, store._fire_first_write)
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ------------------------------------------------------------------------

    def _fire_first_write(self) -> None:
        hook, self._before_first_write = self._before_first_write, None
        if hook is not None:
            hook()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving; any failure rolls back and names the file."""
        self._fire_first_write()
        with guarded(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so several SELECTs see one snapshot."""
        with guarded(self.path):
            self.db.execute("BEGIN")
            try:
                yield self.db
            finally:
                self.db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with guarded(self.path):
            return self.db.execute(sql, params).fetchall()

    @staticmethod
    def _card_id(db: sqlite3.Connection, key: CardKey, now_ms: int) -> int:
        row = db.execute("SELECT id FROM card WHERE deck = ? AND card = ? AND variant = ?",
                         (key.deck, key.card, key.variant)).fetchone()
        if row:
            return row[0]
        return db.execute("INSERT INTO card (deck, card, variant, created_at) VALUES (?, ?, ?, ?)",
                          (key.deck, key.card, key.variant, now_ms)).lastrowid

    @staticmethod
    def _deck_filter(decks: Iterable[str] | None, column: str = "c.deck") -> tuple[str, list[str]]:
        if decks is None:
            return "", []
        decks = list(decks)
        return f" AND {column} IN ({', '.join('?' * len(decks))})", decks

    def schema_version(self) -> int:
        with guarded(self.path):
            return schema_version(self.db)

    # --- card state ----------------------------------------------------------------------

    def state(self, key: CardKey) -> CardState | None:
        """The card's state, or None if it was never reviewed or buried."""
        rows = self._query(f"SELECT {_STATE_COLUMNS} FROM card c JOIN card_state s ON s.card_id = c.id "
                           "WHERE c.deck = ? AND c.card = ? AND c.variant = ?", (key.deck, key.card, key.variant))
        return codec.state_from_row(rows[0]) if rows else None

    def states(self, decks: Iterable[str] | None = None) -> dict[CardKey, CardState]:
        """Every stored state (of `decks` if given), including cards no longer in any deck."""
        where, params = self._deck_filter(decks)
        rows = self._query(f"SELECT c.deck, c.card, c.variant, {_STATE_COLUMNS} FROM card c "
                           f"JOIN card_state s ON s.card_id = c.id WHERE 1{where}", params)
        return {CardKey(r[0], r[1], r[2]): codec.state_from_row(r[3:]) for r in rows}

    def queue_snapshot(self, now: datetime, until: datetime, decks: Iterable[str] | None = None) -> QueueSnapshot:
        """Everything a study queue needs, in three index-friendly queries in one snapshot."""
        where, params = self._deck_filter(decks)
        now_ms, until_ms = codec.to_ms(now), codec.to_ms(until)
        snap = QueueSnapshot()
        with self._read() as db:
            for row in db.execute(
                f"SELECT c.deck, c.card, c.variant, {_STATE_COLUMNS} FROM card_state s "
                "JOIN card c ON c.id = s.card_id WHERE s.due < ? AND s.state <> 'new' "
                f"AND (s.buried_until IS NULL OR s.buried_until <= ?){where}", [until_ms, now_ms, *params]):
                snap.scheduled.append((CardKey(row[0], row[1], row[2]), codec.state_from_row(row[3:])))
            snap.started = set(db.execute(
                "SELECT c.deck, c.card, c.variant FROM card_state s JOIN card c ON c.id = s.card_id "
                f"WHERE s.state <> 'new'{where}", params))
            snap.buried = set(db.execute(
                "SELECT c.deck, c.card, c.variant FROM card_state s JOIN card c ON c.id = s.card_id "
                f"WHERE s.buried_until > ?{where}", [now_ms, *params]))
        return snap

    def iter_due(self, after: datetime, decks: Iterable[str] | None = None,
                 page: int = 500) -> Iterator[tuple[CardKey, datetime]]:
        """Started cards due after `after`, soonest first, read page by page.

        Lazy so a caller can stop at the first card it cares about; each page is a complete
        query, so an abandoned iterator holds no statement or lock open.
        """
        where, params = self._deck_filter(decks)
        last = (codec.to_ms(after), -1)
        while True:
            rows = self._query(
                "SELECT c.deck, c.card, c.variant, s.due, s.card_id FROM card_state s JOIN card c ON c.id = s.card_id "
                f"WHERE (s.due > ? OR (s.due = ? AND s.card_id > ?)) AND s.state <> 'new'{where} "
                "ORDER BY s.due, s.card_id LIMIT ?", [last[0], last[0], last[1], *params, page])
            for deck, card, variant, due, _ in rows:
                yield CardKey(deck, card, variant), codec.from_ms(due)
            if len(rows) < page:
                return
            last = (rows[-1][3], rows[-1][4])

    # --- answering -----------------------------------------------------------------------

    def _insert_review(self, db: sqlite3.Connection, card_id: int, review: Review) -> int:
        if review.source not in SOURCES:
            raise StoreError(f"{self.path}: unknown review source {review.source!r}")
        return db.execute(
            "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, source, state_before, "
            "state_after, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (card_id, codec.to_ms(review.reviewed_at), int(review.rating), review.duration_ms, review.source,
             review.before.state, review.after.state, codec.state_to_json(review.before),
             codec.state_to_json(review.after))).lastrowid

    @staticmethod
    def _put_state(db: sqlite3.Connection, card_id: int, state: CardState, now_ms: int) -> None:
        """Upsert the state; a new state always clears any burial."""
        db.execute(
            "INSERT INTO card_state (card_id, state, step, stability, difficulty, due, last_review, reps, lapses, "
            "buried_until, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (card_id) DO UPDATE "
            "SET state = excluded.state, step = excluded.step, stability = excluded.stability, "
            "difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review, "
            "reps = excluded.reps, lapses = excluded.lapses, buried_until = NULL, updated_at = excluded.updated_at",
            (card_id, *codec.state_columns(state), now_ms))

    def record_review(self, review: Review) -> Review:
        """Append the log row and set the card's state to `review.after`, committed together.

        Returns the review as stored (with its id, times cut to milliseconds).
        """
        now_ms = codec.to_ms(review.reviewed_at)
        with self._write() as db:
            card_id = self._card_id(db, review.key, now_ms)
            review_id = self._insert_review(db, card_id, review)
            self._put_state(db, card_id, review.after, now_ms)
        return self._stored(review, review_id)

    def review_with(self, key: CardKey, compute: Callable[[CardState], Review]) -> Review:
        """Read the card's current state and record `compute(state)` atomically.

        Two sessions answering the same card cannot overwrite each other: the second one sees
        the first one's result as its starting state. `compute` must be quick and pure.
        """
        with self._write() as db:
            row = db.execute(f"SELECT s.card_id, {_STATE_COLUMNS} FROM card c JOIN card_state s "
                             "ON s.card_id = c.id WHERE c.deck = ? AND c.card = ? AND c.variant = ?",
                             (key.deck, key.card, key.variant)).fetchone()
            before = codec.state_from_row(row[1:]) if row else CardState()
            review = compute(before)
            if review.key != key or review.before != before:
                raise ValueError("compute() must return a review of the given card from the given state")
            now_ms = codec.to_ms(review.reviewed_at)
            card_id = row[0] if row else self._card_id(db, key, now_ms)
            review_id = self._insert_review(db, card_id, review)
            self._put_state(db, card_id, review.after, now_ms)
        return self._stored(review, review_id)

    @staticmethod
    def _stored(review: Review, review_id: int) -> Review:
        return replace(review, id=review_id, reviewed_at=codec.from_ms(codec.to_ms(review.reviewed_at)),
                       before=codec.normalise(review.before), after=codec.normalise(review.after))

    def undo_review(self, review_id: int, now: datetime) -> Review:
        """Mark the review undone and put its card back in the state it had before it.

        Only the card's latest standing review can be undone (anything else would throw away
        a later answer); the row stays in the log for good, flagged with `undone_at`.
        """
        with self._write() as db:
            row = db.execute(f"SELECT {_REVIEW_COLUMNS}, r.card_id, r.undone_at FROM review_log r "
                             "JOIN card c ON c.id = r.card_id WHERE r.id = ?", (review_id,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: there is no review #{review_id} to undo")
            review, card_id, undone_at = self._review_from_row(row[:10]), row[10], row[11]
            if undone_at is not None:
                raise StoreError(f"{self.path}: review #{review_id} was already undone")
            later = db.execute("SELECT 1 FROM review_log WHERE card_id = ? AND id > ? AND undone_at IS NULL",
                               (card_id, review_id)).fetchone()
            if later:
                raise StoreError(f"{self.path}: {review.key.address} was answered again after review "
                                 f"#{review_id}; only its latest answer can be undone")
            now_ms = codec.to_ms(now)
            db.execute("UPDATE review_log SET undone_at = ? WHERE id = ?", (now_ms, review_id))
            self._put_state(db, card_id, review.before, now_ms)
        return review

    def import_history(self, key: CardKey, reviews: Sequence[Review], final: CardState) -> bool:
        """Add imported history (e.g. an Anki revlog) for a card that has none; False if it has some.

        All rows and the final state are written in one transaction: an import never half-lands.
        """
        if not reviews:
            return False
        stamp = codec.to_ms(max(r.reviewed_at for r in reviews))
        with self._write() as db:
            row = db.execute("SELECT id FROM card WHERE deck = ? AND card = ? AND variant = ?",
                             (key.deck, key.card, key.variant)).fetchone()
            if row is not None:
                busy = db.execute("SELECT 1 FROM review_log WHERE card_id = ? UNION ALL "
                                  "SELECT 1 FROM card_state WHERE card_id = ? AND state <> 'new' LIMIT 1",
                                  (row[0], row[0])).fetchone()
                if busy:
                    return False
            card_id = row[0] if row else self._card_id(db, key, stamp)
            for review in sorted(reviews, key=lambda r: r.reviewed_at):
                self._insert_review(db, card_id, replace(review, key=key))
            self._put_state(db, card_id, final, stamp)
        return True

    # --- burying -------------------------------------------------------------------------

    def bury(self, key: CardKey, until: datetime, now: datetime) -> None:
        """Hide the card until `until` (normally the start of the next study day)."""
        now_ms, until_ms = codec.to_ms(now), codec.to_ms(until)
        with self._write() as db:
            card_id = self._card_id(db, key, now_ms)
            db.execute("INSERT INTO card_state (card_id, state, buried_until, updated_at) VALUES (?, 'new', ?, ?) "
                       "ON CONFLICT (card_id) DO UPDATE SET buried_until = excluded.buried_until, "
                       "updated_at = excluded.updated_at", (card_id, until_ms, now_ms))

    def unbury(self, keys: Iterable[CardKey] | None = None) -> int:
        """Un-hide the given cards (all buried cards if None); returns how many were buried."""
        with self._write() as db:
            if keys is None:
                return db.execute("UPDATE card_state SET buried_until = NULL WHERE buried_until IS NOT NULL").rowcount
            count = 0
            for key in keys:
                count += db.execute(
                    "UPDATE card_state SET buried_until = NULL WHERE buried_until IS NOT NULL AND card_id = "
                    "(SELECT id FROM card WHERE deck = ? AND card = ? AND variant = ?)",
                    (key.deck, key.card, key.variant)).rowcount
            return count

    def buried(self, now: datetime) -> dict[CardKey, datetime]:
        rows = self._query("SELECT c.deck, c.card, c.variant, s.buried_until FROM card_state s JOIN card c "
                           "ON c.id = s.card_id WHERE s.buried_until > ?", (codec.to_ms(now),))
        return {CardKey(r[0], r[1], r[2]): codec.from_ms(r[3]) for r in rows}

    # --- history -------------------------------------------------------------------------

    @staticmethod
    def _review_from_row(row: tuple) -> Review:
        rid, deck, card, variant, at, rating, duration, source, before, after = row
        return Review(CardKey(deck, card, variant), codec.from_ms(at), Rating(rating), duration,
                      codec.state_from_json(before), codec.state_from_json(after), source, rid)

    def _history_filter(self, since: datetime | None, until: datetime | None, key: CardKey | None,
                        decks: Iterable[str] | None, sources: Iterable[str] | None,
                        include_undone: bool) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if since is not None:
            clauses.append("r.reviewed_at >= ?")
            params.append(codec.to_ms(since))
        if until is not None:
            clauses.append("r.reviewed_at < ?")
            params.append(codec.to_ms(until))
        if key is not None:
            clauses.append("c.deck = ? AND c.card = ? AND c.variant = ?")
            params += [key.deck, key.card, key.variant]
        if not include_undone:
            clauses.append("r.undone_at IS NULL")
        where, deck_params = self._deck_filter(decks)
        if sources is not None:
            sources = list(sources)
            clauses.append(f"r.source IN ({', '.join('?' * len(sources))})")
            params += sources
        return " AND ".join(clauses) + where, params + deck_params

    def reviews(self, since: datetime | None = None, until: datetime | None = None, *,
                key: CardKey | None = None, decks: Iterable[str] | None = None,
                sources: Iterable[str] | None = None, include_undone: bool = False) -> list[Review]:
        """Reviews in [since, until), oldest first, with full before/after states. Undone ones are left out."""
        where, params = self._history_filter(since, until, key, decks, sources, include_undone)
        rows = self._query(f"SELECT {_REVIEW_COLUMNS} FROM review_log r JOIN card c ON c.id = r.card_id "
                           f"WHERE {where} ORDER BY r.reviewed_at, r.id", params)
        return [self._review_from_row(row) for row in rows]

    def review_rows(self, since: datetime | None = None, until: datetime | None = None, *,
                    decks: Iterable[str] | None = None, sources: Iterable[str] | None = None,
                    include_undone: bool = False, page: int = 5000) -> Iterator[ReviewRow]:
        """Like `reviews` but without state snapshots, read page by page: for stats over long histories."""
        where, params = self._history_filter(since, until, None, decks, sources, include_undone)
        last = (-(2 ** 62), -1)
        while True:
            rows = self._query(
                "SELECT r.id, c.deck, c.card, c.variant, r.reviewed_at, r.rating, r.duration_ms, r.source, "
                f"r.state_before, r.undone_at FROM review_log r JOIN card c ON c.id = r.card_id WHERE {where} "
                "AND (r.reviewed_at > ? OR (r.reviewed_at = ? AND r.id > ?)) ORDER BY r.reviewed_at, r.id LIMIT ?",
                [*params, last[0], last[0], last[1], page])
            for rid, deck, card, variant, at, rating, duration, source, before, undone in rows:
                yield ReviewRow(rid, CardKey(deck, card, variant), codec.from_ms(at), Rating(rating), duration,
                                source, before, undone is not None)
            if len(rows) < page:
                return
            last = (rows[-1][4], rows[-1][0])

    def count_reviews(self, since: datetime | None = None, until: datetime | None = None, *,
                      include_undone: bool = False) -> int:
        where, params = self._history_filter(since, until, None, None, None, include_undone)
        return self._query(f"SELECT count(*) FROM review_log r JOIN card c ON c.id = r.card_id WHERE {where}",
                           params)[0][0]

    def count_reviews_by_deck(self, *, include_undone: bool = False) -> dict[str, int]:
        """Reviews per deck id in one grouped query (the `stats` column); undone ones left out."""
        where, params = self._history_filter(None, None, None, None, None, include_undone)
        return dict(self._query(f"SELECT c.deck, count(*) FROM review_log r JOIN card c ON c.id = r.card_id "
                                f"WHERE {where} GROUP BY c.deck", params))

    def count_new_introduced(self, since: datetime, until: datetime) -> int:
        """Cards first studied in [since, until): what the daily new-card limit counts (imports excluded)."""
        return self._query(
            "SELECT count(DISTINCT card_id) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ? "
            "AND state_before = 'new' AND undone_at IS NULL AND source <> 'import'",
            (codec.to_ms(since), codec.to_ms(until)))[0][0]

    # --- settings ------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM setting WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except ValueError:
            raise StoreError(f"{self.path}: setting {key!r} is not valid JSON; set it again") from None

    def set_setting(self, key: str, value: Any, now: datetime | None = None) -> None:
        """Store any JSON-able value (retention, new cards per day, fitted parameters, exam date …)."""
        text = json.dumps(value)
        stamp = codec.to_ms(now) if now is not None else 0
        with self._write() as db:
            db.execute("INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", (key, text, stamp))

    def delete_setting(self, key: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM setting WHERE key = ?", (key,)).rowcount > 0

    def settings(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self._query("SELECT key, value FROM setting ORDER BY key")}
