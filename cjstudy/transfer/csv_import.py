"""Spreadsheet and flashcard-app CSV/TSV files to a cjstudy deck.

Two or three columns: front, back and optionally tags (separated by spaces or commas). The
delimiter is detected (comma, semicolon, tab, pipe); a header row is recognised by its
column names and skipped. Cells may hold HTML, as Anki's and Quizlet's exports do. A front
with `{{c1::…}}` gaps becomes a cloze card (the back, if any, its explanation). Card ids come
from the front text, so importing an updated file keeps the progress of unchanged cards.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from cjstudy.errors import TransferError
from cjstudy.transfer.deck_build import DeckDraft, render
from cjstudy.transfer.html_text import html_to_text
from cjstudy.transfer.ids import clean_tag, slug

HEADER_WORDS = {
    "front", "back", "tags", "tag", "question", "answer", "term", "definition", "vraag", "antwoord",
    "voorkant", "achterkant", "begrip", "definitie", "word", "meaning", "prompt", "labels",
}
DELIMITERS = ",;\t|"
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class CsvResult:
    deck: DeckDraft
    files: dict[str, str]
    warnings: list[str]
    delimiter: str
    had_header: bool


def decode(data: bytes, shown: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM); Windows-1252 as a fallback that is reported."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        try:
            return data.decode("cp1252"), [f"{shown}: not UTF-8 (byte {error.start}); read as Windows-1252"]
        except UnicodeDecodeError:
            raise TransferError(f"{shown}: not a text file (not UTF-8 at byte {error.start})") from None


SNIFF_CHARS = 8192


def detect_delimiter(text: str, suffix: str) -> str:
    # The sniffer's regexes are slow on long lines (a 600 KB line took over a minute): a sample
    # of 50 lines and at most 8 KB says as much about the delimiter.
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    if suffix.lower() in (".tsv", ".tab") or "\t" in sample:
        return "\t"
    counts = {d: sample.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _rows(text: str, delimiter: str, shown: str) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TransferError(f"{shown}:{start}: {error}") from None
    return rows


def _is_header(row: list[str]) -> bool:
    cells = [c.strip().lower() for c in row if c.strip()]
    return bool(cells) and all(c in HEADER_WORDS for c in cells)


def _card_id(front: str, used: set[str]) -> str:
    words = slug(front, fallback="card").split("-")[:5]
    base = "-".join(words)[:40].strip("-") or "card"
    base = f"{base}-{hashlib.sha256(front.encode('utf-8')).hexdigest()[:6]}"
    card_id, n = base, 2
    while card_id in used:
        card_id, n = f"{base}-{n}", n + 1
    used.add(card_id)
    return card_id


def import_csv(path: Path, *, deck_id: str | None = None, title: str | None = None,
               language: str | None = None) -> CsvResult:
    """Read `path` into one deck draft and its YAML text; every bad row is reported as file:line."""
    from cjstudy.deck import cloze

    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TransferError(f"{shown}: larger than 20 MiB")
        data = path.read_bytes()
    except OSError as error:
        raise TransferError(f"{shown}: cannot read ({error.strerror or error})") from None
    text, warnings = decode(data, shown)
    if "\x00" in text:
        raise TransferError(f"{shown}: not a text file (contains NUL bytes)")
    delimiter = detect_delimiter(text, path.suffix)
    rows = _rows(text, delimiter, shown)
    had_header = bool(rows) and _is_header(rows[0][1])
    if had_header:
        rows = rows[1:]
    deck_id = deck_id or slug(path.stem)
    draft = DeckDraft(id=deck_id, title=title or path.stem.replace("_", " ").replace("-", " ").strip() or deck_id,
                      description=f"Imported from {path.name}.", source=path.name, language=language)
    used: set[str] = set()
    media: list[str] = []
    for line, row in rows:
        cells = [c for c in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > 3:
            raise TransferError(f"{shown}:{line}: expected 2 or 3 columns (front, back, tags), found {len(cells)}")
        front = html_to_text(cells[0])
        back = html_to_text(cells[1]) if len(cells) > 1 else html_to_text("")
        media += front.media + back.media
        raw_tags = cells[2].replace(",", " ").split() if len(cells) > 2 else []
        tags = list(dict.fromkeys(t for t in (clean_tag(x) for x in raw_tags) if t))
        if not front.text:
            raise TransferError(f"{shown}:{line}: the front (first column) is empty")
        card: dict[str, object] = {"id": _card_id(front.text, used)}
        if cloze.find_gaps(front.text):
            issues = cloze.check(front.text)
            if issues:
                raise TransferError(f"{shown}:{line}: {issues[0].message}")
            card.update({"type": "cloze", "text": front.text})
            if back.text:
                card["explanation"] = back.text
            draft.card_count += len({g.number for g in cloze.find_gaps(front.text)})
        else:
            if not back.text:
                raise TransferError(f"{shown}:{line}: the back (second column) is empty")
            card.update({"front": front.text, "back": back.text})
            draft.card_count += 1
        if tags:
            card["tags"] = tags
        draft.cards.append(card)
    if not draft.cards:
        raise TransferError(f"{shown}: no cards found (expected rows of front, back[, tags])")
    if media:
        warnings.append(f"{shown}: {len(media)} media reference{'s' * (len(media) != 1)} dropped")
    return CsvResult(draft, {draft.filename: render(draft)}, warnings, delimiter, had_header)
