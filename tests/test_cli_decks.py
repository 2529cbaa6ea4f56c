"""The instructor's commands through the public CLI: decks, validate, show, help, version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cjstudy import __version__
from cjstudy.cli import app

GOOD = """\
deck: demo
title: Demo deck
language: en
source: test
cards:
  - id: a
    front: What is SDL?
    back: Service-dominant logic
    reverse: true
  - id: b
    type: cloze
    text: "{{c1::Pre-purchase}}, {{c2::purchase}} and {{c3::post-purchase}}."
"""


def test_help_lists_commands_and_every_command_has_help(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    names = [c.name for c in app.registered_commands]
    for name in names:
        assert name in result.output
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Example" in sub.output, f"{name} --help has no example"


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_decks_json_lists_bundled_and_extra_decks(runner, write_deck):
    path = write_deck(GOOD)
    result = runner.invoke(app, ["decks", "--json", "--decks", str(path.parent)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    demo = next(r for r in rows if r["id"] == "demo")
    assert demo == {**demo, "title": "Demo deck", "language": "en", "path": str(path), "notes": 2, "cards": 5}
    assert any(r["bundled"] for r in rows) or len(rows) == 1


def test_decks_env_var_and_global_option(runner, write_deck, monkeypatch):
    path = write_deck(GOOD)
    monkeypatch.setenv("CJSTUDY_DECKS", str(path.parent))
    assert "demo" in [r["id"] for r in json.loads(runner.invoke(app, ["decks", "--json"]).output)]
    monkeypatch.delenv("CJSTUDY_DECKS")
    result = runner.invoke(app, ["--decks", str(path.parent), "decks", "--json"])
    assert "demo" in [r["id"] for r in json.loads(result.output)]


def test_decks_table(runner, write_deck):
    path = write_deck(GOOD)
    result = runner.invoke(app, ["decks", "--decks", str(path.parent)])
    assert result.exit_code == 0
    assert "demo" in result.output and "Demo deck" in result.output


def test_broken_user_deck_is_skipped_by_commands_and_validate_gives_positions(runner, write_deck):
    path = write_deck(GOOD.replace("front: What", "frnt: What"))
    result = runner.invoke(app, ["decks", "--decks", str(path.parent)])
    assert result.exit_code == 0
    assert f"warning: {path} has errors and was skipped; `cjstudy validate {path}` shows why" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:7:5: error: unknown card key 'frnt' (did you mean 'front'?)" in result.output


def test_missing_deck_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["decks", "--decks", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "deck folder does not exist" in result.output


def test_validate_good_file_exits_zero(runner, write_deck):
    path = write_deck(GOOD)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_validate_reports_errors_across_files_and_exits_one(runner, write_deck):
    write_deck(GOOD)
    bad = write_deck(GOOD.replace("deck: demo", "deck: demo2").replace("type: cloze", "type: clozed"), "bad.yaml")
    dup = write_deck(GOOD, "dup.yaml")
    result = runner.invoke(app, ["validate", str(bad.parent)])
    assert result.exit_code == 1
    assert f"{bad}:11:11: error: unknown card type 'clozed'" in result.output
    assert f"{dup}:1:7: error: deck id 'demo' is already used by" in result.output


def test_validate_strict_turns_warnings_into_failure(runner, write_deck):
    path = write_deck(GOOD.replace("  - id: a\n    front", "  - front"))
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--strict", str(path)])
    assert result.exit_code == 1
    assert "warning: card has no 'id'" in result.output


def test_validate_hostile_files_never_traceback(runner, write_deck, tmp_path):
    files = [
        write_deck("", "empty.yaml"),
        write_deck("a: &x 1\nb: *x\n", "alias.yaml"),
        write_deck("[" * 5000, "deep.yaml"),
    ]
    binary = tmp_path / "decks" / "binary.yaml"
    binary.write_bytes(bytes(range(256)))
    result = runner.invoke(app, ["validate", *map(str, files), str(binary)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.count(": error: ") == 4


def test_validate_missing_path(runner, tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_validate_bundled_decks_pass_without_warnings(runner):
    result = runner.invoke(app, ["validate", "--strict"])
    assert result.exit_code == 0, result.output


def test_show_deck_and_card(runner, write_deck):
    path = write_deck(GOOD)
    result = runner.invoke(app, ["show", "demo", "--decks", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert "demo/a@reverse" in result.output and "demo/b@c3" in result.output
    one = runner.invoke(app, ["show", "demo", "b@c2", "--decks", str(path.parent)])
    assert "Pre-purchase, […] and post-purchase." in one.output
    assert "[purchase]" in one.output
    assert "demo/b@c1" not in one.output


@pytest.mark.parametrize("args,message", [
    (["show", "demi"], "no deck 'demi' (did you mean 'demo'?)"),
    (["show", "demo", "x"], "no card 'x' in deck 'demo'"),
    (["show", "demo", "a@c9"], "card 'demo/a' has no variant 'c9'"),
])
def test_show_unknown_things(runner, write_deck, args, message):
    path = write_deck(GOOD)
    result = runner.invoke(app, [*args, "--decks", str(path.parent)])
    assert result.exit_code == 1
    assert message in result.output


def test_usage_errors_are_one_line_with_exit_two():
    import subprocess
    import sys

    for args, expected in ((["exam", "-n", "x"], "error: cjstudy exam: Invalid value for '-n'"),
                           (["stduy"], "error: cjstudy: No such command 'stduy' (did you mean 'study'?)"),
                           (["validate", "--strcit"], "error: cjstudy validate: No such option: --strcit")):
        done = subprocess.run([sys.executable, "-m", "cjstudy", *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(expected), done.stderr
