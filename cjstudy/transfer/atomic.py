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
    """Yield a temp path beside `target`; on success its content becomes `target`, on error it
    is removed and `target` is untouched.

    What the user named is respected: a symlink is written through (its target is replaced,
    the link stays); a device, pipe or socket is never replaced (`-o /dev/full` must not turn
    a device into a file); a replaced file keeps its mode and owner; a file with other hard
    links is rewritten in place so the links still share it. Errors name `target`, never the
    temp file.
    """
    target = _final_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TransferError(f"{folder}: folder does not exist")
    existing = _existing_regular(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise TransferError(f"{target}: cannot write there ({error.strerror or error})") from None
    os.close(handle)
    temp = Path(name)
    try:
        os.chmod(temp, file_mode(target))  # mkstemp makes 0600; a new file follows the umask like any tool
        yield temp
        if existing is not None and existing.st_nlink > 1:
            _rewrite_in_place(temp, target)
            temp.unlink()
        else:
            if existing is not None:
                _keep_owner(temp, existing)
            os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise TransferError(f"{target}: cannot write ({error.strerror or error}); it was left as it was") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def check_output(target: Path) -> None:
    """Refuse, before any work is done, a target `atomic_path` would refuse."""
    final = _final_target(target)
    folder = final.parent if str(final.parent) else Path(".")
    if not folder.is_dir():
        raise TransferError(f"{folder}: folder does not exist")
    _existing_regular(final)


def _final_target(target: Path) -> Path:
    """Follow symlinks to the file they name (which may not exist yet)."""
    if not target.is_symlink():
        if target.is_dir():  # else the error would name the temp file, not what the user gave
            raise TransferError(f"{target}: is a folder; give a file name")
        return target
    try:
        final = target.resolve(strict=False)
    except (OSError, RuntimeError):
        raise TransferError(f"{target}: symlink loop; give a file name") from None
    if final.is_dir():
        raise TransferError(f"{target}: links to a folder; give a file name")
    return final


def _existing_regular(target: Path) -> os.stat_result | None:
    import stat

    try:
        info = target.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TransferError(f"{target}: cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise TransferError(f"{target}: not a regular file (a device, pipe or socket); it is never replaced")
    return info


def _keep_owner(temp: Path, existing: os.stat_result) -> None:
    if existing.st_uid != os.getuid() or existing.st_gid != os.getgid():
        try:
            os.chown(temp, existing.st_uid, existing.st_gid)
        except OSError:
            pass  # only root may give a file away; then it is ours anyway


def _rewrite_in_place(temp: Path, target: Path) -> None:
    """Copy the finished content over a hard-linked file, so every link sees it."""
    with temp.open("rb") as source, target.open("r+b") as out:
        shutil.copyfileobj(source, out)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


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
