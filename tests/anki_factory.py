"""Anki packages made with the official `anki` package, for the import tests and the corpus table.

Each builder writes a collection with one feature the importer must get right (v1 history,
question-only notes, Image Occlusion, templates, clozes, filtered and nested decks, media) and
exports it in the format asked for: "anki21b" (current), "anki21" (legacy) or "anki2" (oldest).
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

FORMATS = ("anki21b", "anki21", "anki2")


def png(width: int, height: int) -> bytes:
    """A white RGB PNG of the given size."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png(200, 100)


def new_collection(folder: Path):
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


def add(col, notetype: str | dict, fields: list[str], deck: str = "Default", tags: list[str] = ()) -> object:
    model = col.models.by_name(notetype) if isinstance(notetype, str) else notetype
    note = col.new_note(model)
    for i, value in enumerate(fields):
        note.fields[i] = value
    note.tags = list(tags)
    col.add_note(note, col.decks.id(deck))
    return note


def answer_all(col, ratings: list[int], deck: str | None = None) -> int:
    """Answer due cards in turn with the v3 scheduler; how many answers were given."""
    from anki.scheduler.v3 import CardAnswer

    if deck is not None:
        col.decks.select(col.decks.id(deck))
    given = 0
    for rating in ratings:
        card = col.sched.getCard()
        if card is None:
            break
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=CardAnswer.Rating.Value(
            {1: "AGAIN", 2: "HARD", 3: "GOOD", 4: "EASY"}[rating])))
        given += 1
    return given


def export(col, path: Path, fmt: str = "anki21b") -> Path:
    """Export the whole collection with scheduling and media, then close it."""
    from anki.collection import ExportAnkiPackageOptions

    legacy = fmt != "anki21b"
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True,
                                       legacy=legacy)
    target = path if fmt != "anki2" else path.with_suffix(".legacy.apkg")
    col.export_anki_package(out_path=str(target), options=options, limit=None)
    col.close()
    if fmt == "anki2":  # the oldest layout: the same schema 11 collection named collection.anki2
        with zipfile.ZipFile(target) as source, zipfile.ZipFile(path, "w") as out:
            for name in source.namelist():
                if name in ("collection.anki2", "meta"):
                    continue  # the placeholder and the version marker newer Anki writes
                data = source.read(name)
                out.writestr("collection.anki2" if name == "collection.anki21" else name, data)
        target.unlink()
    return path


def edit_collection(package: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    """Change the collection inside a package in place (for v1-era data); anki21b is recompressed."""
    import zstandard

    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in ("collection.anki21b", "collection.anki21", "collection.anki2") if n in members)
    work = package.with_suffix(".sqlite")
    data = members[name]
    if name.endswith("b"):
        data = zstandard.ZstdDecompressor().stream_reader(data).read()
    work.write_bytes(data)
    con = sqlite3.connect(work)
    change(con)
    con.commit()
    con.execute("VACUUM")
    con.close()
    data = work.read_bytes()
    members[name] = zstandard.ZstdCompressor().compress(data) if name.endswith("b") else data
    work.unlink()
    with zipfile.ZipFile(package, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)


def package_counts(package: Path, folder: Path) -> dict:
    """Notes, cards, revlog rows and eases as the official anki import stores them."""
    col = new_collection(folder)
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)))
    counts = {
        "notes": col.note_count(),
        "cards": col.card_count(),
        "revlog": col.db.scalar("SELECT count() FROM revlog"),
        "eases": col.db.all("SELECT id, ease, type FROM revlog ORDER BY id"),
        "media": sorted(p.name for p in Path(col.media.dir()).iterdir()),
        "decks": sorted(d.name for d in col.decks.all_names_and_ids()),
    }
    col.close()
    return counts


# --- builders: each returns the package path ---------------------------------------------------

