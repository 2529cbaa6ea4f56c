"""`cjstudy study` through the CLI: the no-terminal exit, options, and a scripted in-process run."""

from __future__ import annotations

import os

import pytest

from cjstudy.cli import app, study_commands
from cjstudy.model import Rating
from cjstudy.paths import store_path
from cjstudy.store import open_store
from cjstudy.ui.keys import ScriptedKeys

DECK = """\
deck: cli-test
title: CLI test
language: en
tags: [basics]
cards:
  - id: a
    front: Front A
    back: Back A
  - id: b
    front: Front B
    back: Back B
    tags: [special]
  - id: c
    front: Front C
    back: Back C
"""


@pytest.fixture
def deck_dir(write_deck):
    return str(write_deck(DECK, "cli-test.yaml").parent)


@pytest.fixture
def keys(monkeypatch):
    """Pretend stdin is a terminal and feed the loop scripted keys."""
    script = ScriptedKeys([])
    monkeypatch.setattr(study_commands, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(study_commands, "key_source", lambda: script)
    return script


def reviews():
    with open_store(store_path(os.environ)) as store:
        return [(r.key.address, r.rating) for r in store.reviews()]


def test_without_a_terminal_it_exits_2_with_one_clear_line(runner, deck_dir):
    result = runner.invoke(app, ["--decks", deck_dir, "study"], input="3\n")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith("error: `cjstudy study` reads single key presses and needs a terminal")
    assert "Traceback" not in result.output
    assert not store_path(os.environ).exists()


def test_help_explains_keys_and_options(runner):
    result = runner.invoke(app, ["study", "--help"])
    assert result.exit_code == 0
    for text in ("--deck", "--tag", "--new", "--limit", "--type", "1-4 rate it", "Examples"):
        assert text in result.output


def test_stats_help(runner):
    result = runner.invoke(app, ["stats", "--help"])
    assert result.exit_code == 0 and "--json" in result.output


@pytest.mark.parametrize("args", [["--new", "-1"], ["--limit", "0"], ["--new-per-day", "x"]])
def test_bad_numbers_are_usage_errors(runner, deck_dir, keys, args):
    result = runner.invoke(app, ["--decks", deck_dir, "study", *args])
    assert result.exit_code == 2


def test_scripted_run_saves_every_rating(runner, deck_dir, keys):
    keys.entries += ["space", "4", "space", "2", "q"]
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--deck", "cli-test"])
    assert result.exit_code == 0, result.output
    assert reviews() == [("cli-test/a", Rating.EASY), ("cli-test/b", Rating.HARD)]
    assert "session summary" in result.output and "CLI test" in result.output


def test_limit_and_tag_options_reach_the_session(runner, deck_dir, keys):
    keys.entries += ["space", "4"]
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--tag", "special", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert reviews() == [("cli-test/b", Rating.EASY)]
    assert "Nothing more is due now" in result.output


def test_new_per_day_is_saved_and_used_next_time(runner, deck_dir, keys):
    keys.entries += ["space", "4"]
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--new-per-day", "1"])
    assert result.exit_code == 0, result.output
    with open_store(store_path(os.environ)) as store:
        assert store.get_setting("new_per_day") == 1
    result = runner.invoke(app, ["--decks", deck_dir, "study"])  # no keys needed: nothing left today
    assert result.exit_code == 0, result.output
    assert "Nothing is due now." in result.output
    assert len(reviews()) == 1


def test_new_option_overrides_for_one_session(runner, deck_dir, keys):
    keys.entries += ["space", "4", "space", "4"]
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--new", "2"])
    assert result.exit_code == 0, result.output
    assert len(reviews()) == 2


def test_unknown_deck_and_tag_are_one_line_errors(runner, deck_dir, keys):
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--deck", "cli-tset"])
    assert result.exit_code == 2 and "no deck 'cli-tset'" in result.output
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--tag", "specail"])
    assert result.exit_code == 2
    assert "no card has the tag 'specail' (did you mean 'special'?)" in result.output
    assert "Traceback" not in result.output


def test_typed_flag_reads_lines(runner, deck_dir, keys):
    keys.entries += ["Back A", "enter", "eof"]
    result = runner.invoke(app, ["--decks", deck_dir, "study", "--type", "--deck", "cli-test"])
    assert result.exit_code == 0, result.output
    assert "✓ right" in result.output
    assert reviews()[0][0] == "cli-test/a"


def test_damaged_saved_setting_is_a_clear_error(runner, deck_dir, keys):
    with open_store(store_path(os.environ)) as store:
        store.set_setting("new_per_day", "lots")
    result = runner.invoke(app, ["--decks", deck_dir, "study"])
    assert result.exit_code == 2 and "--new-per-day" in result.output
