"""Opening the SQLite file safely: folder, pragmas, sanity checks, migrations, clear errors.

Every sqlite3 failure leaves this package as a `StoreError` naming the file and what to do,
so the CLI prints one line. A file that is not an SQLite database is refused before SQLite
touches it, and nothing here ever deletes or overwrites an existing file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cjstudy.errors import StoreError
from cjstudy.store.migrations import LATEST, MIGRATIONS, MIGRATIONS_TABLE, Migration, check_order

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIN_SQLITE = (3, 37, 0)  # STRICT tables


def explain(path: Path, error: BaseException) -> str:
    """One line saying what went wrong with the store at `path` and what the student can do."""
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "not a cjstudy" in lowered:
        return (f"{path}: the progress store is damaged or is not a cjstudy store ({text}); it was left "
                "untouched. Restore a backup (`cjstudy backup --list`, `cjstudy restore FILE`) or move the "
                "file away to start afresh")
    if "locked" in lowered or "busy" in lowered:
        return (f"{path}: the progress store stayed locked by another program for over "
                f"{BUSY_TIMEOUT_MS // 1000} s ({text}); close other cjstudy sessions and try again")
    if "readonly" in lowered or "read-only" in lowered:
        return f"{path}: the progress store is read-only ({text}); check the file's and folder's permissions"
    if "unable to open" in lowered or "cannot open" in lowered:
        return (f"{path}: cannot open the progress store ({text}); check that its folder is writable, "
                "or set CJSTUDY_HOME to one that is")
    if "disk is full" in lowered or "disk i/o" in lowered:
        return f"{path}: could not write the progress store ({text}); free some disk space and try again"
    return f"{path}: progress store error: {text}"


@contextmanager
def guarded(path: Path) -> Iterator[None]:
    """Turn sqlite3 errors (and OS errors on the file) into a `StoreError` naming `path`."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(explain(path, error)) from None


def _check_file(path: Path) -> None:
    """Refuse what cannot be our store before SQLite opens it (so it is never written)."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a progress store; set CJSTUDY_HOME elsewhere or move it")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"{path}: cannot read the progress store ({error.strerror or error})") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(explain(path, sqlite3.DatabaseError("file is not a database")))


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{path.parent}: cannot create the data folder for {path.name} "
                         f"({error.strerror or error}); set CJSTUDY_HOME to a writable folder") from None


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN/COMMIT ourselves) with our pragmas set."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise StoreError(f"{path}: SQLite {sqlite3.sqlite_version} is too old; cjstudy needs 3.37 or newer")
    _make_folder(path)
    _check_file(path)
    with guarded(path):
        db = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        try:
            _retry_while_locked(lambda: _prepare(db, path, busy_timeout_ms), busy_timeout_ms)
        except BaseException:
            db.close()
            raise
    return db


def _prepare(db: sqlite3.Connection, path: Path, busy_timeout_ms: int) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    # Reading sqlite_master first makes SQLite read the header: damage shows up here.
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "schema_migrations" not in tables:
        raise sqlite3.DatabaseError("not a cjstudy store: it has other tables and no schema_migrations")
    # WAL: readers never block the writer, two sessions can work at once. FULL sync: every
    # commit (one answer) is fsynced to the WAL before we return, so it survives a power cut,
    # not just a killed process; NORMAL could drop the last answers. It costs one fsync per
    # answer (see docs/performance.md, answer -> commit).
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        _wait_for_wal(db, path)
    db.execute("PRAGMA synchronous = FULL")
    # No checkpoints inside answers (they cost an fsync, tens of ms): `Store.close`
    # checkpoints, and SQLite does on the last close. A killed process loses nothing:
    # the WAL is replayed on the next open.
    db.execute("PRAGMA wal_autocheckpoint = 0")


def _retry_while_locked(step: Callable[[], None], busy_timeout_ms: int) -> None:
    """Run `step`, again while SQLite answers 'locked' or 'busy' at once.

    When two sessions open a new store together, switching it to WAL (and reading a header
    that is being written) can fail straight away instead of waiting for the busy timeout.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            message = str(error).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _wait_for_wal(db: sqlite3.Connection, path: Path) -> None:
    """Switching to WAL needs a moment with no other connection; retry briefly before giving up."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal":
            return
    raise sqlite3.OperationalError("could not switch to WAL mode: database is locked")


def schema_version(db: sqlite3.Connection) -> int:
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    return db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(db: sqlite3.Connection, path: Path, now_ms: int,
            before_write: Callable[[], None] | None = None,
            migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Bring the store up to the newest schema; returns the versions applied (often none)."""
    check_order(migrations)
    latest = migrations[-1].version if migrations else 0
    applied: list[int] = []
    with guarded(path):
        current = schema_version(db)
        if current > latest:
            raise StoreError(f"{path}: the progress store was written by a newer cjstudy (schema {current}, "
                             f"this one knows {latest}); upgrade cjstudy")
        if current == latest:
            return applied
        if before_write is not None:
            before_write()
        for migration in migrations:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(MIGRATIONS_TABLE)
                # Re-read inside the write lock: another process may have migrated meanwhile.
                if schema_version(db) >= migration.version:
                    db.execute("COMMIT")
                    continue
                migration.apply(db)
                db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           (migration.version, migration.name, now_ms))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            applied.append(migration.version)
    return applied


__all__ = ["BUSY_TIMEOUT_MS", "LATEST", "connect", "explain", "guarded", "migrate", "schema_version"]
