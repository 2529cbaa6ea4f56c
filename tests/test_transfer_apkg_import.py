"""Anki-made packages -> cjstudy decks and review history, in every package format; bad packages."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.deck import deck_files, read_all
from cjstudy.model import CardKey
from cjstudy.transfer.apkg_import import import_package
from cjstudy.transfer.ids import card_id_from_guid

# (note type, fields, tags); the expected cjstudy card count per note follows the note type.
NOTES = [
    ("Basic", ["Wat is een <b>klantreis</b>?", "De reis van de klant&nbsp;— café, naïef<br>tweede regel"], ["nl", "def::reis"]),
    ("Basic", ["Touch point <img src=\"tp.png\">", "A contact moment [sound:tp.mp3]"], []),
    ("Basic (and reversed card)", ["touchpoint", "contactmoment"], ["vocab"]),
    ("Cloze", ["Een {{c1::service blueprint}} toont {{c2::fysiek bewijs::wat zie je}}.", "Bitner"], []),
    ("Basic (type in the answer)", ["Share of wallet?", "<div>aandeel</div><div>in de uitgaven</div>"], []),
]
CARDS_PER_NOTE = [1, 1, 2, 2, 1]


def _anki():
    return pytest.importorskip("anki")


def _make_collection(folder: Path):
    """An Anki collection with notes of each type in a nested deck, some of them answered."""
    _anki()
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(folder / "collection.anki2"))
    did = col.decks.id("Marketing::Hoofdstuk één")
    other = col.decks.id("Losse kaarten")
    guids = []
    for i, (kind, fields, tags) in enumerate(NOTES):
        note = col.new_note(col.models.by_name(kind))
        for n, value in enumerate(fields):
            note.fields[n] = value
        note.tags = tags
        col.add_note(note, other if i == 4 else did)
        guids.append(note.guid)
    col.decks.select(did)
    answered = 0
    ratings = [CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.GOOD, CardAnswer.EASY, CardAnswer.HARD, CardAnswer.GOOD]
    for rating in ratings:
        card = col.sched.getCard()
        if card is None:
            break
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        answered += 1
    # A manual reschedule writes a revlog row with ease 0; it must not become a review.
    first_card = col.find_cards(f"nid:{col.find_notes('')[0]}")[0]
    col.sched.set_due_date([first_card], "5")
    return col, guids, answered


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict:
    """The same collection as current (anki21b), legacy (anki21) and oldest (anki2-only) packages."""
    _anki()
    from anki.collection import ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki")
    col, guids, answered = _make_collection(folder)
    revlog = col.db.list("SELECT ease FROM revlog")
    out = {}
    for legacy in (False, True):
        path = folder / ("legacy.apkg" if legacy else "current.apkg")
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False,
                                           with_media=True, legacy=legacy)
        col.export_anki_package(out_path=str(path), options=options, limit=None)
        out["legacy" if legacy else "current"] = path
    col.close()
    oldest = folder / "oldest.apkg"
    with zipfile.ZipFile(out["legacy"]) as source, zipfile.ZipFile(oldest, "w") as target:
        target.writestr("collection.anki2", source.read("collection.anki21"))
        target.writestr("media", "{}")
    out["oldest"] = oldest
    return {"paths": out, "guids": guids, "answered": answered, "revlog": revlog}


def test_the_test_collection_is_what_we_think(packages) -> None:
    with zipfile.ZipFile(packages["paths"]["current"]) as archive:
        assert {"collection.anki21b", "collection.anki2"} <= set(archive.namelist())
    with zipfile.ZipFile(packages["paths"]["legacy"]) as archive:
        assert "collection.anki21" in archive.namelist()
    assert packages["answered"] >= 4
    assert 0 in packages["revlog"]  # the manual reschedule


@pytest.mark.parametrize("kind", ["current", "legacy", "oldest"])
def test_package_becomes_valid_decks_with_the_same_counts(kind, packages, runner, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = runner.invoke(app, ["import", str(packages["paths"][kind]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "imported 5 notes (7 cards)" in result.output
    assert "media reference" in result.output and "tp.png" in result.output

    validate = runner.invoke(app, ["validate", "--strict", str(out)])
    assert validate.exit_code == 0, validate.output
    assert "0 errors, 0 warnings" in validate.output
    decks, problems = read_all([(p, False) for p in deck_files([out])])
    assert problems == []
    by_id = {d.id: d for d in decks}
    assert set(by_id) == {"marketing-hoofdstuk-een", "losse-kaarten"}
    main = by_id["marketing-hoofdstuk-een"]
    assert main.title == "Marketing::Hoofdstuk één" and main.language == "nl"
    assert len(main.notes) == 4 and len(main.cards) == 6
    assert len(by_id["losse-kaarten"].notes) == 1 and len(by_id["losse-kaarten"].cards) == 1

    guids = packages["guids"]
    notes = {n.id: n for d in decks for n in d.notes}
    first = notes[card_id_from_guid(guids[0])]
    assert (first.type, first.front) == ("basic", "Wat is een klantreis?")
    assert first.back == "De reis van de klant — café, naïef\ntweede regel"
    assert set(first.tags) == {"nl", "def/reis"}
    media = notes[card_id_from_guid(guids[1])]
    assert (media.front, media.back) == ("Touch point (missing image: tp.png)",
                                         "A contact moment (missing sound: tp.mp3)")
    reverse = notes[card_id_from_guid(guids[2])]
    assert reverse.reverse is True and reverse.back == "contactmoment"
    cloze = notes[card_id_from_guid(guids[3])]
    assert cloze.type == "cloze" and cloze.text == "Een {{c1::service blueprint}} toont {{c2::fysiek bewijs::wat zie je}}."
    assert cloze.explanation == "Bitner"
    other = notes[card_id_from_guid(guids[4])]
    assert (other.type, other.back) == ("basic", "aandeel\nin de uitgaven")


@pytest.mark.parametrize("kind", ["current", "legacy"])
def test_review_history_lands_in_the_store_and_stats(kind, packages, runner, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = runner.invoke(app, ["import", str(packages["paths"][kind]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = sum(1 for ease in packages["revlog"] if ease)
    assert expected == packages["answered"]
    assert f"review history: {expected} reviews of" in result.output

    import os

    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    with open_store(store_path(os.environ)) as store:
        reviews = store.reviews()
        states = store.states()
    assert len(reviews) == expected
    assert {r.source for r in reviews} == {"import"}
    assert all(r.after.reps >= 1 for r in reviews)
    studied = {r.key for r in reviews}
    assert all(states[key].state != "new" and states[key].stability for key in studied)
    assert all(key.deck == "marketing-hoofdstuk-een" for key in studied)

    stats = runner.invoke(app, ["--decks", str(out), "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["total_reviews"] == expected

    again = runner.invoke(app, ["import", str(packages["paths"][kind]), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "already had history here" in again.output
    with open_store(store_path(os.environ)) as store:
        assert len(store.reviews()) == expected  # nothing doubled


def test_import_is_stable_across_runs_and_formats(packages, tmp_path: Path) -> None:
    texts = []
    for kind in ("current", "legacy", "oldest", "current"):
        result = import_package(packages["paths"][kind])
        texts.append({name: text.replace(f"source: {kind}.apkg", "") for name, text in result.files.items()})
    assert texts[0] == texts[1] == texts[2] == texts[3]


def test_no_history_option_leaves_the_store_alone(packages, runner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(packages["paths"]["current"]), "--out", str(tmp_path / "o"),
                                 "--no-history"])
    assert result.exit_code == 0, result.output
    assert "left out (--no-history)" in result.output
    from cjstudy.paths import store_path
    import os

    assert not store_path(os.environ).exists()


def test_history_keys_follow_the_card_variants(packages) -> None:
    result = import_package(packages["paths"]["current"])
    variants = {r.key.variant for r in result.reviews}
    assert variants <= {"", "reverse", "c1", "c2"}
    keys = {CardKey(d.id, str(c["id"]), "") for d in result.decks for c in d.cards}
    assert all(CardKey(r.key.deck, r.key.card, "") in keys for r in result.reviews)


# --- bad packages ------------------------------------------------------------------------

def _expect_refused(runner, package: Path, tmp_path: Path, message: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(package), "--out", str(out)])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert message in lines[0] and str(package) in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_not_a_zip(runner, tmp_path: Path) -> None:
    package = tmp_path / "broken.apkg"
    package.write_bytes(b"this is not a zip file at all")
    _expect_refused(runner, package, tmp_path, "not a zip file")


def test_zip_without_a_collection(runner, tmp_path: Path) -> None:
    package = tmp_path / "empty.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("media", "{}")
        archive.writestr("notes.txt", "hello")
    _expect_refused(runner, package, tmp_path, "no collection.anki21b")


def test_corrupt_database(runner, tmp_path: Path) -> None:
    package = tmp_path / "corrupt.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", b"SQLite format 3\x00" + b"\x07" * 5000)
    _expect_refused(runner, package, tmp_path, "collection")


def test_truncated_database(runner, tmp_path: Path, packages) -> None:
    with zipfile.ZipFile(packages["paths"]["oldest"]) as source:
        data = source.read("collection.anki2")
    package = tmp_path / "truncated.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", data[: len(data) // 3])
    _expect_refused(runner, package, tmp_path, "collection")


def test_sqlite_that_is_not_anki(runner, tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE things (x)")
    con.commit()
    con.close()
    package = tmp_path / "other.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(db, "collection.anki2")
    _expect_refused(runner, package, tmp_path, "not an Anki collection")


def test_bad_zstd_payload(runner, tmp_path: Path) -> None:
    package = tmp_path / "zstd.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd" + b"garbage" * 20)
        archive.writestr("collection.anki2", b"placeholder")
    _expect_refused(runner, package, tmp_path, "zstd")


def test_existing_files_survive_a_failed_import(runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.yaml").write_text("deck: keep\n", encoding="utf-8")
    package = tmp_path / "broken.apkg"
    package.write_bytes(b"PK\x03\x04 but not really")
    result = runner.invoke(app, ["import", str(package), "--out", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["keep.yaml"]
