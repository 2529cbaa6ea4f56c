"""Copies of the progress store: one automatic backup a day, and backup/restore by hand.

SQLite's online backup API is used in both directions, so a copy is consistent even while
another session has the store open in WAL mode, and a restore goes through SQLite's locks
instead of overwriting a file under a running session. A restore first saves the current
store, so even a mistaken restore loses no history.

Copies never overwrite each other: each is written to a temp file and then hard-linked to a
name nobody has taken (a counter is added when two copies fall in the same microsecond).
Every file is opened as a path, never as an SQLite URI built from it, so `#` or `?` in a
folder name cannot select another file. A copy or a restore checks its source first: a damaged
store is not backed up as if it were fine, and a backup from a newer cjstudy is not restored.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cjstudy.errors import StoreError

KEEP_DAILY = 7
DAILY_PREFIX = "progress-daily-"
MANUAL_PREFIX = "progress-manual-"
BEFORE_RESTORE_PREFIX = "progress-before-restore-"
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # daily | manual | before-restore
    size: int


def connect_read_only(path: Path, timeout: float = 10) -> sqlite3.Connection:
    """Open `path` read-only. SQLite only offers that through a URI, so the path is made into
    a proper `file:` URI (percent-encoded) rather than pasted into one."""
    return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True, timeout=timeout)


def _sqlite_copy(source: Path, target: Path, read_only: bool) -> None:
    """Copy page by page through SQLite's backup API, under SQLite's locks on both sides.

    The live store is opened normally: a read-only open of a WAL database fails when its
    shared-memory file is missing. Files to restore from are opened read-only.
    """
    src = connect_read_only(source) if read_only else sqlite3.connect(source, timeout=10)
    try:
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
            if not read_only:  # a backup file stands alone: no -wal or -shm beside it
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _integrity(path: Path) -> str:
    connection = connect_read_only(path)
    try:
        return str(connection.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        connection.close()


def _copy(source: Path, target: Path, *, unique: bool) -> Path:
    """Consistent copy into a temp file of this process's own, checked, then given its name.

    With `unique`, the name gets a counter when it is taken, so no copy ever replaces another.
    Without it (the daily copy), two sessions starting together may both write the day's
    backup; the first name wins and the other copy is dropped, equally good.
    """
    temp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".copy.", suffix=".partial")
        os.close(handle)
        temp = Path(name)
        _sqlite_copy(source, temp, read_only=False)
        verdict = _integrity(temp)
        if verdict != "ok":
            raise StoreError(f"{source}: the progress store is damaged ({verdict}); no backup was written")
        for attempt in range(1000):
            candidate = target if attempt == 0 else target.with_name(f"{target.stem}-{attempt}{target.suffix}")
            try:
                os.link(temp, candidate)  # fails if the name exists: never replaces a copy
                return candidate
            except FileExistsError:
                if not unique:
                    return candidate
        raise StoreError(f"{target}: too many backups with this name")
    except sqlite3.Error as error:
        raise StoreError(f"{source}: could not back up the progress store ({error}); no backup was written") from None
    except OSError as error:
        raise StoreError(f"{target.parent}: could not write a backup there ({error.strerror or error})") from None
    finally:
        if temp is not None:
            for leftover in (temp, temp.with_name(temp.name + "-wal"), temp.with_name(temp.name + "-shm")):
                leftover.unlink(missing_ok=True)


def backup_now(store_path: Path, backup_dir: Path, now: datetime, kind: str = "manual") -> Path:
    if not store_path.exists():
        raise StoreError(f"{store_path}: there is no progress store to back up yet")
    prefix = MANUAL_PREFIX if kind == "manual" else BEFORE_RESTORE_PREFIX
    target = backup_dir / f"{prefix}{now:%Y-%m-%dT%H%M%S.%f}{SUFFIX}"
    return _copy(store_path, target, unique=True)


def ensure_daily_backup(store_path: Path, backup_dir: Path, today: str, keep: int = KEEP_DAILY) -> Path | None:
    """Back up once per day (`today` as YYYY-MM-DD, local), before that day's first write."""
    if not store_path.exists():
        return None
    target = backup_dir / f"{DAILY_PREFIX}{today}{SUFFIX}"
    if target.exists():
        return None
    written = _copy(store_path, target, unique=False)
    prune_daily(backup_dir, keep)
    return written


DAILY_NAME = re.compile(re.escape(DAILY_PREFIX) + r"(\d{4}-\d{2}-\d{2})" + re.escape(SUFFIX))


def _is_daily_copy(path: Path) -> bool:
    match = DAILY_NAME.fullmatch(path.name)
    if match is None or not path.is_file() or path.is_symlink():
        return False
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        return False
    return True


def prune_daily(backup_dir: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Keep the `keep` daily copies written last; only daily copies are pruned (manual and
    before-restore copies are the user's to delete).

    Age is when a file was written, not the date in its name: a copied-in or future-dated
    name cannot push out the real days."""
    daily = [p for p in backup_dir.glob(f"{DAILY_PREFIX}*{SUFFIX}") if _is_daily_copy(p)]
    daily.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
    removed = daily[:-keep] if keep > 0 else daily
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    found = []
    for path in sorted(backup_dir.glob(f"*{SUFFIX}")):
        name = path.name
        kind = ("daily" if name.startswith(DAILY_PREFIX) else
                "before-restore" if name.startswith(BEFORE_RESTORE_PREFIX) else "manual")
        found.append(BackupInfo(path, kind, path.stat().st_size))
    return found


def check_restorable(candidate: Path, required_tables: tuple[str, ...] = (), latest: int | None = None) -> None:
    """Refuse anything that is not an intact cjstudy store this version can read, before
    touching the live one."""
    if not candidate.is_file():
        raise StoreError(f"{candidate}: no such backup file" if not candidate.exists()
                         else f"{candidate}: not a regular file; nothing was restored")
    try:
        connection = connect_read_only(candidate)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = (connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
                       if "schema_migrations" in tables else 0)
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise StoreError(f"{candidate}: not a cjstudy backup ({error}); nothing was restored") from None
    if verdict != "ok":
        raise StoreError(f"{candidate}: backup is damaged ({verdict}); nothing was restored")
    missing = [t for t in required_tables if t not in tables]
    if missing:
        raise StoreError(f"{candidate}: not a cjstudy backup (no table {', '.join(missing)}); nothing was restored")
    if latest is not None and isinstance(version, int) and version > latest:
        raise StoreError(f"{candidate}: written by a newer cjstudy (schema {version}, this one reads up to "
                         f"{latest}); upgrade cjstudy to restore it; nothing was restored")


def restore(candidate: Path, store_path: Path, backup_dir: Path, now: datetime,
            required_tables: tuple[str, ...] = (), latest: int | None = None) -> Path | None:
    """Replace the store's contents with `candidate`, keeping a copy of what was there."""
    check_restorable(candidate, required_tables, latest)
    saved = backup_now(store_path, backup_dir, now, kind="before-restore") if store_path.exists() else None
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(candidate, store_path, read_only=True)
    except sqlite3.Error as error:
        raise StoreError(f"{store_path}: restore failed ({error}); the previous store is saved as {saved}") from None
    return saved
