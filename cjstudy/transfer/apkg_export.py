"""cjstudy decks to an Anki package (`.apkg`) that any Anki since 2.1 imports.

The package holds a classic `collection.anki2` (schema 11, the format every Anki reads) and the
media the cards reference (`[image: media/x.png]` becomes `<img src="x.png">`, `[sound: …]`
becomes `[sound:…]`). One Anki deck per cjstudy deck, under a common parent deck, except that a
title with `::` (an imported Anki deck) goes back under exactly that name, so `Parent::Child`
round-trips. GUIDs come from (deck id, card id), so importing a newer export updates the
notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cjstudy.model import Deck, Note
from cjstudy.transfer import anki_models as models
from cjstudy.transfer.atomic import atomic_path
from cjstudy.transfer.html_text import field_checksum_text, text_to_html
from cjstudy.transfer.ids import note_guid, stable_int

PARENT_DECK = "cjstudy"

SCHEMA = """
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
"""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    decks: int
    notes: int
    cards: int
    media: int = 0


@dataclass(frozen=True)
class AnkiNote:
    """A cjstudy note as Anki fields: which note type, the field HTML, how many cards it makes."""

    note_type: models.NoteType
    fields: tuple[str, ...]
    card_ords: tuple[int, ...]


def anki_deck_name(deck: Deck) -> str:
    title = deck.title or deck.id
    parts = [part.strip() for part in title.split("::")]
    if len(parts) > 1 and all(parts):
        return "::".join(parts)  # an Anki deck path, kept as it came
    return f"{PARENT_DECK}::{title.replace('::', ':')}"


class _Media:
    """The files cards reference, by the name they get in the package (unique, no folders)."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}
        self.by_source: dict[Path, str] = {}

    def field_html(self, value: str, folder: Path | None) -> str:
        from cjstudy.deck.media import MEDIA_REF, resolve

        def replace(match: re.Match[str]) -> str:
            kind, path = match.group(1), html.unescape(match.group(2))
            source = resolve(folder, path) if folder is not None else None
            if source is None or not source.is_file():
                return match.group(0)
            name = self.by_source.get(source) or self._name(source)
            return f'<img src="{html.escape(name)}">' if kind == "image" else f"[sound:{name}]"

        return MEDIA_REF.sub(replace, value)

    def _name(self, source: Path) -> str:
        stem, suffix, name, n = source.stem, source.suffix, source.name, 2
        while name in self.files:
            name = f"{stem}-{n}{suffix}"
            n += 1
        self.files[name] = source
        self.by_source[source] = name
        return name


def _deck_folder(deck: Deck) -> Path | None:
    path = Path(deck.path) if deck.path else None
    return path.parent if path is not None and path.is_file() else None


def to_anki_note(note: Note) -> AnkiNote:
    """How one cjstudy note looks in Anki."""
    explanation = _explanation(note)
    if note.type == "cloze":
        gaps = sorted({int(n) for n in _cloze_numbers(note.text)})
        return AnkiNote(models.CLOZE, (text_to_html(note.text), explanation), tuple(n - 1 for n in gaps))
    if note.type == "basic":
        back = text_to_html(note.back) + (f"<br><br>{explanation}" if explanation else "")
        if note.reverse:
            return AnkiNote(models.REVERSED, (text_to_html(note.front), back), (0, 1))
        return AnkiNote(models.BASIC, (text_to_html(note.front), back), (0,))
    front, back = _structured(note)
    if explanation:
        back += f"<br><br>{explanation}"
    return AnkiNote(models.BASIC, (front, back), (0,))


def _explanation(note: Note) -> str:
    if not note.explanation:
        return ""
    return f'<div class="cj-explanation">{text_to_html(note.explanation)}</div>'


def _cloze_numbers(text: str) -> list[str]:
    from cjstudy.deck.cloze import gap_numbers

    return gap_numbers(text)


def _items(items: tuple[str, ...], ordered: bool, mark: tuple[str, ...] = ()) -> str:
    tag = "ol" if ordered else "ul"
    rows = "".join(
        f"<li><b>{text_to_html(item)}</b> ✓</li>" if item in mark else f"<li>{text_to_html(item)}</li>"
        for item in items
    )
    return f'<{tag} class="cj-list">{rows}</{tag}>'


