"""cjstudy -> .apkg: the package's contents, stable GUIDs, and the real Anki accepting it."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.deck import parse_deck
from cjstudy.transfer.apkg_export import export_apkg, to_anki_note
from cjstudy.transfer.ids import note_guid

DECK = """\
deck: reis-nl
title: Klantreis één
language: nl
tags: [reis]
cards:
  - id: klantreis
    front: Wat is een klantreis? (café & <winkel>)
    back: De reis die een klant aflegt — van oriëntatie tot naïeve aankoop.
    tags: [definitie]
  - id: touchpoint
    front: touchpoint
    back: contactmoment
    reverse: true
  - id: fasen
    type: cloze
    text: De fasen zijn {{c1::pre-aankoop}}, {{c2::aankoop::kopen}} en {{c3::post-aankoop}}.
    explanation: Lemon & Verhoef.
  - id: categorieen
    type: list
    prompt: Noem de categorieën touchpoints.
    items: [merkeigen, partnereigen, klanteigen, sociaal/extern]
  - id: volgorde
    type: sequence
    prompt: Zet de fasen op volgorde.
    items: [pre-aankoop, aankoop, post-aankoop]
  - id: keuze
    type: choice
    prompt: Wie beheert een merkeigen touchpoint?
    options: [Het bedrijf, De klant, Een partner]
    answer: Het bedrijf
