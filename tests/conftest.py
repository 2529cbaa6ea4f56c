"""Shared fixtures: every test runs with its own data dir and no user deck folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cjstudy-home"
    monkeypatch.setenv("CJSTUDY_HOME", str(home))
    monkeypatch.delenv("CJSTUDY_DECKS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_deck(tmp_path: Path):
    """Write a deck file into a fresh folder and return its path."""
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)

    def _write(text: str, name: str = "deck.yaml") -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
