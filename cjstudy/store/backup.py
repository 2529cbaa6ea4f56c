"""Copies of the progress store: one automatic backup a day, and backup/restore by hand.

SQLite's online backup API is used in both directions, so a copy is consistent even while
another session has the store open in WAL mode, and a restore goes through SQLite's locks
instead of overwriting a file under a running session. A restore first saves the current
store, so even a mistaken restore loses no history.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
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


def _sqlite_copy(source: Path, target: Path, read_only: bool) -> None:
    """Copy page by page through SQLite's backup API, under SQLite's locks on both sides.

    The live store is opened normally: a read-only open of a WAL database fails when its
    shared-memory file is missing. Files to restore from are opened read-only.
    """
    src = (sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10) if read_only
           else sqlite3.connect(source, timeout=10))
    try:
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _copy(source: Path, target: Path) -> None:
    """Consistent copy into a temp file of this process's own, then an atomic rename.

    Two sessions starting together may both take the day's backup; each writes its own temp
    file and the last rename wins with an equally good copy.
    """
    temp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=target.stem + ".", suffix=".partial")
        os.close(handle)
        temp = Path(name)
        _sqlite_copy(source, temp, read_only=False)
        os.replace(temp, target)
    except (sqlite3.Error, OSError) as error:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise StoreError(f"{target}: could not write backup of {source}: {error}") from None


def backup_now(store_path: Path, backup_dir: Path, now: datetime, kind: str = "manual") -> Path:
    if not store_path.exists():
        raise StoreError(f"{store_path}: there is no progress store to back up yet")
    prefix = MANUAL_PREFIX if kind == "manual" else BEFORE_RESTORE_PREFIX
    target = backup_dir / f"{prefix}{now:%Y-%m-%dT%H%M%S}{SUFFIX}"
    _copy(store_path, target)
    return target


def ensure_daily_backup(store_path: Path, backup_dir: Path, today: str, keep: int = KEEP_DAILY) -> Path | None:
    """Back up once per day (`today` as YYYY-MM-DD, local), before that day's first write."""
    if not store_path.exists():
        return None
    target = backup_dir / f"{DAILY_PREFIX}{today}{SUFFIX}"
    if target.exists():
        return None
    _copy(store_path, target)
    prune_daily(backup_dir, keep)
    return target


def prune_daily(backup_dir: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Only daily copies are pruned; manual and before-restore copies are the user's to delete."""
    daily = sorted(backup_dir.glob(f"{DAILY_PREFIX}*{SUFFIX}"))
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


def check_restorable(candidate: Path, required_tables: tuple[str, ...] = ()) -> None:
    """Refuse anything that is not an intact SQLite store before touching the live one."""
    if not candidate.is_file():
        raise StoreError(f"{candidate}: no such backup file")
    try:
        connection = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise StoreError(f"{candidate}: not a cjstudy backup ({error})") from None
    if verdict != "ok":
        raise StoreError(f"{candidate}: backup is damaged ({verdict}); nothing was restored")
    missing = [t for t in required_tables if t not in tables]
    if missing:
        raise StoreError(f"{candidate}: not a cjstudy backup (no table {', '.join(missing)}); nothing was restored")


def restore(candidate: Path, store_path: Path, backup_dir: Path, now: datetime,
            required_tables: tuple[str, ...] = ()) -> Path | None:
    """Replace the store's contents with `candidate`, keeping a copy of what was there."""
    check_restorable(candidate, required_tables)
    saved = backup_now(store_path, backup_dir, now, kind="before-restore") if store_path.exists() else None
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(candidate, store_path, read_only=True)
    except sqlite3.Error as error:
        raise StoreError(f"{store_path}: restore failed ({error}); the previous store is saved as {saved}") from None
    return saved
