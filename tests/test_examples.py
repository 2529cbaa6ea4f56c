"""Every example in every `--help`, the README and docs/ runs as pasted.

Examples are collected from the help pages (the lines under `Example:`/`Examples:`), from
fenced shell blocks in README.md and docs/*.md (lines that start with `cjstudy `) and from
inline code spans there that are complete commands (a span that only names a command, like
`cjstudy grade`, is a reference: its `--help` must work). Each runs in a fresh folder where
the files it names exist (an Anki package, a review log, a glossary, a backup), with dates
moved to a month from today, so an example that only worked on the day it was written fails.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cjstudy.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# Changes the user's shell set-up or needs to know the shell: not run here.
NOT_RUN = {"cjstudy --install-completion", "cjstudy --show-completion"}
PLACEHOLDER = re.compile(r"[\[\]|…]|\.\.\.|(^|\s)-?-?[A-Z][A-Z0-9.-]*(\s|$)|<|>")

SMALL_DECK = """\
deck: my-topic
title: My topic
language: en
cards:
  - id: sdl
    front: What does SDL stand for?
    back: Service-dominant logic
"""


def _help_pages(runner: CliRunner) -> list[tuple[list[str], str]]:
    pages = []

    def walk(path: list[str]) -> None:
        result = runner.invoke(app, [*path, "--help"], terminal_width=80)
        assert result.exit_code == 0, (path, result.output)
        pages.append((path, result.output))
        commands = result.output.split("\nCommands:\n", 1)
        if len(commands) == 2:
            for line in commands[1].splitlines():
                if re.match(r"^  [a-z]", line):
                    walk([*path, line.split()[0]])

    walk([])
    return pages


def help_examples() -> list[str]:
    found = []
    for _path, text in _help_pages(CliRunner()):
        block = re.search(r"^  Examples?:\n\n((?:    .*\n)+)", text, re.M)
        if block:
            found += [line.strip() for line in block.group(1).splitlines() if line.strip()]
    return found


def doc_examples() -> list[tuple[str, str]]:
    """(where, command) pairs from the README and docs/."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|sh|shell|console)?\n(.*?)```", text, re.S):
            for line in block.splitlines():
                line = re.sub(r"\s+#.*$", "", line.strip().removeprefix("$ "))
                if line.startswith("cjstudy "):
                    found.append((path.name, line))
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        for span in re.findall(r"`(cjstudy [^`]+)`", prose):
            span = span.replace("\\|", "|")
            if not PLACEHOLDER.search(span.removeprefix("cjstudy")):
                found.append((path.name, span))
    return found


def _all_examples() -> list[str]:
    seen = dict.fromkeys(help_examples())
    seen.update(dict.fromkeys(command for _where, command in doc_examples()))
    return [example for example in seen if example not in NOT_RUN]


def _is_reference(words: list[str]) -> bool:
    """`cjstudy grade`, `cjstudy export apkg`: naming a command rather than running it."""
    return len(words) <= 3 and all(re.fullmatch(r"[a-z]+", w) for w in words[1:]) and words[1:] not in (
        ["study"], ["stats"], ["decks"], ["validate"], ["schema"], ["optimize"], ["simulate"], ["backup"],
        ["exam"])


def _prepare(words: list[str], home: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> None:
    """Create the files an example names, as a user following the docs would have them."""
    (home / "my-decks").mkdir(exist_ok=True)
    shutil.copytree(ROOT / "decks", home / "decks")
    (home / "my-folder").mkdir()
    (home / "my-folder" / "my-topic.yaml").write_text(SMALL_DECK, encoding="utf-8")
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        path = Path(word).expanduser()
        if path.exists() or word.startswith("-") or "." not in path.name:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".apkg", ".colpkg") and before != "-o":
            made = runner.invoke(app, ["export", "apkg", "--deck", "touch-points", "-o", str(path)])
            assert made.exit_code == 0, made.output
        elif path.suffix == ".csv" and before == "--reviews":
            shutil.copy(ROOT / "tests" / "data" / "reviews_synthetic.csv", path)
        elif path.suffix in (".csv", ".tsv") and "import" in words:
            sep = "\t" if path.suffix == ".tsv" else ","
            path.write_text(f"front{sep}back\nklant{sep}customer\nreis{sep}journey\n", encoding="utf-8")
        elif path.suffix in (".anki2", ".anki21") and "import" in words:  # a raw Anki collection file
            import anki_factory

            col = anki_factory.new_collection(path.parent)
            anki_factory.add(col, "Basic", ["klant", "customer"])
            col.close()
            if path.name != "collection.anki2":
                (path.parent / "collection.anki2").rename(path)
        elif path.suffix == ".sqlite3" and "restore" in words:
            from cjstudy.store import Store

            Store.open(path).close()


