"""The wheel carries the bundled decks, so `cjstudy` works from any folder after `pip install .`."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_decks_dir_resolves_to_deck_files():
    from cjstudy.paths import bundled_decks_dir

    files = list(bundled_decks_dir().glob("*.yaml"))
    assert len(files) >= 8


@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None, reason="setuptools is needed to build a wheel")
def test_wheel_contains_every_deck(tmp_path: Path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("cjstudy", "decks"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(out.glob("cjstudy-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"cjstudy/decks/{p.name}" for p in (ROOT / "decks").glob("*.yaml")}
    assert expected and expected <= names
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cjstudy").rglob("*.py")}
    missing = modules - names
    assert not missing, f"add these packages to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
