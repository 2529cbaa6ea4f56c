"""The instructor's paths through the CLI: validate's default, broken user decks, ids, file modes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from cjstudy.cli import app

GOOD = """\
deck: good-deck
title: Good deck
language: en
cards:
  - id: a
    front: What is SDL?
    back: Service-dominant logic
"""

BROKEN = """\
deck: broken-deck
title: Broken deck
language: en
cards:
  - id: a
    front: What is SDL?
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


def test_validate_without_a_path_checks_the_current_folders_deck_files(runner, folder: Path):
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "ci.yml").write_text("jobs: {}\n", encoding="utf-8")  # not a deck: left alone
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert "broken.yaml:5:5: error: basic card is missing required key 'back'" in result.output
    assert "ci.yml" not in result.output
    assert "checked the deck files of the current folder: 1 file, 0 decks" in result.output


def test_validate_without_a_path_or_deck_files_here_checks_the_loaded_decks(runner, folder: Path):
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "checked the loaded decks (bundled)" in result.output
    assert "0 errors" in result.output


def test_a_broken_user_deck_is_skipped_with_one_warning_by_other_commands(runner, tmp_path: Path, monkeypatch):
    decks = tmp_path / "mine"
    decks.mkdir()
    (decks / "good.yaml").write_text(GOOD, encoding="utf-8")
    (decks / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("CJSTUDY_DECKS", str(decks))
    for args in (["decks", "--json"], ["stats", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert warnings == [f"warning: {decks / 'broken.yaml'} has errors and was skipped; "
                            f"`cjstudy validate {decks / 'broken.yaml'}` shows why"]
        assert ":5:5:" not in result.stderr
    ids = [d["id"] for d in json.loads(runner.invoke(app, ["decks", "--json"]).stdout)]
    assert "good-deck" in ids and "broken-deck" not in ids and "touch-points" in ids
    # validate itself still fails with every problem
    result = runner.invoke(app, ["validate", str(decks)])
    assert result.exit_code == 1 and "broken.yaml:5:5: error" in result.output


def test_a_duplicate_id_after_an_invalid_card_is_reported(runner, tmp_path: Path):
    path = tmp_path / "dup.yaml"
    path.write_text(BROKEN + "  - id: a\n    front: Again?\n    back: Yes\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:7:9: error: duplicate card id 'a' (first used on line 5)" in result.output


@pytest.mark.parametrize("args, name", [
    (["new", "my-topic", "-o", "{dir}/my-topic.yaml"], "my-topic.yaml"),
    (["schema", "-o", "{dir}/schema.json"], "schema.json"),
    (["export", "apkg", "--deck", "touch-points", "-o", "{dir}/tp.apkg"], "tp.apkg"),
    (["export", "reviews", "-o", "{dir}/reviews.csv"], "reviews.csv"),
])
@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_created_files_follow_the_umask(runner, tmp_path: Path, args: list[str], name: str, mask: int):
    out = tmp_path / "out"
    out.mkdir()
    old = os.umask(mask)
    try:
        result = runner.invoke(app, [a.format(dir=out) for a in args])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~mask


LONG = """\
deck: a-rather-long-imported-deck-identifier
title: A deck title that is much too long to fit on one line of a narrow terminal window
language: nl
source: Somewhere in a course reader, chapter seven
cards:
  - id: a
    front: Q
    back: A
"""


def _bundled_card_count(deck_id: str) -> int:
    import json

    from typer.testing import CliRunner

    listed = json.loads(CliRunner().invoke(app, ["decks", "--json"]).stdout)
    return next(d["cards"] for d in listed if d["id"] == deck_id)


@pytest.mark.parametrize("columns", [60, 80])
def test_decks_table_keeps_one_line_per_deck_with_its_title(runner, tmp_path: Path, monkeypatch, columns: int):
    decks = tmp_path / "long"
    decks.mkdir()
    (decks / "long.yaml").write_text(LONG, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", str(columns))
    result = runner.invoke(app, ["decks", "--decks", str(decks)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line.rstrip()) <= columns for line in lines)
    header = next(line for line in lines if line.startswith("id "))
    assert header.split() == ["id", "title", "lang" if columns < 70 else "language", "cards", "due"]
    assert "source" not in result.output and "course reader" not in result.output
    row = next(line for line in lines if line.startswith("touch-points"))
    cards = _bundled_card_count("touch-points")
    assert "Touch points" in row and row.split()[-2:] == [str(cards), "0"]  # one line: id, title, …, cards, due
    # a long title is cut, not wrapped: its row holds the language and the counts
    row = next(line for line in lines if "A deck title" in line)
    assert "…" in row and row.split()[-3:] == ["nl", "1", "0"]
    assert sum("A deck title" in line for line in lines) == 1


def test_decks_due_counts_cards_due_now_and_show_names_the_source(runner, tmp_path: Path):
    from datetime import datetime, timedelta, timezone

    from cjstudy.model import CardKey, CardState, Rating, Review
    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    now = datetime.now(timezone.utc)
    with open_store(store_path(os.environ), now=now) as store:
        store.sync_deck("touch-points", [CardKey("touch-points", "x")], now)
        after = CardState("review", None, 3.0, 5.0, now - timedelta(hours=1), now - timedelta(days=3), 1, 0)
        store.record_review(Review(CardKey("touch-points", "x"), now - timedelta(days=3), Rating.GOOD, 1000,
                                   CardState(), after))
    rows = {d["id"]: d for d in json.loads(runner.invoke(app, ["decks", "--json"]).stdout)}
    assert rows["touch-points"]["due"] == 1 and rows["service-blueprint"]["due"] == 0
    decks = tmp_path / "long"
    decks.mkdir()
    (decks / "long.yaml").write_text(LONG, encoding="utf-8")
    shown = runner.invoke(app, ["show", "a-rather-long-imported-deck-identifier", "--decks", str(decks)])
    assert "source: Somewhere in a course reader, chapter seven" in shown.output.replace("\n", " ")


def test_one_deck_folder_named_twice_is_read_once(runner, tmp_path: Path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "mine.yaml").write_text("deck: my-own\ntitle: Mine\nlanguage: en\ncards:\n  - id: a\n"
                                      "    front: Q\n    back: A\n", encoding="utf-8")
    monkeypatch.setenv("CJSTUDY_DECKS", str(folder))
    (tmp_path / "link").symlink_to(folder)
    from cjstudy.paths import bundled_decks_dir

    result = runner.invoke(app, ["--decks", str(folder), "decks", "--decks", str(tmp_path / "link"),
                                 "--decks", str(bundled_decks_dir())])
    assert result.exit_code == 0, result.output
    assert "already used" not in result.output and result.output.count("my-own") == 1
