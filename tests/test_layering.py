"""The folder tree is the architecture: imports only point down the layers of DESIGN.md."""

from __future__ import annotations

from pathlib import Path

import pytest

import layering

PACKAGE = Path(__file__).resolve().parent.parent / "cjstudy"


def test_the_code_keeps_its_layers():
    assert layering.violations(PACKAGE) == []


def test_every_package_has_a_layer_and_no_module_repeats_its_package_name():
    tops = sorted(p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
                  if (p.is_file() and p.suffix == ".py") or (p.is_dir() and (p / "__init__.py").exists()))
    assert set(tops) <= set(layering.LAYERS), set(tops) - set(layering.LAYERS)
    assert {p.stem for p in PACKAGE.glob("*.py")} == {"__init__", "__main__", "model", "errors", "paths"}
    for package in (p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        for module in package.glob("*.py"):
            assert not module.stem.startswith(package.name), f"{module}: drop the {package.name!r} prefix"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "cjstudy" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in {p.parent for p in (root / "cjstudy").rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root / "cjstudy"


GOOD = {
    "model.py": "from dataclasses import dataclass\n",
    "grading/text.py": "from cjstudy.model import Card\n",
    "grading/match.py": "from .text import normalize\n\ndef f():\n    from rapidfuzz import fuzz\n",
    "deck/cloze.py": "from cjstudy.grading.text import display\n",
    "memory/scheduler.py": "import fsrs\n",
    "ui/screen.py": "from rich.text import Text\nfrom cjstudy.grading import match\n",
    "cli/app.py": "import typer\nfrom cjstudy.ui import screen\n",
}


def test_a_well_layered_tree_passes(tmp_path):
    assert layering.violations(write_tree(tmp_path, GOOD)) == []


@pytest.mark.parametrize("name, text, message", [
    ("grading/choice.py", "from cjstudy.ui.screen import Text\n", "grading (layer 1) imports cjstudy.ui.screen (layer 3)"),
    ("grading/choice.py", "def f():\n    from ..ui import screen\n", "imports cjstudy.ui (layer 3)"),
    ("model.py", "import cjstudy.deck.cloze\n", "model (layer 0) imports cjstudy.deck.cloze"),
    ("study/session.py", "import fsrs\n", "only memory.scheduler may import fsrs"),
    ("memory/simulation.py", "from fsrs import Card\n", "only memory.scheduler may import fsrs"),
    ("grading/result.py", "from rich.text import Text\n", "only ui, cli may import rich"),
    ("exam/build.py", "import typer\n", "only cli may import typer"),
    ("grading/text.py", "from cjstudy.deck import cloze\n", "deck and grading import each other"),
    ("report/x.py", "from cjstudy.model import Card\n", "package 'report' has no layer"),
])
def test_a_wrong_import_is_reported_with_its_place(tmp_path, name, text, message):
    tree = write_tree(tmp_path, {**GOOD, name: text})
    found = layering.violations(tree)
    assert any(message in line for line in found), found
    assert all(line.startswith("cjstudy/") and line.split(":")[1].isdigit() for line in found)
