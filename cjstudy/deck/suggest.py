""""Did you mean …?" for misspelt keys, card types, deck ids and options."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or nothing when no choice is close."""
    candidates = list(choices)
    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[match[0]]}'?)" if match else ""