def v1_history(folder: Path, fmt: str = "anki21") -> tuple[Path, list[tuple[int, int]]]:
    """A collection whose schedVer is 1, with learning (type 0/2) and review (type 1) answers.

    Returns the package and the (ease, type) rows written, in revlog order.
    """
    col = new_collection(folder / "col")
    notes = [add(col, "Basic", [f"question {i}", f"answer {i}"]) for i in range(3)]
    cids = [col.find_cards(f"nid:{n.id}")[0] for n in notes]
    path = export(col, folder / f"v1.{fmt}.apkg", fmt)
    rows = [(1, 0), (2, 0), (3, 0), (2, 1), (3, 1), (1, 1), (2, 2), (3, 2), (4, 1), (2, 0)]

    def make_v1(con: sqlite3.Connection) -> None:
        import json

        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "config" in tables:  # schema 18 keeps settings in their own table
            con.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
            con.execute("INSERT OR REPLACE INTO config (KEY, usn, mtime_secs, val) VALUES ('schedVer', 0, 0, ?)",
                        (b"1",))
        else:
            (conf,) = con.execute("SELECT conf FROM col").fetchone()
            data = json.loads(conf)
            data["schedVer"] = 1
            con.execute("UPDATE col SET conf = ?", (json.dumps(data),))
        con.execute("UPDATE cards SET type = 2, queue = 2, ivl = 3, due = 0")
        stamp = 1_600_000_000_000
        for i, (ease, kind) in enumerate(rows):
            con.execute("INSERT INTO revlog VALUES (?, ?, -1, ?, 1, 0, 2500, 5000, ?)",
                        (stamp + i * 3_600_000, cids[i % len(cids)], ease, kind))

    edit_collection(path, make_v1)
    return path, rows


def question_only(folder: Path, fmt: str = "anki21b") -> tuple[Path, int]:
    """Only Basic notes with an empty Back, some answered. Returns the package and answer count."""
    col = new_collection(folder / "col")
    for i in range(4):
        add(col, "Basic", [f"Recite verse {i}", ""])
    given = answer_all(col, [3, 1, 3, 4, 2, 3, 3])
    return export(col, folder / f"question-only.{fmt}.apkg", fmt), given


def image_occlusion(folder: Path, fmt: str = "anki21b") -> Path:
    col = new_collection(folder / "col")
    image = folder / "heart.png"
    image.write_bytes(PNG)
    col.add_image_occlusion_notetype()
    notetype = col.models.by_name("Image Occlusion")
    col.add_image_occlusion_note(
        notetype["id"], str(image),
        "{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}"
        "{{c2::image-occlusion:rect:left=.5:top=.5:width=.2:height=.2:oi=1}}",
        "The heart", "", [])
    add(col, "Basic", ["An ordinary card", "still here"])
    return export(col, folder / f"io.{fmt}.apkg", fmt)


def _notetype(col, name: str, fields: list[str], templates: list[tuple[str, str, str]], cloze: bool = False):
    models = col.models
    model = models.new(name)
    if cloze:
        model["type"] = 1
    for field in fields:
        models.add_field(model, models.new_field(field))
    for tname, question, answer in templates:
        template = models.new_template(tname)
        template["qfmt"], template["afmt"] = question, answer
        models.add_template(model, template)
    models.add(model)
    return models.by_name(name)


