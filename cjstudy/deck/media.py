"""Media references in card text: `[image: media/heart.png]`, `[sound: media/heart.mp3]`.

A reference is a path relative to the deck file's folder. It must stay inside that folder (no
absolute paths, no `..`) so a shared deck folder never points at files elsewhere on a disk,
and the file must exist. The study screens show the reference as one line and can open it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MEDIA_REF = re.compile(r"\[(image|sound): ?([^\[\]\n]+?)\s*\]")
TEXT_FIELDS = ("front", "back", "text", "prompt", "explanation", "hint", "answer")
LIST_FIELDS = ("items", "options", "answers", "accept")


@dataclass(frozen=True)
class MediaRef:
    kind: str  # image | sound
    path: str  # as written, relative to the deck file's folder

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def find_refs(text: str) -> list[MediaRef]:
    return [MediaRef(m.group(1), m.group(2)) for m in MEDIA_REF.finditer(text or "")]


def field_refs(fields: dict) -> list[tuple[str, MediaRef]]:
    """(key, reference) for every reference in a card's text values."""
    found = []
    for key, value in fields.items():
        values = [value] if key in TEXT_FIELDS else list(value) if key in LIST_FIELDS else []
        for text in values:
            if isinstance(text, str):
                found.extend((key, ref) for ref in find_refs(text))
    return found


def shape_problem(path: str) -> str | None:
    """Why a reference path is not allowed, or None."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", path):
        return f"media path '{path}' must be relative to the deck file's folder"
    if ".." in pure.parts:
        return f"media path '{path}' must stay inside the deck file's folder (no '..')"
    return None


def resolve(folder: Path, path: str) -> Path | None:
    """The file a reference names, or None when it would leave `folder`."""
    if shape_problem(path):
        return None
    target = (folder / path.replace("\\", "/")).resolve()
    try:
        target.relative_to(folder.resolve())
    except ValueError:
        return None  # a symbolic link that points out of the folder
    return target


def missing(fields_by_line: list[tuple[int, dict]], folder: Path) -> list[tuple[int, str]]:
    """(line, message) for each reference whose file does not exist inside `folder`."""
    problems = []
    for line, fields in fields_by_line:
        for _, ref in field_refs(fields):
            if shape_problem(ref.path):
                continue  # reported by the validator with its column
            target = resolve(folder, ref.path)
            if target is None:
                problems.append((line, f"media path '{ref.path}' leads outside the deck file's folder"))
            elif not target.is_file():
                problems.append((line, f"media file '{ref.path}' not found next to the deck"))
    return problems
