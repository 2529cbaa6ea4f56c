"""Backups: daily once, keep the last 7, by hand; restore checks the file and saves what was there."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.errors import StoreError
from cjstudy.store.backup import check_restorable, ensure_daily_backup, list_backups, restore

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


def make_store(path: Path, rows: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS review_log (id INTEGER PRIMARY KEY, rating INTEGER)")
    connection.executemany("INSERT INTO review_log (rating) VALUES (?)", [(3,)] * rows)
    connection.commit()
    connection.close()
    return path


def count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        connection.close()


def test_daily_backup_once_a_day_and_only_seven_kept(tmp_path: Path):
    store = make_store(tmp_path / "progress.sqlite3", 5)
    backups = tmp_path / "backups"
    for day in range(1, 11):
        made = ensure_daily_backup(store, backups, f"2026-11-{day:02d}")
        assert made is not None and count(made) == 5
        assert ensure_daily_backup(store, backups, f"2026-11-{day:02d}") is None
    daily = [b.path.name for b in list_backups(backups) if b.kind == "daily"]
    assert daily == [f"progress-daily-2026-11-{d:02d}.sqlite3" for d in range(4, 11)]


def test_no_store_no_backup(tmp_path: Path):
    assert ensure_daily_backup(tmp_path / "missing.sqlite3", tmp_path / "b", "2026-11-23") is None


def test_backup_is_consistent_while_another_connection_holds_uncommitted_writes(tmp_path: Path):
    store = make_store(tmp_path / "progress.sqlite3", 3)
    writer = sqlite3.connect(store)
    writer.execute("BEGIN")
    writer.execute("INSERT INTO review_log (rating) VALUES (1)")
    made = ensure_daily_backup(store, tmp_path / "b", "2026-11-23")
    writer.rollback()
    writer.close()
    assert count(made) == 3


def test_restore_saves_the_current_store_first(tmp_path: Path):
    store = make_store(tmp_path / "progress.sqlite3", 2)
    old = make_store(tmp_path / "old.sqlite3", 7)
    saved = restore(old, store, tmp_path / "backups", NOW, ("review_log",))
    assert count(store) == 7
    assert saved is not None and count(saved) == 2


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_restore_refuses_damaged_files_and_leaves_store_alone(tmp_path: Path, content: bytes):
    store = make_store(tmp_path / "progress.sqlite3", 4)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    with pytest.raises(StoreError, match="bad.sqlite3"):
        restore(bad, store, tmp_path / "backups", NOW, ("review_log",))
    assert count(store) == 4
    assert not (tmp_path / "backups").exists()


def test_restore_refuses_foreign_database(tmp_path: Path):
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE other (x)")
    connection.close()
    with pytest.raises(StoreError, match="not a cjstudy backup"):
        check_restorable(foreign, ("review_log",))


def make_real_store(path: Path, reviews: int) -> Path:
    """A store as cjstudy creates it, with `reviews` answered reviews of one card."""
    from cjstudy.model import CardKey, CardState, Rating, Review
    from cjstudy.store import open_store

    with open_store(path, now=NOW) as store:
        for _ in range(reviews):
            store.record_review(Review(CardKey("d", "c"), NOW, Rating.GOOD, 1000, CardState(),
                                       CardState(state="review", stability=1.0, difficulty=5.0, due=NOW,
                                                 last_review=NOW, reps=1)))
    return path


def test_backup_and_restore_commands(runner, isolated_home: Path):
    result = runner.invoke(app, ["backup"])
    assert result.exit_code == 1 and "no progress store to back up yet" in result.output
    store = make_real_store(isolated_home / "progress.sqlite3", 3)
    result = runner.invoke(app, ["backup"])
    assert result.exit_code == 0, result.output
    made = Path(result.output.split("backed up to ")[1].strip())
    assert count(made) == 3
    listing = runner.invoke(app, ["backup", "--list"])
    assert made.name in listing.output and "manual" in listing.output
    make_real_store(store, 10)  # more progress after the backup
    result = runner.invoke(app, ["restore", str(made)])
    assert result.exit_code == 0, result.output
    assert count(store) == 3
    assert "previous progress is saved as" in result.output
    foreign = make_store(isolated_home / "foreign.sqlite3", 1)
    refused = runner.invoke(app, ["restore", str(foreign)])
    assert refused.exit_code == 1 and "not a cjstudy backup" in refused.output
    missing = runner.invoke(app, ["restore", str(isolated_home / "nope.sqlite3")])
    assert missing.exit_code == 1 and "no such backup file" in missing.output


# --- hardening: copies never overwrite each other, paths are paths, check before acting ---


def test_two_restores_in_one_second_keep_both_before_restore_copies(tmp_path: Path):
    store = make_store(tmp_path / "progress.sqlite3", 2)
    first = make_store(tmp_path / "one.sqlite3", 7)
    second = make_store(tmp_path / "two.sqlite3", 9)
    backups = tmp_path / "backups"
    saved_a = restore(first, store, backups, NOW)
    saved_b = restore(second, store, backups, NOW)  # the very same timestamp
    assert saved_a != saved_b
    assert count(saved_a) == 2 and count(saved_b) == 7 and count(store) == 9
    assert sorted(b.kind for b in list_backups(backups)) == ["before-restore", "before-restore"]
    assert not list(backups.glob(".*"))  # no temp file left behind


@pytest.mark.parametrize("folder", ["with#hash", "with?query", "with%20percent", "mode=ro&x"])
def test_restore_opens_the_file_named_not_a_uri_made_of_it(tmp_path: Path, folder: str):
    store = make_store(tmp_path / "progress.sqlite3", 1)
    odd = make_store(tmp_path / folder / "b.sqlite3", 4)
    restore(odd, store, tmp_path / "backups", NOW)
    assert count(store) == 4
    assert not (tmp_path / "with").exists()  # no stray file created by a truncated URI


def test_a_backup_from_a_newer_cjstudy_is_refused_and_nothing_changes(tmp_path: Path):
    store = make_store(tmp_path / "progress.sqlite3", 3)
    newer = make_store(tmp_path / "newer.sqlite3", 8)
    connection = sqlite3.connect(newer)
    connection.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)")
    connection.execute("INSERT INTO schema_migrations VALUES (999)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="newer cjstudy .*schema 999.*nothing was restored"):
        restore(newer, store, tmp_path / "backups", NOW, latest=1)
    assert count(store) == 3 and not (tmp_path / "backups").exists()


def test_backing_up_a_damaged_store_says_so_and_writes_nothing(tmp_path: Path):
    from cjstudy.store.backup import backup_now

    store = make_store(tmp_path / "progress.sqlite3", 2000)
    sqlite3.connect(store).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(store.read_bytes())
    data[4096 * 2: 4096 * 2 + 200] = b"\xff" * 200  # scribble over a table page
    store.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|could not back up"):
        backup_now(store, tmp_path / "backups", NOW)
    assert list_backups(tmp_path / "backups") == []


def test_pruning_goes_by_when_copies_were_written_not_their_names(tmp_path: Path):
    import os

    store = make_store(tmp_path / "progress.sqlite3", 1)
    backups = tmp_path / "backups"
    backups.mkdir()
    future = backups / "progress-daily-2099-01-01.sqlite3"
    future.write_bytes(store.read_bytes())
    os.utime(future, (1_000_000, 1_000_000))  # written long ago, whatever its name says
    not_a_backup = backups / "progress-daily-notes.sqlite3"
    not_a_backup.write_text("mine")
    for day in range(1, 8):
        ensure_daily_backup(store, backups, f"2026-11-{day:02d}", keep=7)
    names = sorted(p.name for p in backups.iterdir())
    assert future.name not in names  # the oldest written copy went first
    assert not_a_backup.name in names  # not a daily copy: never touched
    assert len([n for n in names if n.startswith("progress-daily-2026")]) == 7


def test_backup_list_columns_line_up(runner, tmp_path: Path, monkeypatch):
    from cjstudy.paths import backup_dir
    import os

    folder = backup_dir(os.environ)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("progress-daily-2026-11-01.sqlite3", "progress-manual-2026-11-01T101010.123456.sqlite3"):
        make_store(folder / name, 1)
    result = runner.invoke(app, ["backup", "--list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    kind_columns = {line.rindex(" daily ") if " daily " in line else line.rindex(" manual ") for line in lines}
    assert len(lines) == 2 and len(kind_columns) == 1