def reversed_by_templates(folder: Path, fmt: str = "anki21b") -> Path:
    """genanki's "Basic (and reversed card)" look-alike and a two-template note type named "Basic"."""
    col = new_collection(folder / "col")
    col.models.remove(col.models.by_name("Basic")["id"])
    renamed = _notetype(col, "Basic", ["Front", "Back"], [
        ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        ("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
    ])
    genanki_like = _notetype(col, "Vocabulary pair", ["Word", "Meaning"], [
        ("Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"),
        ("Produce", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}"),
    ])
    add(col, renamed, ["touchpoint", "contactmoment"])
    add(col, genanki_like, ["klant", "customer"])
    answer_all(col, [3, 3, 1, 3])
    return export(col, folder / f"reversed.{fmt}.apkg", fmt)


def clozes_anywhere(folder: Path, fmt: str = "anki21b") -> Path:
    """Cloze in the second field, and clozes spread over two fields of one note."""
    col = new_collection(folder / "col")
    second = _notetype(col, "Cloze second", ["Header", "Text", "Extra"], [
        ("Cloze", "{{Header}}<br>{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}")], cloze=True)
    multi = _notetype(col, "Cloze two fields", ["Part A", "Part B", "Notes"], [
        ("Cloze", "{{cloze:Part A}}<br>{{cloze:Part B}}", "{{cloze:Part A}}<br>{{cloze:Part B}}<hr>{{Notes}}")],
        cloze=True)
    add(col, second, ["Chapter 3", "A {{c1::blueprint}} maps {{c2::touch points}}.", "Bitner"])
    add(col, multi, ["SDL stands for {{c1::service-dominant logic}}.", "GDL stands for {{c2::goods-dominant logic}}.",
                     "Vargo & Lusch"])
    answer_all(col, [3, 3, 3, 3])
    return export(col, folder / f"clozes.{fmt}.apkg", fmt)


def nested_clozes(folder: Path, fmt: str = "anki21b") -> Path:
    col = new_collection(folder / "col")
    add(col, "Cloze", ["{{c1::Service {{c2::dominant}} logic}} is by {{c3::Vargo}}.", ""])
    answer_all(col, [3, 3, 3])
    return export(col, folder / f"nested.{fmt}.apkg", fmt)


def filtered_and_nested(folder: Path, fmt: str = "anki21b") -> Path:
    """Cards answered, then pulled into a filtered deck; home decks nested two levels."""
    col = new_collection(folder / "col")
    for i in range(3):
        add(col, "Basic", [f"front {i}", f"back {i}"], deck="Course::Week 1")
    add(col, "Basic", ["other", "deck"], deck="Course::Week 2")
    answer_all(col, [1, 3, 3, 3], deck="Course::Week 1")
    did = col.decks.new_filtered("Cram")
    deck = col.decks.get(did)
    deck["terms"] = [["deck:Course*", 100, 0]]
    col.decks.save(deck)
    col.sched.rebuild_filtered_deck(did)
    return export(col, folder / f"filtered.{fmt}.apkg", fmt)


def eight_templates(folder: Path, fmt: str = "anki21b") -> Path:
    col = new_collection(folder / "col")
    fields = ["Verb"] + [f"Form {i}" for i in range(1, 8)]
    templates = [(f"Form {i}", f"{{{{Verb}}}} — form {i}?", f"{{{{FrontSide}}}}<hr id=answer>{{{{Form {i}}}}}")
                 for i in range(1, 8)]
    templates.append(("Meaning", "What does {{Verb}} mean?", "{{FrontSide}}<hr id=answer>{{Form 1}} …"))
    model = _notetype(col, "Conjugation", fields, templates)
    add(col, model, ["zijn", "ben", "bent", "is", "zijn", "zijn", "zijn", "was"])
    answer_all(col, [3] * 8 + [1, 3])
    return export(col, folder / f"eight.{fmt}.apkg", fmt)


def layout_and_media(folder: Path, fmt: str = "anki21b") -> Path:
    col = new_collection(folder / "col")
    image = folder / "heart.png"
    image.write_bytes(PNG)
    name = col.media.add_file(str(image))
    sound = folder / "beat.mp3"
    sound.write_bytes(b"ID3fake")
    sound_name = col.media.add_file(str(sound))
    add(col, "Basic", ["<table><tr><th>Term</th><th>Meaning</th></tr><tr><td>CX</td><td>customer experience</td>"
                       "</tr></table>", "<pre>def f():\n    return 1</pre>"], deck="Layout::Tables")
    add(col, "Basic", ["E = mc<sup>2</sup>, H<sub>2</sub>O", "<ruby>漢字<rt>かんじ</rt></ruby>"], deck="Layout::Tables")
    add(col, "Basic", ["Which organ is this?", f'<img src="{name}">'], deck="Layout::Media")
    add(col, "Basic", [f"Listen [sound:{sound_name}]", "a heartbeat"], deck="Layout::Media")
    answer_all(col, [3, 3, 3, 3], deck="Layout")
    return export(col, folder / f"layout.{fmt}.apkg", fmt)


BUILDERS = {
    "v1 history": lambda f, fmt: v1_history(f, fmt)[0],
    "question-only notes": lambda f, fmt: question_only(f, fmt)[0],
    "Image Occlusion": image_occlusion,
    "reversed by templates": reversed_by_templates,
    "clozes in any field": clozes_anywhere,
    "nested clozes": nested_clozes,
    "filtered + nested decks": filtered_and_nested,
    "eight templates": eight_templates,
    "layout + media": layout_and_media,
}
