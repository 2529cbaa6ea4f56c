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
    # One folder named twice (`--decks X` and CJSTUDY_DECKS=X, or the bundled folder itself) is
    # one folder: read twice, its decks would clash with themselves.
    seen = {_identity(bundled_decks_dir())}
    unique = []
    for folder in dirs:
        identity = _identity(folder)
        if identity not in seen:
            seen.add(identity)
            unique.append(folder)
    return unique


def _identity(folder: Path) -> object:
    try:
        info = folder.stat()
        return (info.st_dev, info.st_ino)
    except OSError:
        return str(folder)


class UnreadableFile(Exception):
    """A file refused before (or while) reading it; the message says why, without the path."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before reading.

    A FIFO would block forever and `/dev/zero` never ends, so anything that is not a regular
    file is refused; opening never blocks (O_NONBLOCK) and the type is checked on the opened
    file, so a file swapped in between cannot slip past. At most `limit + 1` bytes are read.
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UnreadableFile(f"cannot read file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file (a folder, device or pipe); give a deck file")
        if info.st_size > limit:
            raise UnreadableFile(f"file is larger than {_size(limit)} ({_size(info.st_size)})")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew while we read
            raise UnreadableFile(f"file is larger than {_size(limit)}")
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot read file: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MiB" if count >= 2**20 else f"{count} bytes"
