"""Turning the grade of a typed answer into a suggested rating (`cjstudy study --type`).

The issue fixes the ladder: wrong or partial → Again; right with a typo, a hint or slowly →
Hard; right → Good; right and fast → Easy. What "fast" and "slow" mean is decided here and
scales with how much was typed, so a long list answer is not "slow" just for its length:
fast is at most FAST_BASE s + FAST_PER_CHAR s per typed character, slow is at least
SLOW_BASE s + SLOW_PER_CHAR s per character.
"""

from __future__ import annotations

from cjstudy.model import Rating

FAST_BASE = 4.0
FAST_PER_CHAR = 0.25
SLOW_BASE = 20.0
SLOW_PER_CHAR = 0.6


def suggest_rating(correct: bool, *, typo: bool = False, hint_used: bool = False,
                   seconds: float = 0.0, typed_chars: int = 0) -> Rating:
    """The rating the grade suggests; Enter accepts it and 1-4 override it."""
    if not correct:
        return Rating.AGAIN  # wrong, or only partly right (score < 1 below the card's pass mark)
    return _right(typo, hint_used, seconds, typed_chars)


def _right(typo: bool, hint_used: bool, seconds: float, typed_chars: int) -> Rating:
    if typo or hint_used or seconds >= SLOW_BASE + SLOW_PER_CHAR * typed_chars:
        return Rating.HARD
    if seconds <= FAST_BASE + FAST_PER_CHAR * typed_chars:
        return Rating.EASY
    return Rating.GOOD
