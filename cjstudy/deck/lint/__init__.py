"""`cjstudy lint`: item-writing checks for deck authors (docs/lint.md lists every rule).

Validation (`deck/validate.py`) decides whether a deck can be loaded; linting judges whether its
cards make good test items. Lint only reads decks that validate; their errors are passed on.
"""

from cjstudy.deck.lint.run import Finding, lint_files

__all__ = ["Finding", "lint_files"]