def _structured(note: Note) -> tuple[str, str]:
    """Front and back HTML of list, sequence and choice notes, which Anki has no type for."""
    prompt = text_to_html(note.prompt)
    if note.type == "list":
        need = f" ({note.min} of {len(note.items)})" if note.min and note.min < len(note.items) else ""
        return prompt + need, _items(note.items, ordered=False)
    if note.type == "sequence":
        return prompt + " (in order)", _items(note.items, ordered=True)
    if note.type == "choice":
        pick = " (pick all that apply)" if len(note.answers) > 1 else ""
        front = prompt + pick + "<br>" + _items(note.options, ordered=True)
        return front, _items(note.answers, ordered=False)
    raise ValueError(f"unknown card type {note.type!r}")


def _checksum(first_field: str) -> int:
    text = field_checksum_text(first_field)
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _tags(deck: Deck, note: Note) -> str:
    tags = list(dict.fromkeys(tag.replace(" ", "_") for tag in deck.tags + note.tags))
    return f" {' '.join(tags)} " if tags else ""


def build_collection(db_path: Path, decks: list[Deck], now: datetime, media: _Media | None = None) -> ExportSummary:
    """Write the schema 11 collection for `decks` into a new SQLite file."""
    media = media if media is not None else _Media()
    mod_s = int(now.timestamp())
    mod_ms = int(now.timestamp() * 1000)
    parent_id = stable_int("deck", PARENT_DECK)
    deck_ids = {deck.id: stable_int("deck", deck.id) for deck in decks}
    decks_json = {
        "1": models.deck_json(1, "Default", "", 0),
        str(parent_id): models.deck_json(parent_id, PARENT_DECK, "Decks exported from cjstudy.", mod_s),
    }
    names = {str(d["name"]) for d in decks_json.values()}
    for deck in decks:
        name = anki_deck_name(deck)
        parts = name.split("::")
        for depth in range(1, len(parts)):  # every level exists, as Anki expects
            parent = "::".join(parts[:depth])
            if parent not in names:
                parent_deck = stable_int("deck", "path", parent)
                decks_json[str(parent_deck)] = models.deck_json(parent_deck, parent, "", mod_s)
                names.add(parent)
        decks_json[str(deck_ids[deck.id])] = models.deck_json(deck_ids[deck.id], name,
                                                               text_to_html(deck.description), mod_s)
        names.add(name)
    first_deck = deck_ids[decks[0].id] if decks else 1
    models_json = {str(t.id): models.model_json(t, first_deck, mod_s) for t in models.NOTE_TYPES}
    con = sqlite3.connect(db_path)
    notes = cards = 0
    try:
        con.executescript(SCHEMA)
        con.execute(
            "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            (mod_s - mod_s % 86400, mod_ms, mod_ms, json.dumps(models.COLLECTION_CONF),
             json.dumps(models_json), json.dumps(decks_json, ensure_ascii=False),
             json.dumps(models.DECK_OPTIONS)),
        )
        position = 0
        for deck in decks:
            folder = _deck_folder(deck)
            for note in deck.notes:
                anki = to_anki_note(note)
                anki = AnkiNote(anki.note_type, tuple(media.field_html(f, folder) for f in anki.fields),
                                anki.card_ords)
                note_id = stable_int("note", deck.id, note.id)
                con.execute(
                    "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
                    (note_id, note_guid(deck.id, note.id), anki.note_type.id, mod_s, _tags(deck, note),
                     "\x1f".join(anki.fields), field_checksum_text(anki.fields[0]), _checksum(anki.fields[0])),
                )
                notes += 1
                position += 1
                for ord_ in anki.card_ords:
                    con.execute(
                        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                        (stable_int("card", deck.id, note.id, str(ord_)), note_id, deck_ids[deck.id],
                         ord_, mod_s, position),
                    )
                    cards += 1
        con.commit()
    finally:
        con.close()
    return ExportSummary(db_path, len(decks), notes, cards)


def export_apkg(decks: list[Deck], out: Path, now: datetime) -> ExportSummary:
    """Write `decks` to `out` as an .apkg; `out` appears only once it is complete."""
    with tempfile.TemporaryDirectory(prefix="cjstudy-apkg-") as work:
        db_path = Path(work) / "collection.anki2"
        media = _Media()
        summary = build_collection(db_path, decks, now, media)
        with atomic_path(out) as temp:
            with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as package:
                package.write(db_path, "collection.anki2")
                listing = {}
                for index, (name, source) in enumerate(sorted(media.files.items())):
                    package.write(source, str(index))
                    listing[str(index)] = name
                package.writestr("media", json.dumps(listing, ensure_ascii=False))
    return ExportSummary(out, summary.decks, summary.notes, summary.cards, len(media.files))