NEEDS_PROGRESS = ("optimize", "backup")  # commands that work on a store with history


def _seed_progress() -> None:
    """A store with a few months of history (the synthetic review log), as a real student has."""
    import csv
    import os
    from collections import defaultdict
    from datetime import datetime

    from cjstudy.model import CardKey, CardState, Rating, Review
    from cjstudy.paths import store_path
    from cjstudy.store import Store

    rows: dict[str, list[tuple[datetime, int, int]]] = defaultdict(list)
    with open(ROOT / "tests" / "data" / "reviews_synthetic.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["card_id"]].append((datetime.fromisoformat(row["review_time"]), int(row["review_rating"]),
                                         int(row["review_duration"])))
    items = []
    for card_id, history in rows.items():
        state, reviews = CardState(), []
        for when, rating, duration in history:
            after = CardState("review", None, 2.0, 5.0, when + timedelta(days=2), when, state.reps + 1, 0)
            reviews.append(Review(CardKey("synthetic", card_id), when, Rating(rating), duration, state, after,
                                  "import"))
            state = after
        items.append((CardKey("synthetic", card_id), reviews, state))
    with Store.open(store_path(os.environ)) as store:
        store.import_histories(items)


def _jq_check(expression: str, output: str) -> None:
    """The few `| jq EXPR` forms the docs use: the JSON has what the expression reads."""
    data = json.loads(output)
    for part in re.findall(r"\.(\[\]|[a-z_]+)", expression):
        if part == "[]":
            assert isinstance(data, list) and data, expression
            data = data[0]
        else:
            assert isinstance(data, dict) and part in data, (expression, list(data)[:10])
            data = data[part]


@pytest.mark.parametrize("example", _all_examples())
def test_example_runs_as_pasted(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from cjstudy.cli import study_commands
    from cjstudy.ui.keys import EOF, ScriptedKeys

    runner = CliRunner()
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    example = DATE.sub((date.today() + timedelta(days=30)).isoformat(), example)
    stdin = None
    if " | cjstudy " in example:  # printf 'a\nt\n' | cjstudy exam …
        feeder, example = example.split(" | cjstudy ", 1)
        stdin = shlex.split(feeder)[1].encode().decode("unicode_escape")
        example = "cjstudy " + example
    example, _, jq = example.partition(" | jq ")
    words = shlex.split(example)
    assert words[0] == "cjstudy"
    if _is_reference(words):
        words = [*words, "--help"]
    _prepare(words, home, monkeypatch, runner)
    if words[1] in NEEDS_PROGRESS and "--reviews" not in words:
        _seed_progress()
    # `study` needs a terminal: give it one that quits at once (the session still starts).
    monkeypatch.setattr(study_commands, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(study_commands, "key_source", lambda: ScriptedKeys(["q", EOF, "q"]))
    result = runner.invoke(app, [str(Path(w).expanduser()) if w.startswith("~") else w for w in words[1:]],
                           input=stdin)
    assert result.exit_code == 0, f"{example!r} exited {result.exit_code}:\n{result.output}"
    assert "Traceback" not in result.output
    if jq:
        _jq_check(jq, result.stdout)


def test_examples_were_found_everywhere():
    helps = help_examples()
    docs = doc_examples()
    assert len(helps) >= 20 and any("plan --exam" in e for e in helps)
    assert {where for where, _ in docs} >= {"README.md", "interop.md"}
