"""Error types: every failure a user can cause is one of these, so the CLI can print one line."""

from __future__ import annotations

from dataclasses import dataclass


class CjstudyError(Exception):
    """Base for errors the CLI reports as a single line with a non-zero exit code."""

    exit_code: int = 1


@dataclass(frozen=True)
class Problem:
    """One finding of the deck validator, with its position in the file."""

    path: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class DeckError(CjstudyError):
    """A deck could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "invalid deck")


class UnknownCardError(CjstudyError):
    """An address (deck/card@variant) names nothing that is loaded."""


class StoreError(CjstudyError):
    """The progress store cannot be opened or written; the message names the path."""


class UsageError(CjstudyError):
    """Bad option values or input that the CLI cannot act on."""

    exit_code = 2


class TransferError(CjstudyError):
    """An import or export file is unusable; nothing has been written."""
