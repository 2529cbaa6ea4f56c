"""Anki packages (`.apkg`, `.colpkg`) to cjstudy decks plus the review history.

Current Anki writes `collection.anki21b` (zstd-compressed SQLite, schema 18) next to a
placeholder `collection.anki2` that only says "please update"; older versions write
`collection.anki21` or `collection.anki2` (schema 11). The newest collection present wins.

Notes become cards by note type: Basic -> basic, "Basic (and reversed card)" -> basic with
`reverse: true`, Cloze -> cloze (Back Extra becomes the explanation), anything else -> basic
from its first two fields. Card ids come from note GUIDs, so importing again gives the same
ids and the same progress.
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
from cjstudy.model import CardKey, Rating
from cjstudy.transfer.anki_collection import AnkiCollection, NoteRow, NoteTypeInfo, read_collection
from cjstudy.transfer.deck_build import DeckDraft, render
from cjstudy.transfer.html_text import html_to_text
from cjstudy.transfer.ids import card_id_from_guid, clean_tag, slug

COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION_BYTES = 2 * 1024**3
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


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
            raise TransferError(f"{shown}: the collection is larger than 2 GiB")
        try:
            data = archive.read(chosen)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise TransferError(f"{shown}: the package is damaged ({error})") from None
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
        raise TransferError(f"{shown}: the collection is larger than 2 GiB")
    return out


def read_package(package: Path) -> tuple[AnkiCollection, str]:
    with tempfile.TemporaryDirectory(prefix="cjstudy-apkg-") as work:
        path, chosen = extract_collection(package, Path(work))
        collection = read_collection(path, f"{package} ({chosen})")
    return collection, chosen


@dataclass
class _Converted:
    deck_key: int
    card: dict[str, object]
    variants: dict[int, str]  # Anki card ord -> cjstudy variant
    card_count: int


def import_package(package: Path, *, language: str | None = None, taken_ids: set[str] = frozenset()) -> ImportResult:
    """Read `package` and build the decks and review history it holds (nothing written yet)."""
    collection, chosen = read_package(package)
    return convert(collection, source=package.name, language=language, taken_ids=taken_ids, chosen=chosen)


def convert(collection: AnkiCollection, *, source: str, language: str | None = None,
            taken_ids: set[str] = frozenset(), chosen: str = "") -> ImportResult:
    warnings: list[str] = []
    cards_by_note: dict[int, list] = {}
    for card in collection.cards:
        cards_by_note.setdefault(card.note, []).append(card)
    media: list[str] = []
    skipped: Counter[str] = Counter()
    converted: dict[int, _Converted] = {}
    for note in collection.notes:
        own = cards_by_note.get(note.id, [])
        if not own:
            skipped["notes without cards"] += 1
            continue
        notetype = collection.notetypes.get(note.notetype)
        if notetype is None:
            skipped["notes of a missing note type"] += 1
            continue
        result = _convert_note(note, notetype, {c.ord for c in own}, media, skipped)
        if result is None:
            continue
        card, variants, count = result
        deck = min(own, key=lambda c: c.ord).deck
        converted[note.id] = _Converted(deck, card, variants, count)

    drafts: dict[int, DeckDraft] = {}
    used_ids = set(taken_ids)
    for item in converted.values():
        if item.deck_key not in drafts:
            name = collection.decks.get(item.deck_key, f"Deck {item.deck_key}")
            deck_id = _unique(slug(name), used_ids)
            used_ids.add(deck_id)
            drafts[item.deck_key] = DeckDraft(
                id=deck_id, title=name.replace("::", " / "), source=source, language=language,
                description=f"Imported from the Anki deck '{name}'.",
            )
        draft = drafts[item.deck_key]
        draft.cards.append(item.card)
        draft.card_count += item.card_count

    reviews, dropped = _reviews(collection, converted, drafts)
    if media:
        example = ", ".join(sorted(set(media))[:3])
        warnings.append(f"{len(media)} media reference{'s' * (len(media) != 1)} dropped "
                        f"(images and sounds are not imported): {example}")
    for what, count in sorted(skipped.items()):
        warnings.append(f"{count} {what} skipped")
    ordered = sorted(drafts.values(), key=lambda d: d.id)
    files = {draft.filename: render(draft) for draft in ordered}
    return ImportResult(ordered, files, reviews, warnings, dropped, chosen)


def _unique(wanted: str, used: set[str]) -> str:
    if wanted not in used:
        return wanted
    n = 2
    while f"{wanted}-{n}" in used:
        n += 1
    return f"{wanted}-{n}"


def _clean(value: str, media: list[str]) -> str:
    cleaned = html_to_text(value)
    media.extend(cleaned.media)
    return cleaned.text


def _convert_note(note: NoteRow, notetype: NoteTypeInfo, ords: set[int], media: list[str],
                  skipped: Counter[str]) -> tuple[dict[str, object], dict[int, str], int] | None:
    """One Anki note as a cjstudy card entry, its ord -> variant map and its card count."""
    from cjstudy.deck import cloze

    card_id = card_id_from_guid(note.guid)
    tags = list(dict.fromkeys(t for t in (clean_tag(tag) for tag in note.tags) if t))
    fields = list(note.fields) + ["", ""]
    if notetype.is_cloze:
        text = _clean(fields[0], media)
        if not text or cloze.check(text):
            skipped["cloze notes without usable gaps"] += 1
            return None
        numbers = sorted({gap.number for gap in cloze.find_gaps(text)})
        extra = _clean(fields[1], media)
        entry: dict[str, object] = {"id": card_id, "type": "cloze", "text": text}
        if extra:
            entry["explanation"] = extra
        if tags:
            entry["tags"] = tags
        return entry, {n - 1: f"c{n}" for n in numbers}, len(numbers)
    front, back = _clean(fields[0], media), _clean(fields[1], media)
    if not front or not back:
        skipped["notes with an empty front or back"] += 1
        return None
    reverse = notetype.is_reversed_basic and 1 in ords
    entry = {"id": card_id, "front": front, "back": back}
    if reverse:
        entry["reverse"] = True
    if tags:
        entry["tags"] = tags
    variants = {0: ""}
    if reverse:
        variants[1] = "reverse"
    return entry, variants, len(variants)


def _reviews(collection: AnkiCollection, converted: dict[int, _Converted],
             drafts: dict[int, DeckDraft]) -> tuple[list[ImportedReview], int]:
    """The revlog as reviews of the new cards; manual changes and unknown cards are left out."""
    by_card = {card.id: card for card in collection.cards}
    reviews: list[ImportedReview] = []
    dropped = 0
    for row in collection.revlog:
        card = by_card.get(row.card)
        item = converted.get(card.note) if card else None
        if card is None or item is None or card.ord not in item.variants:
            dropped += 1
            continue
        if row.ease not in (1, 2, 3, 4) or row.type in (4, 5):
            dropped += 1
            continue
        key = CardKey(drafts[item.deck_key].id, str(item.card["id"]), item.variants[card.ord])
        at = datetime.fromtimestamp(row.id / 1000, tz=timezone.utc)
        reviews.append(ImportedReview(key, at, Rating(row.ease), row.time_ms if row.time_ms > 0 else None))
    return reviews, dropped
