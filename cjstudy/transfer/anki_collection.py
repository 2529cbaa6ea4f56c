"""Read an Anki collection (SQLite, schema 11 or 18) into plain data.

Schema 11 (`collection.anki2` / `collection.anki21`) keeps note types and decks as JSON in the
`col` row; schema 18 (`collection.anki21b`) keeps them in their own tables with protobuf
configs, and separates deck name parts with \\x1f instead of `::`. Only the facts cjstudy
needs are read: note type kind, fields and card templates, deck names (and which are filtered),
the scheduler version, notes, cards (with their home deck) and the revlog.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cjstudy.errors import TransferError

MAX_SCHEMA = 18  # the newest collection schema Anki writes (and the official anki 26.9 opens)
STOCK_IMAGE_OCCLUSION = 6  # Anki's originalStockKind of Image Occlusion note types


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    question: str  # Anki's qfmt
    answer: str  # Anki's afmt


@dataclass(frozen=True)
class NoteTypeInfo:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    stock_kind: int = 0  # Anki's originalStockKind, 0 when unknown
    templates: tuple[TemplateInfo, ...] = ()  # by ord


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
    home_deck: int = 0  # Anki's odid: the deck a card in a filtered deck came from
    queue: int = 0

    @property
    def own_deck(self) -> int:
        """The deck the card belongs to: its home deck while it sits in a filtered deck."""
        return self.home_deck or self.deck


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
    scheduler: int = 2  # Anki's schedVer: 1 for the old scheduler (its learning eases mean less)


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


def protobuf_fields(data: bytes) -> dict[int, list[int | bytes]]:
    """The top-level fields of a protobuf message: varints as ints, length-delimited as bytes."""
    found: dict[int, list[int | bytes]] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            found.setdefault(number, []).append(value)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ValueError("truncated protobuf field")
            found.setdefault(number, []).append(data[pos:pos + length])
            pos += length
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return found


def protobuf_varints(data: bytes) -> dict[int, int]:
    """The top-level varint fields of a protobuf message (enough for notetype kind and stock kind)."""
    return {n: v[-1] for n, values in protobuf_fields(data).items()
            for v in [[x for x in values if isinstance(x, int)]] if v}


def _pb_text(fields: dict[int, list[int | bytes]], number: int) -> str:
    values = [v for v in fields.get(number, []) if isinstance(v, bytes)]
    return values[-1].decode("utf-8", "replace") if values else ""


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
        if _int(schema) > MAX_SCHEMA:
            raise TransferError(f"{shown}: made by a newer Anki (collection schema {schema}; this cjstudy "
                                f"reads up to {MAX_SCHEMA}); export it again with 'Support older Anki versions'")
        if "notetypes" in tables and "decks" in tables:
            notetypes, decks = _schema18(con)
            scheduler = _config_int(con, "schedVer", 1) if "config" in tables else 1
        else:
            notetypes, decks = _schema11(con, shown)
            scheduler = _conf_json_int(con, "schedVer", 1)
        # Every value is taken as the type Anki means, whatever the column holds: a damaged or
        # hand-made collection may have NULL, BLOB or text where a number belongs, and the
        # reverse. `_text` and `_int` never raise.
        notes = [
            NoteRow(_int(nid), _text(guid), _int(mid), tuple(t for t in _text(tags).split() if t),
                    tuple(_text(flds).split("\x1f")))
            for nid, guid, mid, tags, flds in con.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        ]
        columns = {row[1] for row in con.execute("PRAGMA table_info(cards)")}
        odid = "odid" if "odid" in columns else "0"  # Anki 1.x collections had no filtered decks
        cards = [CardRow(*(_int(v) for v in row)) for row in
                 con.execute(f"SELECT id, nid, did, ord, {odid}, queue FROM cards ORDER BY nid, ord")]
        revlog = [RevlogRow(*(_int(v) for v in row)) for row in
                  con.execute("SELECT id, cid, ease, time, type FROM revlog ORDER BY id")]
    except sqlite3.DatabaseError as error:
        raise TransferError(f"{shown}: cannot read the collection ({error})") from None
    finally:
        con.close()
    return AnkiCollection(_int(schema), notetypes, decks, notes, cards, revlog, scheduler)


def _blob(value: object) -> bytes:
    """A BLOB column's bytes. Never `bytes(value)`: for an integer that allocates that many
    bytes (a `config` of 1,500,000,000 built 1.5 GB)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", errors="replace")
    return b""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _int(value: object, default: int = 0) -> int:
    """An integer column's value; anything that is not a whole number reads as `default`."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, bytes)):
        try:
            return int(value)
        except ValueError:
            return default
    return default


def _config_int(con: sqlite3.Connection, key: str, default: int) -> int:
    """An integer from the schema 18 `config` table (values are JSON)."""
    row = con.execute("SELECT val FROM config WHERE KEY = ?", (key,)).fetchone()
    try:
        return int(json.loads(_blob(row[0]).decode("utf-8"))) if row else default
    except (ValueError, TypeError, RecursionError, OverflowError):
        return default


def _conf_json_int(con: sqlite3.Connection, key: str, default: int) -> int:
    """An integer from the schema 11 `col.conf` JSON."""
    row = con.execute("SELECT conf FROM col").fetchone()
    try:
        value = json.loads(row[0] or "{}").get(key, default) if row else default
        return int(value)
    except (ValueError, TypeError, AttributeError, RecursionError, OverflowError):
        return default


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
                tuple(TemplateInfo(str(t.get("name", "")), str(t.get("qfmt") or ""), str(t.get("afmt") or ""))
                      for t in sorted(m.get("tmpls", []), key=lambda t: t.get("ord", 0))),
            )
            for m in models.values()
        }
        names = {int(d["id"]): str(d.get("name", "")) for d in decks.values()}
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        detail = "nested too deeply" if isinstance(error, RecursionError) else error
        raise TransferError(f"{shown}: the collection's note types or decks are unreadable ({detail})") from None
    return notetypes, names


def _schema18(con: sqlite3.Connection) -> tuple[dict[int, NoteTypeInfo], dict[int, str]]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in con.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(_int(ntid), []).append((_int(ord_), _text(name)))
    templates: dict[int, list[tuple[int, TemplateInfo]]] = {}
    for ntid, ord_, name, config in con.execute("SELECT ntid, ord, name, config FROM templates"):
        try:
            values = protobuf_fields(_blob(config))
        except ValueError:
            values = {}
        templates.setdefault(_int(ntid), []).append(
            (_int(ord_), TemplateInfo(_text(name), _pb_text(values, 1), _pb_text(values, 2))))
    notetypes = {}
    for ntid, name, config in con.execute("SELECT id, name, config FROM notetypes"):
        ntid = _int(ntid)
        try:
            values = protobuf_varints(_blob(config))
        except ValueError:
            values = {}
        notetypes[ntid] = NoteTypeInfo(
            ntid, _text(name), values.get(1, 0) == 1,
            tuple(n for _, n in sorted(fields.get(ntid, []))), values.get(9, 0),
            tuple(t for _, t in sorted(templates.get(ntid, []), key=lambda pair: pair[0])),
        )
    decks = {_int(did): _text(name).replace("\x1f", "::") for did, name in con.execute("SELECT id, name FROM decks")}
    return notetypes, decks
