"""The parsed-deck cache: used when the file is unchanged, ignored when stale or damaged."""

from __future__ import annotations

import os
from pathlib import Path

from cjstudy.deck import read_deck_file

DECK = """\
deck: demo
title: Demo
language: en
cards:
  - id: a
    front: Q
    back: A
    reverse: true
  - id: b
    type: cloze
    text: "{{c1::x::hint}} and {{c2::y}}"
  - front: no id
    back: here
"""


def test_cache_hit_gives_the_same_deck_without_reading_yaml(tmp_path: Path, write_deck, monkeypatch):
    path = write_deck(DECK)
    cache = tmp_path / "cache"
    first = read_deck_file(path, cache_dir=cache)
    assert list(cache.glob("*.json"))
    import cjstudy.deck.loader as loader

    monkeypatch.setattr(loader, "parse_deck", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed")))
    second = read_deck_file(path, cache_dir=cache)
    assert second.deck == first.deck
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert second.deck.card("b", "c1").gaps[0].hint == "hint"


def test_changed_file_is_parsed_again(tmp_path: Path, write_deck):
    path = write_deck(DECK)
    cache = tmp_path / "cache"
    read_deck_file(path, cache_dir=cache)
    path.write_text(DECK.replace("back: A", "back: Changed answer"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert read_deck_file(path, cache_dir=cache).deck.card("a").shown_answer == "Changed answer"


def test_damaged_or_foreign_cache_entries_are_ignored(tmp_path: Path, write_deck):
    path = write_deck(DECK)
    cache = tmp_path / "cache"
    expected = read_deck_file(path, cache_dir=cache).deck
    entry = next(cache.glob("*.json"))
    for garbage in ("{not json", '{"key": 1}', '{"key": null, "deck": []}', "\x00\x01", ""):
        entry.write_text(garbage, encoding="utf-8")
        assert read_deck_file(path, cache_dir=cache).deck == expected


def test_unwritable_cache_dir_only_costs_speed(tmp_path: Path, write_deck):
    path = write_deck(DECK)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    assert read_deck_file(path, cache_dir=blocker / "cache").deck is not None


def test_every_bundled_deck_round_trips_through_the_cache_unchanged(tmp_path: Path):
    from cjstudy.paths import bundled_decks_dir

    cache = tmp_path / "cache"
    files = sorted(bundled_decks_dir().glob("*.yaml"))
    assert files
    for path in files:
        parsed = read_deck_file(path, True, cache)
        cached = read_deck_file(path, True, cache)
        assert cached.deck == parsed.deck, path
        assert [str(p) for p in cached.problems] == [str(p) for p in parsed.problems]
