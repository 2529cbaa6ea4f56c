"""`backup` and `restore`: copies of the progress store made and used by hand."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import now


@app.command("backup")
def backup(
    list_only: bool = typer.Option(False, "--list", help="List the backups instead of making one."),
) -> None:
    """Copy the progress store now (daily copies are also made automatically; the last 7 are kept).

    Examples: cjstudy backup  ·  cjstudy backup --list
    """
    from cjstudy.paths import backup_dir, store_path
    from cjstudy.store.backup import backup_now, list_backups

    folder = backup_dir(os.environ)
    if list_only:
        backups = list_backups(folder)
        if not backups:
            typer.echo(f"no backups yet in {folder}")
            return
        width = max(len(str(info.path)) for info in backups)
        for info in backups:
            typer.echo(f"{str(info.path):<{width}}  {info.kind:<14} {info.size / 1024:8.1f} KiB")
        return
    target = backup_now(store_path(os.environ), folder, now().astimezone())
    typer.echo(f"backed up to {target}")


@app.command("restore")
def restore(
    file: Path = typer.Argument(..., help="A backup file (see `cjstudy backup --list`)."),
) -> None:
    """Replace your progress with a backup; what you had is saved first, so nothing is lost.

    Example: cjstudy restore ~/.local/share/cjstudy/backups/progress-daily-2026-11-20.sqlite3
    """
    from cjstudy.paths import backup_dir, store_path
    from cjstudy.store import REQUIRED_TABLES, SCHEMA_VERSION
    from cjstudy.store.backup import restore as restore_store

    saved = restore_store(file, store_path(os.environ), backup_dir(os.environ), now().astimezone(),
                          REQUIRED_TABLES, SCHEMA_VERSION)
    typer.echo(f"restored {file}")
    if saved is not None:
        typer.echo(f"your previous progress is saved as {saved}")

