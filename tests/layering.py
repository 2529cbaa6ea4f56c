"""The layer rules of DESIGN.md, read from the code's own imports (used by test_layering.py).

A module may import its own package and packages of lower layers; peers on one layer may
import each other only as long as no two packages need each other (no cycles). Third-party
packages with one owner are imported only there.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LAYERS: dict[str, int] = {
    "model": 0, "errors": 0, "paths": 0,
    "deck": 1, "grading": 1, "memory": 1, "store": 1,
    "study": 2, "exam": 2, "transfer": 2,
    "ui": 3,
    "cli": 4,
    "__init__": 5, "__main__": 5,
}

# Third-party (and stdlib) packages only some places may import: prefix of a module path -> owners.
OWNERS: dict[str, tuple[str, ...]] = {
    "fsrs": ("memory.scheduler",),
    "fsrs_rs_python": ("memory.optimizer",),
    "typer": ("cli",),
    "click": ("cli",),
    "rich": ("ui", "cli"),
    "rapidfuzz": ("grading",),
    "yaml": ("deck", "transfer"),
    "sqlite3": ("store", "transfer"),  # transfer reads and writes Anki's own SQLite files
    "zstandard": ("transfer",),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, relative to the package root ("grading.match")
    target: str  # what it imports, absolute ("cjstudy.model", "rich.table")
    line: int


def package_of(module: str) -> str:
    return module.split(".")[0]


def imports_in(root: Path, package: str = "cjstudy") -> Iterator[Import]:
    """Every import statement in the tree under `root`, nested ones included."""
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package_init = parts[-1] == "__init__" and len(parts) > 1
        if is_package_init:
            parts = parts[:-1]
        module = ".".join(parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(module, alias.name, node.lineno)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = parts if is_package_init else parts[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join([package, *base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if target == package:  # `from cjstudy import x`: x may be a module
                    for alias in node.names:
                        yield Import(module, f"{package}.{alias.name}", node.lineno)
                else:
                    yield Import(module, target, node.lineno)


def violations(root: Path, package: str = "cjstudy") -> list[str]:
    """`path:line: why` for each import that breaks the rules; empty when the layering holds."""
    found: list[str] = []
    edges: dict[tuple[str, str], Import] = {}
    for imp in imports_in(root, package):
        where = f"{package}/{imp.module.replace('.', '/')}:{imp.line}"
        own = package_of(imp.module)
        if imp.target == package or imp.target.startswith(package + "."):
            inner = imp.target[len(package) + 1:]
            if not inner or inner == "__version__":
                continue
            other = package_of(inner)
            if other == own or other not in LAYERS or own not in LAYERS:
                if own not in LAYERS:
                    found.append(f"{where}: package {own!r} has no layer in DESIGN.md's table")
                continue
            if LAYERS[other] > LAYERS[own]:
                found.append(f"{where}: {own} (layer {LAYERS[own]}) imports {imp.target} (layer {LAYERS[other]}): "
                             "imports only point down")
            elif LAYERS[other] == LAYERS[own] and LAYERS[own] > 0:
                edges.setdefault((own, other), imp)
            continue
        top = imp.target.split(".")[0]
        owners = OWNERS.get(top)
        if owners and not any(imp.module == o or imp.module.startswith(o + ".") or own == o for o in owners):
            found.append(f"{where}: only {', '.join(owners)} may import {top}")
    for (a, b), imp in sorted(edges.items()):
        if (b, a) in edges:
            found.append(f"{package}/{imp.module.replace('.', '/')}:{imp.line}: {a} and {b} import each other "
                         "(peers on one layer may depend one way only)")
    return found
