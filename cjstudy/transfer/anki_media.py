"""The media files of an Anki package: which zip member holds which file, and copying them out.

Packages list their media in a `media` member: a JSON object `{"0": "heart.png"}` in older
packages, a zstd-compressed protobuf list (whose index is the member name) in current ones,
where each file is zstd-compressed too. Files are streamed to disk with a size cap, never held
in memory whole, and their names are made safe (no folders, no `..`, no control characters).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cjstudy.errors import TransferError
from cjstudy.transfer.anki_collection import protobuf_fields

MEDIA_FOLDER = "media"
# What reading a zip member can raise: damage, and features Anki never writes (deflate64,
# encryption) that the zip module refuses.
ZIP_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError,
                   zlib.error)
MAX_MEDIA_LIST_BYTES = 64 * 1024**2
MAX_MEDIA_FILE_BYTES = 1024**3
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:\[\]<>\"|?*]+")


@dataclass(frozen=True)
class MediaFile:
    """One media file inside a package, copied only when the deck files are written."""

    package: Path
    member: str
    compressed: bool  # zstd, as in current packages

    def write_to(self, target: Path) -> None:
        with zipfile.ZipFile(self.package) as archive, archive.open(self.member) as source:
            with target.open("wb") as sink:
                if self.compressed:
                    import zstandard

                    try:
                        reader = zstandard.ZstdDecompressor().stream_reader(source)
                        _copy_capped(reader, sink, self.member)
                    except zstandard.ZstdError as error:
                        raise TransferError(f"{self.package}: media file {self.member} is not valid zstd "
                                            f"data ({error})") from None
                else:
                    _copy_capped(source, sink, self.member)


    def head(self, size: int = 256 * 1024) -> bytes:
        """The file's first bytes (enough for an image's size), decompressed if need be."""
        with zipfile.ZipFile(self.package) as archive, archive.open(self.member) as source:
            if not self.compressed:
                return source.read(size)
            import zstandard

            try:
                return zstandard.ZstdDecompressor().stream_reader(source).read(size)
            except zstandard.ZstdError:
                return b""


def _copy_capped(source, sink, member: str) -> None:
    copied = 0
    while chunk := source.read(1024 * 1024):
        copied += len(chunk)
        if copied > MAX_MEDIA_FILE_BYTES:
            raise TransferError(f"media file {member} is larger than 1 GiB")
        sink.write(chunk)


def safe_name(name: str) -> str:
    """A file name that stays inside the media folder on every system."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:120] or "file"


def media_files(package: Path) -> dict[str, MediaFile]:
    """Anki file name -> where it is in the package; {} when the package has no media list."""
    try:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
            if "media" not in names:
                return {}
            info = archive.getinfo("media")
            if info.file_size > MAX_MEDIA_LIST_BYTES:
                raise TransferError(f"{package}: the media list is larger than 64 MiB")
            data = archive.read("media")
    except ZIP_READ_ERRORS as error:
        raise TransferError(f"{package}: the package is damaged or uses an unsupported zip feature ({error})") from None
    compressed = data.startswith(ZSTD_MAGIC)
    if compressed:
        data = _unzstd(data, package)
    found: dict[str, MediaFile] = {}
    if data.lstrip().startswith(b"{"):
        try:
            mapping = json.loads(data.decode("utf-8"))
        except ValueError as error:
            raise TransferError(f"{package}: the media list is unreadable ({error})") from None
        for member, name in mapping.items() if isinstance(mapping, dict) else ():
            if str(member) in names and isinstance(name, str):
                found[name] = MediaFile(package, str(member), False)
        return found
    try:
        entries = protobuf_fields(data).get(1, [])
        for index, entry in enumerate(entries):
            if not isinstance(entry, bytes):
                continue
            fields = protobuf_fields(entry)
            raw_name = next((v for v in fields.get(1, []) if isinstance(v, bytes)), b"")
            legacy = next((v for v in fields.get(255, []) if isinstance(v, int)), None)
            member = str(legacy if legacy is not None else index)
            if raw_name and member in names:
                found[raw_name.decode("utf-8", "replace")] = MediaFile(package, member, compressed)
    except ValueError as error:
        raise TransferError(f"{package}: the media list is unreadable ({error})") from None
    return found


def _unzstd(data: bytes, package: Path) -> bytes:
    import zstandard

    try:
        out = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(MAX_MEDIA_LIST_BYTES + 1)
    except zstandard.ZstdError as error:
        raise TransferError(f"{package}: the media list is not valid zstd data ({error})") from None
    if len(out) > MAX_MEDIA_LIST_BYTES:
        raise TransferError(f"{package}: the media list is larger than 64 MiB")
    return out


def copy_file(source: Path, target: Path) -> None:
    """Export side: a deck's media file into the package staging folder."""
    shutil.copyfile(source, target)
