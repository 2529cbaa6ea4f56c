"""A cache of parsed decks, so start-up does not re-read YAML that has not changed.

Entries are JSON (never pickle: a cache file must not be able to run code) and are keyed by
the file's resolved path, size, modification time, the deck format version and the cjstudy
version. Any mismatch or damage means the entry is ignored and the file is parsed again; the
cache is never trusted over the deck file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zlib
from functools import cache as _memo
from pathlib import Path
from typing import Any

from cjstudy import __version__
from cjstudy.errors import Problem
from cjstudy.model import Card, CardKey, ClozeGap, Deck, Note

CACHE_FORMAT = 4  # 3: cards carry language; answers shown in plain words (issue 12). 4: deck fingerprint
FORMAT_VERSION = 1  # mirrors deck.schema.FORMAT_VERSION without importing the validator


def _key(path: Path) -> dict[str, Any] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "deck_format": FORMAT_VERSION, "cache_format": CACHE_FORMAT, "cjstudy": __version__}


def _entry_path(cache_dir: Path, key: dict[str, Any]) -> Path:
    # Two checksums make a 64-bit name (zlib is already loaded, hashlib costs start-up time); a
    # clash only means a cache miss, because the entry's key holds the full path.
    raw = key["path"].encode("utf-8")
    return cache_dir / f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.json"


def lookup(cache_dir: Path, path: Path, shown: str, bundled: bool) -> tuple[Deck, list[Problem], tuple[int, int]] | None:
    key = _key(path)
    if key is None:
        return None
    try:
        entry = json.loads(_entry_path(cache_dir, key).read_text(encoding="utf-8"))
        if entry.get("key") != key:
            return None
        deck = _deck_from(entry["deck"], shown, bundled)
        problems = [Problem(shown, *p) for p in entry["problems"]]
        line, column = entry["id_position"]
        return deck, problems, (int(line), int(column))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(cache_dir: Path, path: Path, deck: Deck, problems: list[Problem], id_position: tuple[int, int]) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    key = _key(path)
    if key is None:
        return
    entry = {"key": key, "deck": _compact(deck),
             "problems": [[p.line, p.column, p.severity, p.message] for p in problems],
             "id_position": list(id_position)}
    import tempfile

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False)
        os.replace(temp, _entry_path(cache_dir, key))
    except OSError:
        pass


def lookup_value(cache_dir: Path, path: Path) -> Any:
    """A JSON value stored for an unchanged file, or None."""
    key = _key(path)
    if key is None:
        return None
    try:
        entry = json.loads(_entry_path(cache_dir, key).read_text(encoding="utf-8"))
        return entry["value"] if entry.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store_value(cache_dir: Path, path: Path, value: Any) -> None:
    key = _key(path)
    if key is None:
        return
    import tempfile

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"key": key, "value": value}, out, ensure_ascii=False)
        os.replace(temp, _entry_path(cache_dir, key))
    except OSError:
        pass


def _compact(value: Any) -> Any:
    """Dataclasses as dicts of their non-default fields only: half the JSON to read at start-up."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for field in dataclasses.fields(value):
            if isinstance(value, Card) and field.name == "synonyms":
                continue  # the deck holds them; loading gives them back to every card
            item = getattr(value, field.name)
            default = field.default if field.default is not dataclasses.MISSING else (
                field.default_factory() if field.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
            if item != default:
                out[field.name] = _compact(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_compact(item) for item in value]
    return value


@_memo
def _tuple_fields(cls: type) -> frozenset[str]:
    """Names of the tuple-typed fields; computed once per class, start-up reads hundreds of cards."""
    return frozenset(f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple"))


def _build(cls: type, data: dict[str, Any], **overrides: Any) -> Any:
    """Rebuild a frozen dataclass from the fields present, JSON lists back into tuples."""
    tuples = _tuple_fields(cls)
    values = {name: tuple(value) if name in tuples else value for name, value in data.items()}
    values.update(overrides)
    return cls(**values)


def _card_from(data: dict[str, Any]) -> Card:
    gaps = tuple(_build(ClozeGap, g) for g in data.get("gaps", ()))
    return _build(Card, data, key=_build(CardKey, data["key"]), gaps=gaps)


def _deck_from(data: dict[str, Any], shown: str, bundled: bool) -> Deck:
    notes = tuple(_build(Note, n) for n in data.get("notes", ()))
    cards = tuple(_card_from(c) for c in data.get("cards", ()))
    return _build(Deck, data, notes=notes, cards=cards, path=shown, bundled=bundled)
