"""Anki migration without loss (issue 15): one test per numbered point, on packages made here
with the official `anki` package, so CI needs no download."""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("anki")
sys.path.insert(0, str(Path(__file__).parent))
import anki_factory as factory  # noqa: E402

from cjstudy.cli import app  # noqa: E402
from cjstudy.deck import deck_files, read_all  # noqa: E402
from cjstudy.transfer.apkg_import import import_package  # noqa: E402


def _decks(folder: Path) -> dict:
    decks, problems = read_all([(p, False) for p in deck_files([folder])])
    assert [p for p in problems if p.is_error] == []
    return {d.id: d for d in decks}


def _import(runner, package: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(app, ["import", str(package), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    check = runner.invoke(app, ["validate", "--strict", str(out)])
    assert check.exit_code == 0, check.output
    return result.output


def _store_ratings() -> list[tuple[object, int]]:
    import os

    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    with open_store(store_path(os.environ)) as store:
        return sorted((r.reviewed_at, int(r.rating)) for r in store.reviews())


# 1. v1 history: learning answers 2/3 are upgraded exactly as Anki's own import upgrades them.
@pytest.mark.parametrize("fmt", ["anki21b", "anki21", "anki2"])
def test_1_v1_scheduler_eases_are_upgraded_like_anki(fmt, runner, tmp_path: Path) -> None:
    package, rows = factory.v1_history(tmp_path, fmt)
    result = import_package(package)
    ours = [int(r.rating) for r in sorted(result.reviews, key=lambda r: r.reviewed_at)]
    expected = [ease + 1 if ease in (2, 3) and kind in (0, 2) else ease for ease, kind in rows]
    assert ours == expected and result.upgraded_reviews == 5
    anki = factory.package_counts(package, tmp_path / "official")
    assert [ease for _, ease, _ in anki["eases"]] == ours  # row by row, as the official import stores them
    output = _import(runner, package, tmp_path / "out")
    assert "review history: 10 reviews of 3 cards" in output and "v1 scheduler" in output
    assert [rating for _, rating in _store_ratings()] == ours


# 2. Question-only notes are imported, with every review.
def test_2_question_only_notes_and_their_reviews_are_kept(runner, tmp_path: Path) -> None:
    package, answered = factory.question_only(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    assert "imported 4 notes (4 cards)" in output
    assert f"review history: {answered} reviews" in output
    deck = _decks(tmp_path / "out")["default"]
    assert {n.front for n in deck.notes} == {f"Recite verse {i}" for i in range(4)}
    assert len(_store_ratings()) == answered


# 3. Image Occlusion notes become image cards with their masks, never `image-occlusion:rect…` text.
@pytest.mark.parametrize("fmt", ["anki21b", "anki2"])
def test_3_image_occlusion_becomes_image_cards_with_masks(fmt, runner, tmp_path: Path) -> None:
    package = factory.image_occlusion(tmp_path, fmt)
    out = tmp_path / "out"
    output = _import(runner, package, out)
    assert "imported 3 notes (3 cards)" in output  # two masks (two Anki cards) and the Basic note
    text = "".join(p.read_text() for p in out.glob("*.yaml"))
    assert "image-occlusion" not in text and "An ordinary card" in text
    notes = {n.id: n for n in _decks(out)["default"].notes}
    first = next(n for i, n in notes.items() if i.endswith("-c1"))
    assert first.front.startswith("The heart\n[image: media/heart-")
    question = (out / first.front.split("[image: ")[1].split("]")[0]).read_text()
    # mask 1 of the 200x100 image: left .1, top .2, width .3, height .4 -> hidden (filled)
    assert '<rect x="20.0" y="20.0" width="60.0" height="40.0" fill="#ff8e2b"' in question
    assert 'href="heart.png"' in question and (out / "media" / "heart.png").exists()
    answer = (out / first.back.split("[image: ")[1].split("]")[0]).read_text()
    assert '<rect x="20.0" y="20.0" width="60.0" height="40.0" fill="none"' in answer

    exported = tmp_path / "back.apkg"
    result = runner.invoke(app, ["--decks", str(out), "export", "apkg", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert "heart.png" in factory.package_counts(exported, tmp_path / "official")["media"]


# 4. Reverse cards come from the templates, whatever the note type is called.
def test_4_reverse_cards_are_found_from_templates(runner, tmp_path: Path) -> None:
    package = factory.reversed_by_templates(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    assert "imported 2 notes (4 cards)" in output
    deck = _decks(tmp_path / "out")["default"]
    assert all(n.reverse for n in deck.notes)
    assert {c.key.variant for c in deck.cards} == {"", "reverse"}
    assert "review history: 4 reviews" in output


# 5. Clozes in any field, and spread over several fields of one note.
def test_5_clozes_in_other_and_several_fields(runner, tmp_path: Path) -> None:
    package = factory.clozes_anywhere(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    assert "imported 2 notes (4 cards)" in output and "review history: 4 reviews" in output
    deck = _decks(tmp_path / "out")["default"]
    texts = {n.text: n.explanation for n in deck.notes}
    assert texts == {
        "Chapter 3\nA {{c1::blueprint}} maps {{c2::touch points}}.": "Bitner",
        "SDL stands for {{c1::service-dominant logic}}.\nGDL stands for {{c2::goods-dominant logic}}.":
            "Vargo & Lusch",
    }
    assert "{{" not in "".join(n.explanation or "" for n in deck.notes)


# 6. Nested clozes: one study card per Anki card, each hiding what Anki hides.
def test_6_nested_clozes(runner, tmp_path: Path) -> None:
    package = factory.nested_clozes(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    assert "(3 cards)" in output and "review history: 3 reviews" in output
    cards = {c.key.variant: c for c in _decks(tmp_path / "out")["default"].cards}
    assert cards["c1"].expected == ("Service dominant logic",)
    assert cards["c2"].expected == ("dominant",) and "Service [" in cards["c2"].question
    assert cards["c3"].expected == ("Vargo",)


# 7. Cards sitting in a filtered deck are filed under their home deck.
def test_7_filtered_deck_cards_go_home(runner, tmp_path: Path) -> None:
    package = factory.filtered_and_nested(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    decks = _decks(tmp_path / "out")
    assert set(decks) == {"course-week-1", "course-week-2"}
    assert len(decks["course-week-1"].cards) == 3 and "cram" not in output.lower()
    assert "review history: 4 reviews" in output


# 8. A note type with eight templates: eight study cards, each with its own reviews.
def test_8_every_template_is_a_card_with_its_history(runner, tmp_path: Path) -> None:
    package = factory.eight_templates(tmp_path)
    output = _import(runner, package, tmp_path / "out")
    assert "imported 8 notes (8 cards)" in output and "review history: 10 reviews of 8 cards" in output
    deck = _decks(tmp_path / "out")["default"]
    pairs = {(n.front, n.back) for n in deck.notes}
    assert ("zijn — form 3?", "is") in pairs and ("What does zijn mean?", "ben …") in pairs


# 9. A raw collection file is recognised by its content, whatever it is called.
@pytest.mark.parametrize("name", ["collection.anki2", "export.csv", "data"])
def test_9_raw_collection_files_by_content(name, runner, tmp_path: Path) -> None:
    col = factory.new_collection(tmp_path / "col")
    factory.add(col, "Basic", ["front", "back"])
    col.close()
    raw = tmp_path / name
    shutil.copy(tmp_path / "col" / "collection.anki2", raw)
    output = _import(runner, raw, tmp_path / "out")
    assert "imported 1 notes (1 cards)" in output


def test_9_raw_anki21b_collection(runner, tmp_path: Path) -> None:
    package = factory.nested_clozes(tmp_path)
    with zipfile.ZipFile(package) as archive:
        (tmp_path / "collection.anki21b").write_bytes(archive.read("collection.anki21b"))
    output = _import(runner, tmp_path / "collection.anki21b", tmp_path / "out")
    assert "(3 cards)" in output


# 10. Layout, media and nested decks survive, and go back to Anki.
def test_10_layout_becomes_readable_terminal_text(runner, tmp_path: Path) -> None:
    package = factory.layout_and_media(tmp_path)
    _import(runner, package, tmp_path / "out")
    notes = {n.front: n for d in _decks(tmp_path / "out").values() for n in d.notes}
    table = notes["Term | Meaning\nCX   | customer experience"]
    assert table.back == "def f():\n    return 1"
    assert notes["E = mc², H₂O"].back == "漢字(かんじ)"


def test_10_media_is_copied_referenced_and_round_trips(runner, tmp_path: Path) -> None:
    package = factory.layout_and_media(tmp_path)
    out = tmp_path / "out"
    output = _import(runner, package, out)
    assert "media: 2 files" in output
    assert (out / "media" / "heart.png").read_bytes() == factory.PNG
    decks = _decks(out)
    media = decks["layout-media"]
    assert media.title == "Layout::Media"
    image_only = next(n for n in media.notes if n.front == "Which organ is this?")
    assert image_only.back == "[image: media/heart.png]"
    assert any(n.front == "Listen [sound: media/beat.mp3]" for n in media.notes)

    exported = tmp_path / "back.apkg"
    result = runner.invoke(app, ["--decks", str(out), "export", "apkg", "-o", str(exported),
                                 "--deck", "layout-media", "--deck", "layout-tables"])
    assert result.exit_code == 0, result.output and "2 media files" in result.output
    anki = factory.package_counts(exported, tmp_path / "official")
    original = factory.package_counts(package, tmp_path / "original")
    assert anki["media"] == original["media"] == ["beat.mp3", "heart.png"]
    assert anki["notes"] == original["notes"]
    assert {"Layout::Media", "Layout::Tables"} <= set(anki["decks"])


def test_10_validate_checks_media_paths(runner, tmp_path: Path) -> None:
    package = factory.layout_and_media(tmp_path)
    out = tmp_path / "out"
    _import(runner, package, out)
    (out / "media" / "heart.png").unlink()
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 1 and "media file 'media/heart.png' not found next to the deck" in result.output
    deck = out / "escape.yaml"
    deck.write_text("deck: escape\ntitle: E\nlanguage: en\ncards:\n  - id: a\n    front: '[image: ../x.png]'\n"
                    "    back: b\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(deck)])
    assert result.exit_code == 1 and "escape.yaml:6:12: error: media path '../x.png' must stay inside" in result.output


def test_language_of_other_decks_is_und(runner, tmp_path: Path) -> None:
    col = factory.new_collection(tmp_path / "col")
    factory.add(col, "Basic", ["Was ist eine Kundenreise?", "Die Reise des Kunden durch alle Kontaktpunkte"])
    factory.add(col, "Basic", ["顧客体験とは", "お客様の体験"])
    package = factory.export(col, tmp_path / "de.apkg")
    _import(runner, package, tmp_path / "out")
    assert _decks(tmp_path / "out")["default"].language == "und"


@pytest.mark.parametrize("fmt", factory.FORMATS)
def test_every_format_keeps_every_card_and_review(fmt, tmp_path: Path) -> None:
    """Cards and revlog rows after import match the official anki import, in every package format."""
    for name, build in factory.BUILDERS.items():
        folder = tmp_path / name.replace(" ", "-")
        package = build(folder, fmt)
        result = import_package(package)
        anki = factory.package_counts(package, folder / "official")
        assert result.card_count == anki["cards"], name
        assert len(result.reviews) == anki["revlog"], name
        eases = sorted((int(r.reviewed_at.timestamp() * 1000), int(r.rating)) for r in result.reviews)
        assert [e for _, e in eases] == [ease for _, ease, _ in anki["eases"]], name
