"""Read an Anki collection (SQLite, schema 11 or 18) into plain data.

Schema 11 (`collection.anki2` / `collection.anki21`) keeps note types and decks as JSON in the
`col` row; schema 18 (`collection.anki21b`) keeps them in their own tables with protobuf
configs, and separates deck name parts with \\x1f instead of `::`. Only the handful of facts
cjstudy needs are read: note type kind and fields, deck names, notes, cards and the revlog.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cjstudy.errors import TransferError

STOCK_BASIC, STOCK_REVERSED, STOCK_OPTIONAL_REVERSED, STOCK_CLOZE = 1, 2, 3, 5
REVERSED_NAMES = {"basic (and reversed card)", "basic (optional reversed card)"}


@dataclass(frozen=True)
class NoteTypeInfo:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    stock_kind: int = 0  # Anki's originalStockKind, 0 when unknown

    @property
    def is_reversed_basic(self) -> bool:
        """Anki's "Basic (and reversed card)" (or the optional-reverse variant), by origin or by name."""
        if self.stock_kind in (STOCK_REVERSED, STOCK_OPTIONAL_REVERSED):
            return True
        return self.name.strip().lower() in REVERSED_NAMES


@dataclass(frozen=True)
class NoteRow:
    id: int
    guid: str
    notetype: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CardRow:
    id: int
    note: int
    deck: int
    ord: int


@dataclass(frozen=True)
class RevlogRow:
    id: int  # milliseconds since the epoch: when the answer was given
    card: int
    ease: int  # 1..4, 0 for manual changes
    time_ms: int
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


@dataclass
class AnkiCollection:
    schema: int
    notetypes: dict[int, NoteTypeInfo]
    decks: dict[int, str]  # id -> full name with `::` between levels
    notes: list[NoteRow]
    cards: list[CardRow]
    revlog: list[RevlogRow]


def _unicase(a: str, b: str) -> int:
    """Anki's case-insensitive collation, needed to read (and check) schema 18 indexes."""
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def protobuf_varints(data: bytes) -> dict[int, int]:
    """The top-level varint fields of a protobuf message (enough for notetype kind and stock kind)."""
    found: dict[int, int] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            found[number], pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            pos += length
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return found


def open_collection(path: Path, shown: str) -> sqlite3.Connection:
    """Open read-only and check integrity; a damaged file is a TransferError naming `shown`."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.create_collation("unicase", _unicase)
        result = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise TransferError(f"{shown}: the collection is not a readable SQLite database ({error})") from None
    if result != [("ok",)]:
        con.close()
        detail = str(result[0][0]) if result else "no result"
        raise TransferError(f"{shown}: the collection database is damaged ({detail})")
    return con


def read_collection(path: Path, shown: str) -> AnkiCollection:
    """Everything the importer needs from the collection at `path`."""
    con = open_collection(path, shown)
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = {"col", "notes", "cards", "revlog"} - tables
        if missing:
            raise TransferError(f"{shown}: not an Anki collection (no table {sorted(missing)[0]})")
        (schema,) = con.execute("SELECT ver FROM col").fetchone() or (0,)
        if "notetypes" in tables and "decks" in tables:
            notetypes, decks = _schema18(con)
        else:
            notetypes, decks = _schema11(con, shown)
        notes = [
            NoteRow(nid, guid, mid, tuple(t for t in tags.split() if t), tuple(flds.split("\x1f")))
            for nid, guid, mid, tags, flds in con.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        ]
        cards = [CardRow(*row) for row in con.execute("SELECT id, nid, did, ord FROM cards ORDER BY nid, ord")]
        revlog = [RevlogRow(*row) for row in
                  con.execute("SELECT id, cid, ease, time, type FROM revlog ORDER BY id")]
    except sqlite3.DatabaseError as error:
        raise TransferError(f"{shown}: cannot read the collection ({error})") from None
    finally:
        con.close()
    return AnkiCollection(int(schema), notetypes, decks, notes, cards, revlog)


def _schema11(con: sqlite3.Connection, shown: str) -> tuple[dict[int, NoteTypeInfo], dict[int, str]]:
    row = con.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise TransferError(f"{shown}: the collection has no header row")
    try:
        models = json.loads(row[0] or "{}")
        decks = json.loads(row[1] or "{}")
        notetypes = {
            int(m["id"]): NoteTypeInfo(
                int(m["id"]), str(m.get("name", "")), int(m.get("type", 0)) == 1,
                tuple(str(f["name"]) for f in sorted(m.get("flds", []), key=lambda f: f.get("ord", 0))),
                int(m.get("originalStockKind") or 0),
            )
            for m in models.values()
        }
        names = {int(d["id"]): str(d.get("name", "")) for d in decks.values()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TransferError(f"{shown}: the collection's note types or decks are unreadable ({error})") from None
    return notetypes, names


def _schema18(con: sqlite3.Connection) -> tuple[dict[int, NoteTypeInfo], dict[int, str]]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in con.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(ntid, []).append((ord_, name))
    notetypes = {}
    for ntid, name, config in con.execute("SELECT id, name, config FROM notetypes"):
        try:
            values = protobuf_varints(bytes(config or b""))
        except ValueError:
            values = {}
        notetypes[ntid] = NoteTypeInfo(
            ntid, name, values.get(1, 0) == 1,
            tuple(n for _, n in sorted(fields.get(ntid, []))), values.get(9, 0),
        )
    decks = {did: name.replace("\x1f", "::") for did, name in con.execute("SELECT id, name FROM decks")}
    return notetypes, decks
