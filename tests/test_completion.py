"""Shell completion offers deck ids, card addresses and tags, not file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjstudy.cli import app


def complete(runner, words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What bash completion would offer for the last word of `words`."""
    parts = words.split(" ")
    monkeypatch.setenv("_CJSTUDY_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(parts) - 1))
    result = runner.invoke(app, [], prog_name="cjstudy")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize("words", ["cjstudy study --deck touch", "cjstudy stats -d touch",
                                   "cjstudy show touch", "cjstudy plan --deck touch",
                                   "cjstudy export apkg --deck touch"])
def test_deck_ids_complete(runner, monkeypatch, words: str):
    assert complete(runner, words, monkeypatch) == ["touch-points"]


def test_every_deck_id_for_an_empty_word_and_user_decks_too(runner, monkeypatch, tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "mine.yaml").write_text("deck: my-own\ntitle: Mine\nlanguage: en\ncards:\n  - id: a\n"
                                      "    front: Q\n    back: A\n", encoding="utf-8")
    monkeypatch.setenv("CJSTUDY_DECKS", str(folder))
    offered = complete(runner, "cjstudy study --deck ", monkeypatch)
    assert "my-own" in offered and "touch-points" in offered and "service-blueprint" in offered
    assert not any("/" in word or word.endswith(".yaml") for word in offered)


def test_card_addresses_and_cards_of_a_deck_complete(runner, monkeypatch):
    offered = complete(runner, "cjstudy grade service-blueprint/blueprinting-maps@", monkeypatch)
    assert "service-blueprint/blueprinting-maps@c2" in offered
    assert complete(runner, "cjstudy grade service-b", monkeypatch) == ["service-blueprint/"]
    cards = complete(runner, "cjstudy show service-blueprint blueprint", monkeypatch)
    assert "blueprint-components" in cards and "blueprinting-maps@c2" in cards


def test_tags_complete(runner, monkeypatch):
    offered = complete(runner, "cjstudy study --tag ", monkeypatch)
    assert offered and all(not word.startswith("-") for word in offered)
    first = offered[0]
    assert first in complete(runner, f"cjstudy study --tag {first[:3]}", monkeypatch)


def test_exam_types_complete_one_kind_after_another(runner, monkeypatch):
    assert complete(runner, "cjstudy exam --types ch", monkeypatch) == ["choice"]
    offered = complete(runner, "cjstudy exam --types choice,", monkeypatch)
    assert "choice,recall" in offered and "choice,choice" not in offered
    assert complete(runner, "cjstudy exam --deck touch", monkeypatch) == ["touch-points"]


def test_new_deck_ids_are_not_completed_from_existing_decks(runner, monkeypatch):
    assert complete(runner, "cjstudy new touch", monkeypatch) == []
