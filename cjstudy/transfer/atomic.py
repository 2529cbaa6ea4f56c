"""Write files so that a failure leaves nothing behind: temp file in the target dir, then rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cjstudy.errors import TransferError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success it replaces `target`, on error it is removed."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():  # else the error would name the temp file, not what the user gave
        raise TransferError(f"{target}: is a folder; give a file name")
    if not folder.is_dir():
        raise TransferError(f"{folder}: folder does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        os.chmod(temp, file_mode(target))  # mkstemp makes 0600; a new file follows the umask like any tool
        yield temp
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def file_mode(target: Path) -> int:
    """The mode a written file gets: the one it had when it is replaced, else 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def move_files_into(files: dict[str, object], out_dir: Path, overwrite: bool = True) -> list[Path]:
    """Write every file into a temp folder inside `out_dir`'s parent, then move them in together.

    Values are text, bytes, or anything with `write_to(path)` (media streamed from a package);
    names may have one folder (`media/heart.png`). Either every file lands or none does (short
    of the disk failing between two renames).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".cjstudy-import-", dir=out_dir))
    written: list[Path] = []
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, (str, bytes)):
                (staging / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                data.write_to(staging / name)
        if not overwrite:
            # Writing the same content again (a repeated import) is fine; replacing a file that
            # differs, perhaps one an instructor has edited since, needs to be asked for.
            clashes = [name for name in files
                       if (out_dir / name).exists() and (out_dir / name).read_bytes() != (staging / name).read_bytes()]
            if clashes:
                raise TransferError(f"{out_dir / clashes[0]}: already exists with other content; nothing was "
                                    "written (use --force to replace it)")
        for name in files:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out_dir / name)
            written.append(out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
