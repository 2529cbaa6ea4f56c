"""FSRS-6 memory equations on plain floats, counted in whole days.

Why a second copy of the model when `scheduler.py` wraps `fsrs`: the simulator and the exam
planner evaluate tens of thousands of reviews and "what if I reviewed on day d" questions, and
`fsrs.Scheduler.review_card` costs about a millisecond each. These are the same published
FSRS-6 formulas (stability, difficulty, power forgetting curve with a trainable decay), written
for speed; `tests/test_simulation.py` checks them against `cjstudy.memory.scheduler` so the two
cannot drift apart unnoticed. Stdlib only, no state beyond the 21 weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The FSRS-6 defaults (the same numbers `fsrs` 6.x ships; a test pins the equality).
DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)
PARAMETER_COUNT = 21
STABILITY_MIN = 0.001
DIFFICULTY_MIN, DIFFICULTY_MAX = 1.0, 10.0
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@dataclass(frozen=True)
class Memory:
    """A card's memory: stability in days (R falls to 90 % after it) and difficulty 1-10."""

    stability: float
    difficulty: float


class MemoryModel:
    """FSRS-6 with a given weight vector; every method is a pure function of its arguments."""

    def __init__(self, parameters: Sequence[float] | None = None) -> None:
        w = tuple(float(x) for x in (parameters if parameters is not None else DEFAULT_PARAMETERS))
        if len(w) != PARAMETER_COUNT or not all(math.isfinite(x) for x in w):
            raise ValueError(f"FSRS-6 needs {PARAMETER_COUNT} finite parameters, got {len(w)}")
        self.w = w
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self._easy_d0 = w[4] - math.exp(w[5] * 3) + 1  # unclamped D0(Easy), the mean-reversion target

    # --- forgetting curve ------------------------------------------------------------

    def retrievability(self, stability: float, elapsed_days: float) -> float:
        """Probability of recall `elapsed_days` after the last review."""
        return (1 + self.factor * max(0.0, elapsed_days) / stability) ** self.decay

    def interval(self, stability: float, desired_retention: float) -> float:
        """Days until recall falls to `desired_retention` (unrounded)."""
        return stability / self.factor * (desired_retention ** (1 / self.decay) - 1)

    def scheduled_days(self, stability: float, desired_retention: float, maximum: int = 36500) -> int:
        """The whole-day interval FSRS schedules (rounded, at least 1), as `fsrs` does without fuzz."""
        return min(max(round(self.interval(stability, desired_retention)), 1), maximum)

    # --- updates ---------------------------------------------------------------------

    def initial(self, rating: int) -> Memory:
        """Memory after the very first rating of a new card."""
        w = self.w
        stability = max(w[rating - 1], STABILITY_MIN)
        difficulty = _clamp(w[4] - math.exp(w[5] * (rating - 1)) + 1)
        return Memory(stability, difficulty)

    def review(self, memory: Memory, rating: int, elapsed_days: int) -> Memory:
        """Memory after a review `elapsed_days` (whole days) after the previous one.

        Same-day reviews (learning and relearning steps) use FSRS-6's short-term formula.
        """
        difficulty = self.next_difficulty(memory.difficulty, rating)
        if elapsed_days < 1:
            return Memory(self.short_term_stability(memory.stability, rating), difficulty)
        r = self.retrievability(memory.stability, elapsed_days)
        if rating == AGAIN:
            stability = self.forget_stability(memory.stability, memory.difficulty, r)
        else:
            stability = self.recall_stability(memory.stability, memory.difficulty, r, rating)
        return Memory(max(stability, STABILITY_MIN), difficulty)

    def next_difficulty(self, difficulty: float, rating: int) -> float:
        w = self.w
        delta = -w[6] * (rating - 3)
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        return _clamp(w[7] * self._easy_d0 + (1 - w[7]) * damped)

    def short_term_stability(self, stability: float, rating: int) -> float:
        w = self.w
        increase = math.exp(w[17] * (rating - 3 + w[18])) * stability ** -w[19]
        if rating != AGAIN:
            increase = max(increase, 1.0)
        return max(stability * increase, STABILITY_MIN)

    def recall_stability(self, stability: float, difficulty: float, r: float, rating: int) -> float:
        w = self.w
        hard = w[15] if rating == HARD else 1.0
        easy = w[16] if rating == EASY else 1.0
        growth = math.exp(w[8]) * (11 - difficulty) * stability ** -w[9] * (math.exp((1 - r) * w[10]) - 1)
        return stability * (1 + growth * hard * easy)

    def forget_stability(self, stability: float, difficulty: float, r: float) -> float:
        w = self.w
        long_term = w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1) * math.exp((1 - r) * w[14])
        short_term = stability / math.exp(w[17] * w[18])
        return min(long_term, short_term)


def _clamp(difficulty: float) -> float:
    return min(max(difficulty, DIFFICULTY_MIN), DIFFICULTY_MAX)
