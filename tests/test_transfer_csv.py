"""CSV/TSV decks: delimiters, optional header, tags, cloze rows, stable ids, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.deck import read_deck_file
from cjstudy.errors import TransferError
from cjstudy.transfer.csv_import import import_csv


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("name, text, delimiter", [
    ("comma.csv", "front,back,tags\nklantreis,de reis van een klant,nl reis\nNPS,\"Net Promoter Score, a loyalty metric\",\n", ","),
    ("semi.csv", "Vraag;Antwoord\nklantreis;de reis van een klant\nNPS;Net Promoter Score, a loyalty metric\n", ";"),
    ("tabs.tsv", "klantreis\tde reis van een klant\nNPS\tNet Promoter Score, a loyalty metric\n", "\t"),
    ("tabs.txt", "klantreis\tde reis van een klant\tnl\nNPS\tNet Promoter Score, a loyalty metric\n", "\t"),
])
def test_delimiter_and_header_detection(tmp_path: Path, name: str, text: str, delimiter: str) -> None:
    result = import_csv(_write(tmp_path, name, text))
    assert result.delimiter == delimiter
    assert result.had_header == text.lower().startswith(("front", "vraag"))
    cards = result.deck.cards
    assert [c["front"] for c in cards] == ["klantreis", "NPS"]
    assert cards[1]["back"] == "Net Promoter Score, a loyalty metric"


def test_cli_import_writes_a_deck_that_validates(runner, tmp_path: Path) -> None:
    source = _write(tmp_path, "Begrippen lijst.csv",
                    "front,back,tags\n"
                    "Wat is een <b>klantreis</b>?,De reis van een klant — café,nl reis::fase\n"
                    "\"Meer\nregels\",\"een<br>twee\",\n"
                    "Een {{c1::blueprint}} toont {{c2::fysiek bewijs}},Bitner,\n")
    out = tmp_path / "decks"
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "imported 3 notes (4 cards)" in result.output
    written = out / "begrippen-lijst.yaml"
    loaded = read_deck_file(written)
    assert [p for p in loaded.problems] == []
    deck = loaded.deck
    assert deck.id == "begrippen-lijst" and deck.title == "Begrippen lijst" and deck.language == "nl"
    notes = deck.notes
    assert notes[0].front == "Wat is een klantreis?" and notes[0].back == "De reis van een klant — café"
    assert notes[0].tags == ("nl", "reis/fase")
    assert notes[1].front == "Meer\nregels" and notes[1].back == "een\ntwee"
    assert notes[2].type == "cloze" and notes[2].explanation == "Bitner"
    validate = runner.invoke(app, ["validate", "--strict", str(written)])
    assert validate.exit_code == 0, validate.output


def test_reimport_keeps_ids_of_unchanged_cards(tmp_path: Path) -> None:
    first = import_csv(_write(tmp_path, "a.csv", "one,1\ntwo,2\n")).deck.cards
    second = import_csv(_write(tmp_path, "a.csv", "zero,0\none,1 (edited)\ntwo,2\n")).deck.cards
    ids_first = {c["front"]: c["id"] for c in first}
    ids_second = {c["front"]: c["id"] for c in second}
    assert ids_first["one"] == ids_second["one"] and ids_first["two"] == ids_second["two"]
    assert len(set(ids_second.values())) == 3


def test_duplicate_fronts_get_distinct_ids(tmp_path: Path) -> None:
    cards = import_csv(_write(tmp_path, "d.csv", "same,a\nsame,b\n")).deck.cards
    assert cards[0]["id"] != cards[1]["id"]


def test_options_set_deck_id_title_and_language(runner, tmp_path: Path) -> None:
    source = _write(tmp_path, "x.csv", "the customer,de klant\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(source), "--out", str(out), "--deck", "woorden",
                                 "--title", "Woorden", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    deck = read_deck_file(out / "woorden.yaml").deck
    assert (deck.id, deck.title, deck.language) == ("woorden", "Woorden", "nl")


def test_windows_1252_is_read_with_a_warning(runner, tmp_path: Path) -> None:
    source = _write(tmp_path, "w.csv", "café;naïef\n", encoding="cp1252")
    result = runner.invoke(app, ["import", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.output
    assert read_deck_file(tmp_path / "out" / "w.yaml").deck.notes[0].front == "café"


@pytest.mark.parametrize("text, message", [
    ("a,b\nc,d,e,f\n", "w.csv:2: expected 2 or 3 columns"),
    ("a,b\n,d\n", "w.csv:2: the front (first column) is empty"),
    ("a,b\nc,\n", "w.csv:2: the back (second column) is empty"),
    ("front,back\n", "no cards found"),
    ("a,b\n{{c1::}},x\n", "w.csv:2: cloze gap c1 has an empty answer"),
])
def test_bad_rows_are_reported_with_their_line(runner, tmp_path: Path, text: str, message: str) -> None:
    source = _write(tmp_path, "w.csv", text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"a,b\x00\x00\n")
    with pytest.raises(TransferError, match="not a text file"):
        import_csv(path)


def test_bad_options(runner, tmp_path: Path) -> None:
    source = _write(tmp_path, "x.csv", "a,b\n")
    bad_lang = runner.invoke(app, ["import", str(source), "--out", str(tmp_path / "o"), "--lang", "de"])
    assert bad_lang.exit_code == 2 and "--lang must be en, nl or und" in bad_lang.output
    bad_id = runner.invoke(app, ["import", str(source), "--out", str(tmp_path / "o"), "--deck", "Not Kebab"])
    assert bad_id.exit_code == 2 and "kebab-case" in bad_id.output
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_import_never_replaces_an_edited_deck_without_force(runner, tmp_path):
    from cjstudy.cli import app

    source = tmp_path / "glossary.csv"
    source.write_text("front,back\nSDL,Service-dominant logic\nCX,Customer experience\n", encoding="utf-8")
    out = tmp_path / "decks-out"
    first = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert first.exit_code == 0, first.output
    deck_file = next(out.glob("*.yaml"))
    again = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert again.exit_code == 0, again.output  # identical content: a repeated import is fine
    edited = deck_file.read_text(encoding="utf-8").replace("Customer experience", "Customer experience (edited)")
    deck_file.write_text(edited, encoding="utf-8")
    refused = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert refused.exit_code == 1
    assert "already exists with other content" in refused.output and "--force" in refused.output
    assert deck_file.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in out.iterdir()) == [deck_file.name]  # no staging folder left behind
    forced = runner.invoke(app, ["import", str(source), "--out", str(out), "--force"])
    assert forced.exit_code == 0
    assert "(edited)" not in deck_file.read_text(encoding="utf-8")


def test_a_csv_import_never_writes_a_deck_id_a_bundled_deck_has(runner, tmp_path):
    from cjstudy.cli import app

    source = tmp_path / "touch-points.csv"
    source.write_text("front,back\nklant,customer\n", encoding="utf-8")
    out = tmp_path / "out"
    for args in (["import", str(source), "--out", str(out)],
                 ["import", str(source), "--out", str(out), "--deck", "service-blueprint"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "bundled deck" in result.output and "--deck" in result.output
    assert not out.exists() or not list(out.iterdir())


def test_markup_the_html_parser_chokes_on_is_read_as_text(runner, tmp_path):
    from cjstudy.cli import app

    source = tmp_path / "odd.csv"
    source.write_text('front,back\n"<![ x",b\n"1 < 2 <b>bold</b>",c\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "odd.yaml").read_text(encoding="utf-8")
    assert "<![ x" in text and "1 < 2 bold" in text