"""
NOTES, CARDS = 6, 1 + 2 + 3 + 1 + 1 + 1
T1 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def _deck(text: str = DECK):
    result = parse_deck(text.encode("utf-8"), "reis-nl.yaml")
    assert result.deck is not None, result.problems
    return result.deck


def _collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(package) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        db = tmp_path / "unpacked.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(db)


def test_package_holds_a_schema_11_collection_with_one_note_per_card_entry(tmp_path: Path) -> None:
    out = tmp_path / "reis.apkg"
    summary = export_apkg([_deck()], out, T1)
    assert (summary.decks, summary.notes, summary.cards) == (1, NOTES, CARDS)
    con = _collection(out, tmp_path)
    assert con.execute("SELECT ver FROM col").fetchone() == (11,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    models = json.loads(con.execute("SELECT models FROM col").fetchone()[0])
    by_name = {m["name"]: m for m in models.values()}
    assert set(by_name) == {"Basic", "Basic (and reversed card)", "Cloze"}
    assert by_name["Cloze"]["type"] == 1
    decks = json.loads(con.execute("SELECT decks FROM col").fetchone()[0])
    assert {d["name"] for d in decks.values()} == {"Default", "cjstudy", "cjstudy::Klantreis één"}
    assert con.execute("SELECT count(*) FROM notes").fetchone() == (NOTES,)
    assert con.execute("SELECT count(*) FROM cards").fetchone() == (CARDS,)
    fields = dict(con.execute("SELECT guid, flds FROM notes"))
    first = fields[note_guid("reis-nl", "klantreis")].split("\x1f")
    assert first[0] == "Wat is een klantreis? (café &amp; &lt;winkel&gt;)"
    assert "naïeve" in first[1]
    cloze = fields[note_guid("reis-nl", "fasen")].split("\x1f")
    assert cloze[0] == "De fasen zijn {{c1::pre-aankoop}}, {{c2::aankoop::kopen}} en {{c3::post-aankoop}}."
    assert "Lemon &amp; Verhoef." in cloze[1]
    ords = [row[0] for row in con.execute(
        "SELECT c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ? ORDER BY c.ord",
        (note_guid("reis-nl", "fasen"),))]
    assert ords == [0, 1, 2]
    tags = con.execute("SELECT tags FROM notes WHERE guid = ?", (note_guid("reis-nl", "klantreis"),)).fetchone()[0]
    assert tags.split() == ["reis", "definitie"]


def test_list_sequence_and_choice_get_readable_backs() -> None:
    notes = {n.id: to_anki_note(n) for n in _deck().notes}
    assert "<ul" in notes["categorieen"].fields[1] and "<li>sociaal/extern</li>" in notes["categorieen"].fields[1]
    assert "<ol" in notes["volgorde"].fields[1] and "(in order)" in notes["volgorde"].fields[0]
    assert "Een partner" in notes["keuze"].fields[0] and "Het bedrijf" in notes["keuze"].fields[1]
    assert "De klant" not in notes["keuze"].fields[1]


def test_guids_and_ids_do_not_change_between_exports(tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_apkg([_deck()], first, T1)
    export_apkg([_deck(DECK.replace("contactmoment", "contactpunt"))], second, T1.replace(year=2026))
    rows = []
    for package in (first, second):
        con = _collection(package, tmp_path)
        rows.append(sorted(con.execute("SELECT id, guid, mid FROM notes")))
        rows.append(sorted(con.execute("SELECT id, nid, did, ord FROM cards")))
    assert rows[0] == rows[2] and rows[1] == rows[3]


def test_cli_export_all_or_chosen_decks(runner, write_deck, tmp_path: Path) -> None:
    folder = write_deck(DECK, "reis-nl.yaml").parent
    out = tmp_path / "one.apkg"
    result = runner.invoke(app, ["export", "apkg", "--decks", str(folder), "--deck", "reis-nl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"1 deck, {NOTES} notes, {CARDS} cards" in result.output
    everything = tmp_path / "all.apkg"
    result = runner.invoke(app, ["export", "apkg", "--decks", str(folder), "-o", str(everything)])
    assert result.exit_code == 0, result.output
    con = _collection(everything, tmp_path)
    assert con.execute("SELECT count(*) FROM notes").fetchone()[0] > NOTES  # the bundled decks came along


def test_cli_export_errors_leave_nothing(runner, write_deck, tmp_path: Path) -> None:
    folder = write_deck(DECK, "reis-nl.yaml").parent
    out = tmp_path / "x.apkg"
    result = runner.invoke(app, ["export", "apkg", "--decks", str(folder), "--deck", "reis-n", "-o", str(out)])
    assert result.exit_code != 0
    assert "no deck 'reis-n'" in result.output and "Traceback" not in result.output
    missing = tmp_path / "nowhere" / "x.apkg"
    result = runner.invoke(app, ["export", "apkg", "--decks", str(folder), "-o", str(missing)])
    assert result.exit_code == 1 and "folder does not exist" in result.output
    assert not out.exists() and not missing.parent.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def _anki_import(collection_path: Path, package: Path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(collection_path))
    try:
        request = ImportAnkiPackageRequest(package_path=str(package),
                                           options=ImportAnkiPackageOptions(with_scheduling=True))
        log = col.import_anki_package(request).log
        notes = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            notes[note.guid] = (note.note_type()["name"], list(note.fields), sorted(note.tags),
                                len(note.card_ids()))
        decks = sorted(d.name for d in col.decks.all_names_and_ids())
        return log, notes, decks, col.card_count()
    finally:
        col.close()


def test_real_anki_imports_the_package_and_updates_in_place(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_apkg([_deck()], first, T1)
    anki_home = tmp_path / "anki"
    anki_home.mkdir()
    log, notes, decks, cards = _anki_import(anki_home / "collection.anki2", first)
    assert len(log.new) == NOTES and cards == CARDS
    assert "cjstudy::Klantreis één" in decks
    name, fields, tags, count = notes[note_guid("reis-nl", "klantreis")]
    assert name.startswith("Basic") and count == 1 and tags == ["definitie", "reis"]
    assert fields[0] == "Wat is een klantreis? (café &amp; &lt;winkel&gt;)"
    assert "van oriëntatie tot naïeve aankoop" in fields[1]
    assert notes[note_guid("reis-nl", "touchpoint")][3] == 2
    assert notes[note_guid("reis-nl", "fasen")][3] == 3

    export_apkg([_deck(DECK.replace("contactmoment", "contactpunt"))], second, T1.replace(year=2026))
    log, notes, _, cards = _anki_import(anki_home / "collection.anki2", second)
    assert len(notes) == NOTES and cards == CARDS  # updated, not duplicated
    assert len(log.new) == 0 and len(log.updated) >= 1
    assert notes[note_guid("reis-nl", "touchpoint")][1] == ["touchpoint", "contactpunt"]
