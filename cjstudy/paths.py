"""Where things live: the bundled decks, the user's data dir, extra deck folders."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

HOME_ENV = "CJSTUDY_HOME"
DECKS_ENV = "CJSTUDY_DECKS"


def bundled_decks_dir() -> Path:
    """The decks shipped inside the package (`cjstudy/decks` in a wheel, `decks/` in a checkout).

    Plain path checks instead of importlib.resources: they cover both layouts and keep
    start-up free of that import.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "decks", here.parent / "decks"):
        if any(candidate.glob("*.yaml")):
            return candidate
    try:
        from importlib.resources import files

        return Path(str(files("cjstudy.decks")))
    except (ModuleNotFoundError, TypeError):
        return here / "decks"


def data_dir(environ: Mapping[str, str]) -> Path:
    """The user's data dir; `CJSTUDY_HOME` overrides the platform default."""
    override = environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("cjstudy", appauthor=False))


def deck_cache_dir(environ: Mapping[str, str]) -> Path:
    return data_dir(environ) / "cache" / "decks"


def backup_dir(environ: Mapping[str, str]) -> Path:
    return data_dir(environ) / "backups"


def store_path(environ: Mapping[str, str]) -> Path:
    return data_dir(environ) / "progress.sqlite3"


def extra_deck_dirs(cli_dirs: list[Path] | None, environ: Mapping[str, str]) -> list[Path]:
    """Deck folders beyond the bundled ones: `--decks` options first, then `CJSTUDY_DECKS`."""
    dirs = list(cli_dirs or [])
    for part in environ.get(DECKS_ENV, "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part.strip()).expanduser())
    return dirs
