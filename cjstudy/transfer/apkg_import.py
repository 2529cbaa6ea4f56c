"""Anki packages (`.apkg`, `.colpkg`) and raw collections to cjstudy decks plus the review history.

Current Anki writes `collection.anki21b` (zstd-compressed SQLite, schema 18) next to a
placeholder `collection.anki2` that only says "please update"; older versions write
`collection.anki21` or `collection.anki2` (schema 11). The newest collection present wins. A
raw collection file (SQLite, or zstd-compressed SQLite) is recognised by its first bytes.

Notes become cards through their templates (see anki_notes.py). Cards in a filtered deck go to
their home deck. History from Anki's old v1 scheduler is upgraded the way Anki upgrades it
(learning and relearning answers 2 and 3 become 3 and 4). Media files are copied to
`media/` next to the decks and referenced as `[image: media/…]` / `[sound: media/…]`. Card
ids come from note GUIDs, so importing again gives the same ids and the same progress.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cjstudy.errors import TransferError
from cjstudy.transfer.anki_media import ZIP_READ_ERRORS
from cjstudy.model import CardKey, Rating
from cjstudy.transfer.anki_collection import AnkiCollection, read_collection
from cjstudy.transfer.anki_media import MEDIA_FOLDER, MediaFile, media_files, safe_name
from cjstudy.transfer.anki_notes import Entry, NoteContext, convert_note
from cjstudy.transfer.deck_build import DeckDraft, render
from cjstudy.transfer.ids import slug

COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION_BYTES = 1024**3  # decompressed; a bigger 'collection' is a compression bomb, not a deck
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"


def sniff(path: Path) -> str:
    """What a file is by its first bytes: "package" (zip), "collection" (SQLite or zstd) or ""."""
    try:
        with path.open("rb") as handle:
            start = handle.read(16)
    except OSError:
        return ""
    if start.startswith(ZIP_MAGIC):
        return "package"
    if start.startswith(SQLITE_MAGIC) or start.startswith(ZSTD_MAGIC):
        return "collection"
    return ""


@dataclass(frozen=True)
class ImportedReview:
    key: CardKey
    reviewed_at: datetime
    rating: Rating
    duration_ms: int | None


@dataclass
class ImportResult:
    """What an import produced; nothing is on disk until the caller writes `files`."""

    decks: list[DeckDraft]
    files: dict[str, str]  # file name -> YAML text
    reviews: list[ImportedReview] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_reviews: int = 0
    collection: str = ""
    media: dict[str, MediaFile | bytes] = field(default_factory=dict)  # path under the output folder -> content
    upgraded_reviews: int = 0  # v1 learning answers given Anki's v2 meaning

    @property
    def note_count(self) -> int:
        return sum(len(d.cards) for d in self.decks)

    @property
    def card_count(self) -> int:
        return sum(d.card_count for d in self.decks)


def extract_collection(package: Path, work: Path) -> tuple[Path, str]:
    """Unpack the newest collection in `package` into `work`; clear errors for unusable files."""
    shown = str(package)
    try:
        archive = zipfile.ZipFile(package)
    except zipfile.BadZipFile:
        raise TransferError(f"{shown}: not an Anki package (not a zip file)") from None
    except OSError as error:
        raise TransferError(f"{shown}: cannot read ({error.strerror or error})") from None
    with archive:
        names = set(archive.namelist())
        chosen = next((name for name in COLLECTION_NAMES if name in names), None)
        if chosen is None:
            raise TransferError(f"{shown}: not an Anki package (no collection.anki21b, "
                                "collection.anki21 or collection.anki2 inside)")
        info = archive.getinfo(chosen)
        if info.file_size > MAX_COLLECTION_BYTES:
            raise TransferError(f"{shown}: the collection is larger than 1 GiB")
        try:
            data = archive.read(chosen)
        except ZIP_READ_ERRORS as error:  # also deflate64 and encrypted members: not in Anki packages
            raise TransferError(f"{shown}: the package is damaged or uses an unsupported zip feature ({error})") from None
    if chosen.endswith("anki21b") or data.startswith(ZSTD_MAGIC):
        data = _unzstd(data, shown)
    target = work / "collection.sqlite"
    target.write_bytes(data)
    return target, chosen


def _unzstd(data: bytes, shown: str) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
        out = reader.read(MAX_COLLECTION_BYTES + 1)
    except zstandard.ZstdError as error:
        raise TransferError(f"{shown}: the collection is not valid zstd data ({error})") from None
    if len(out) > MAX_COLLECTION_BYTES:
        raise TransferError(f"{shown}: the collection is larger than 1 GiB")
    return out


def read_package(package: Path) -> tuple[AnkiCollection, str]:
    with tempfile.TemporaryDirectory(prefix="cjstudy-apkg-") as work:
        if sniff(package) == "collection":
            path, chosen = _raw_collection(package, Path(work)), package.name
            collection = read_collection(path, str(package))
        else:
            path, chosen = extract_collection(package, Path(work))
            collection = read_collection(path, f"{package} ({chosen})")
    return collection, chosen


def _raw_collection(path: Path, work: Path) -> Path:
    """A bare collection file; a zstd one (`.anki21b`) is unpacked first."""
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_COLLECTION_BYTES else None
    except OSError as error:
        raise TransferError(f"{path}: cannot read ({error.strerror or error})") from None
    if data is None:
        raise TransferError(f"{path}: the collection is larger than 1 GiB")
    if data.startswith(ZSTD_MAGIC):
        data = _unzstd(data, str(path))
    target = work / "collection.sqlite"
    target.write_bytes(data)
    return target


def import_package(package: Path, *, language: str | None = None, taken_ids: set[str] = frozenset()) -> ImportResult:
    """Read `package` and build the decks, media list and review history it holds (nothing written yet)."""
    collection, chosen = read_package(package)
    media = media_files(package) if sniff(package) == "package" else {}
    return convert(collection, source=package.name, language=language, taken_ids=taken_ids, chosen=chosen,
                   media=media)


class _MediaNamer:
    """Anki file names to `media/<safe name>` references; records which files are used."""

    def __init__(self, available: dict[str, MediaFile]) -> None:
        self.available = available
        self.used: dict[str, MediaFile | bytes] = {}
        self.names: dict[str, str] = {}
        self.taken: set[str] = set()

    def __call__(self, name: str, kind: str) -> str | None:
        import urllib.parse

        source = self.available.get(name) or self.available.get(urllib.parse.unquote(name))
        if source is None:
            return None  # html_to_text writes "(missing image: name)" and lists it
        if name not in self.names:
            self.names[name] = self._place(name, source)
        return self.names[name]

    def _place(self, wanted_name: str, content: MediaFile | bytes) -> str:
        wanted = safe_name(wanted_name)
        stem, dot, suffix = wanted.rpartition(".")
        candidate, n = wanted, 2
        while candidate.casefold() in self.taken:
            candidate = f"{stem}-{n}.{suffix}" if dot else f"{wanted}-{n}"
            n += 1
        self.taken.add(candidate.casefold())
        path = f"{MEDIA_FOLDER}/{candidate}"
        self.used[path] = content
        return path

    def head(self, name: str) -> bytes | None:
        import urllib.parse

        source = self.available.get(name) or self.available.get(urllib.parse.unquote(name))
        return source.head() if source is not None else None

    def add_bytes(self, wanted: str, data: bytes) -> str:
        """A file made by the importer (an Image Occlusion SVG)."""
        return self._place(wanted, data)


def convert(collection: AnkiCollection, *, source: str, language: str | None = None,
            taken_ids: set[str] = frozenset(), chosen: str = "",
            media: dict[str, MediaFile] | None = None) -> ImportResult:
    warnings: list[str] = []
    cards_by_note: dict[int, list] = {}
    for card in collection.cards:
        cards_by_note.setdefault(card.note, []).append(card)
    namer = _MediaNamer(media or {})
    ctx = NoteContext(namer, [], Counter(), Counter(), namer)
    entries: list[Entry] = []
    where: dict[tuple[int, int], Entry] = {}  # (note id, ord) -> the entry holding that card
    for note in collection.notes:
        own = cards_by_note.get(note.id, [])
        if not own:
            ctx.skipped["notes without cards"] += 1
            continue
        notetype = collection.notetypes.get(note.notetype)
        if notetype is None:
            ctx.skipped["notes of a missing note type"] += 1
            continue
        for entry in convert_note(note, notetype, own, ctx):
            entries.append(entry)
            for ord_ in list(entry.variants) + list(entry.history_only):
                where[(note.id, ord_)] = entry

    drafts: dict[int, DeckDraft] = {}
    deck_of: dict[int, str] = {}  # id(entry) -> cjstudy deck id
    used_ids = set(taken_ids)
    for entry in entries:
        if entry.deck not in drafts:
            name = collection.decks.get(entry.deck, f"Deck {entry.deck}")
            deck_id = _unique(slug(name), used_ids)
            used_ids.add(deck_id)
            drafts[entry.deck] = DeckDraft(
                id=deck_id, title=name, source=source, language=language,
                description=f"Imported from the Anki deck '{name}'.",
            )
        draft = drafts[entry.deck]
        draft.cards.append(entry.card)
        draft.card_count += entry.count
        deck_of[id(entry)] = draft.id

    reviews, dropped, upgraded = _reviews(collection, where, deck_of)
    if ctx.dropped_media:
        example = ", ".join(sorted(set(ctx.dropped_media))[:3])
        count = len(ctx.dropped_media)
        warnings.append(f"{count} media reference{'s' * (count != 1)} to files not in the package, "
                        f"kept as '(missing image: …)': {example}")
    for what, count in sorted(ctx.skipped.items()):
        warnings.append(f"{count} {what} skipped")
    for what, count in sorted(ctx.notices.items()):
        warnings.append(f"{count} {what}")
    ordered = sorted(drafts.values(), key=lambda d: d.id)
    files = {draft.filename: render(draft) for draft in ordered}
    return ImportResult(ordered, files, reviews, warnings, dropped, chosen, namer.used, upgraded)


def _unique(wanted: str, used: set[str]) -> str:
    if wanted not in used:
        return wanted
    n = 2
    while f"{wanted}-{n}" in used:
        n += 1
    return f"{wanted}-{n}"


def _v1_upgrade(collection: AnkiCollection) -> bool:
    """Anki upgrades a v1 collection's revlog on import when the package carries scheduling."""
    return collection.scheduler == 1 and any(card.queue != 0 for card in collection.cards)


def _reviews(collection: AnkiCollection, where: dict[tuple[int, int], Entry],
             deck_of: dict[int, str]) -> tuple[list[ImportedReview], int, int]:
    """The revlog as reviews of the new cards; manual changes and unknown cards are left out."""
    by_card = {card.id: card for card in collection.cards}
    upgrade = _v1_upgrade(collection)
    reviews: list[ImportedReview] = []
    dropped = upgraded = 0
    for row in collection.revlog:
        card = by_card.get(row.card)
        entry = where.get((card.note, card.ord)) if card else None
        if card is None or entry is None:
            dropped += 1
            continue
        if row.ease not in (1, 2, 3, 4) or row.type in (4, 5):
            dropped += 1
            continue
        ease = row.ease
        if upgrade and ease in (2, 3) and row.type in (0, 2):
            ease += 1
            upgraded += 1
        variant = entry.variants.get(card.ord, entry.history_only.get(card.ord, ""))
        key = CardKey(deck_of[id(entry)], str(entry.card["id"]), variant)
        at = datetime.fromtimestamp(row.id / 1000, tz=timezone.utc)
        reviews.append(ImportedReview(key, at, Rating(ease), row.time_ms if row.time_ms > 0 else None))
    return reviews, dropped, upgraded
