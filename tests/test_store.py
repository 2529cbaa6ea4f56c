"""Progress store: schema and migrations, clear errors on bad files, concurrency, durability."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.paths import store_path
from cjstudy.store import REQUIRED_TABLES, SCHEMA_VERSION, Store, open_store
from cjstudy.store.connection import connect, migrate
from cjstudy.store.migrations import MIGRATIONS, Migration, check_order

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
KEY = CardKey("touch-points", "tp-brand-owned")


def review(key: CardKey = KEY, at: datetime = T0, rating: Rating = Rating.GOOD, reps: int = 1) -> Review:
    after = CardState("learning", 1, 2.3, 5.0, at + timedelta(minutes=10), at, reps, 0)
    return Review(key, at, rating, 1500, CardState(), after)


def test_new_store_is_created_with_its_folder_and_migrated(tmp_path: Path):
    path = tmp_path / "deep" / "er" / "progress.sqlite3"
    with open_store(path, now=T0) as store:
        assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        db = store.db
        tables = {row[1]: row[5] for row in db.execute("PRAGMA table_list") if row[0] == "main"}
        for table in REQUIRED_TABLES:
            assert tables[table] == 1, f"{table} is not STRICT"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
            db.execute("INSERT INTO review_log (card_id, reviewed_at, rating, source, state_before, state_after, "
                       "before_json, after_json) VALUES (999, 0, 3, 'study', 'new', 'new', '{}', '{}')")
        with pytest.raises(sqlite3.IntegrityError):  # STRICT: no text in an integer column
            db.execute("INSERT INTO setting (key, value, updated_at) VALUES ('k', 'v', 'soon')")


def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path, now=T0) as store:
        store.record_review(review())
    for _ in range(2):
        with Store.open(path, now=T0 + timedelta(days=1)) as store:
            rows = store.db.execute("SELECT version, name, applied_at FROM schema_migrations").fetchall()
            assert rows == [(1, "initial schema", int(T0.timestamp() * 1000))]
            assert len(store.reviews()) == 1


def test_default_path_comes_from_cjstudy_home(isolated_home: Path):
    path = store_path(os.environ)
    assert path.parent == isolated_home
    with open_store(path):
        pass
    assert path.is_file()


def test_each_migration_runs_in_its_own_transaction(tmp_path: Path):
    def good(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE one (x INTEGER) STRICT")

    def bad(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE two (x INTEGER) STRICT")
        raise sqlite3.OperationalError("boom in migration 2")

    path = tmp_path / "m.sqlite3"
    db = connect(path)
    with pytest.raises(StoreError, match="boom in migration 2"):
        migrate(db, path, 0, migrations=(Migration(1, "one", good), Migration(2, "two", bad)))
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "one" in tables and "two" not in tables
    assert db.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
    # Fixed migration 2 applies on the next open; 1 is not run again.
    assert migrate(db, path, 0, migrations=(Migration(1, "one", good), Migration(2, "two", good_two))) == [2]
    db.close()


def good_two(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE two (x INTEGER) STRICT")


def test_migration_list_must_be_in_order():
    noop = lambda db: None  # noqa: E731
    check_order((Migration(1, "a", noop), Migration(2, "b", noop)))
    with pytest.raises(RuntimeError, match="out of order"):
        check_order((Migration(1, "a", noop), Migration(3, "c", noop)))


def test_store_from_a_newer_cjstudy_is_refused(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO schema_migrations VALUES (99, 'future', 0)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match=r"progress.sqlite3: .*newer cjstudy"):
        Store.open(path)


@pytest.mark.parametrize("content", [
    b"this is a text file, not a database\n" * 50,
    b"SQLite format 3\x00" + b"\xff" * 4096,
])
def test_damaged_file_is_refused_naming_the_path_and_left_untouched(tmp_path: Path, content: bytes):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as error:
        Store.open(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "damaged" in message and "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


def test_corrupted_pages_inside_a_real_store_give_a_store_error(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        for n in range(200):
            store.record_review(review(CardKey("d", f"c{n}")))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:len(data)] = b"\x5a" * (len(data) - page)  # everything after the first page is garbage
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=str(path)):
        with Store.open(path) as store:
            store.reviews()
    assert path.read_bytes() == bytes(data)


def test_another_programs_database_is_not_taken_over(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a cjstudy store"):
        Store.open(path)
    assert path.read_bytes() == before


def test_folder_that_cannot_be_created_is_a_store_error(tmp_path: Path):
    blocker = tmp_path / "home"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match=f"{blocker}: cannot create the data folder.*CJSTUDY_HOME"):
        Store.open(blocker / "progress.sqlite3")


def test_path_that_is_a_folder_is_a_store_error(tmp_path: Path):
    (tmp_path / "progress.sqlite3").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path / "progress.sqlite3")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_folder_is_a_store_error(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match=str(folder)):
            Store.open(folder / "progress.sqlite3")
    finally:
        folder.chmod(0o700)


def test_cli_reports_a_damaged_store_in_one_line(isolated_home: Path):
    """The error boundary prints `error: <path>: …` and exits 1, no traceback."""
    isolated_home.mkdir(parents=True)
    path = store_path(os.environ)
    path.write_bytes(b"garbage" * 100)
    code = textwrap.dedent("""
        import os, typer
        from cjstudy.cli.app import app
        from cjstudy.paths import store_path
        from cjstudy.store import open_store

        @app.command("probe-store")
        def probe() -> None:
            open_store(store_path(os.environ)).close()

        app()
    """)
    result = subprocess.run([sys.executable, "-c", code, "probe-store"], capture_output=True, text=True,
                            env={**os.environ, "CJSTUDY_HOME": str(isolated_home)})
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {path}: the progress store is damaged")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_locked_too_long_is_a_store_error_and_nothing_half_written(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, busy_timeout_ms=100) as store:
            with pytest.raises(StoreError, match=f"{path}: .*locked.*try again"):
                store.record_review(review())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store.open(path) as store:
        assert store.reviews() == [] and store.state(KEY) is None
        store.record_review(review())  # and the store still works afterwards
        assert len(store.reviews()) == 1


def _writer(path: str, worker: int, count: int) -> None:
    """Each worker answers its own cards and the shared card, interleaved with the other worker."""
    with Store.open(Path(path)) as store:
        for n in range(count):
            at = T0 + timedelta(seconds=n)
            store.record_review(review(CardKey("d", f"w{worker}-{n}"), at))

            def bump(before: CardState, at: datetime = at) -> Review:
                after = CardState("review", None, 1.0, 5.0, at + timedelta(days=1), at, before.reps + 1, 0)
                return Review(CardKey("d", "shared"), at, Rating.GOOD, 10, before, after)

            store.review_with(CardKey("d", "shared"), bump)


def test_two_processes_writing_at_once_both_succeed_and_lose_nothing(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), w, 150)) for w in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    with Store.open(path) as store:
        assert store.count_reviews() == 2 * 150 * 2
        # Read-modify-write in one transaction: no increment of the shared card was lost.
        assert store.state(CardKey("d", "shared")).reps == 300
        assert len(store.states()) == 301


def test_a_killed_process_keeps_every_answer_it_gave(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    code = textwrap.dedent(f"""
        import os, signal
        from datetime import datetime, timezone
        from cjstudy.model import CardKey, CardState, Rating, Review
        from cjstudy.store import Store
        store = Store.open({str(path)!r})
        at = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
        for n in range(5):
            store.record_review(Review(CardKey("d", f"c{{n}}"), at, Rating.GOOD, 1, CardState(),
                                       CardState("review", None, 1.0, 5.0, at, at, 1, 0)))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL, result.stderr
    with Store.open(path) as store:
        assert store.count_reviews() == 5


def test_first_write_hook_runs_once_before_the_first_write(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    calls: list[bool] = []
    hook = lambda: calls.append(path.exists())  # noqa: E731
    with Store.open(path, before_first_write=hook) as store:  # new store: the migration is a write
        assert calls == [True]
        store.record_review(review())
        store.set_setting("x", 1)
    assert calls == [True]
    calls.clear()
    with Store.open(path, before_first_write=hook) as store:  # up to date: reading writes nothing
        store.reviews()
        store.state(KEY)
        assert calls == []
        store.set_setting("x", 2)
        store.set_setting("x", 3)
    assert calls == [True]


def test_every_answer_is_fsynced_before_the_commit_returns(tmp_path: Path):
    """synchronous=FULL in WAL mode: a power cut after an answer cannot drop it (NORMAL could)."""
    with open_store(tmp_path / "progress.sqlite3") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
