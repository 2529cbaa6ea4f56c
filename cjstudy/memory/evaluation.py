"""How well predicted recall matches what happened: log loss and RMSE (bins).

Both are the metrics of the open FSRS benchmark (open-spaced-repetition/srs-benchmark, and
fsrs-rs's `evaluate`), so our figures can be compared with published ones:

- log loss: mean binary cross-entropy of the predicted recall against pass (rating > 1) or fail.
- RMSE (bins): reviews are grouped by (interval, review number, lapse count), each rounded onto a
  logarithmic grid; per group the mean prediction is compared with the observed pass rate, and
  the root of the count-weighted mean squared difference is reported. Binning keeps a model from
  looking good just because its errors average out over very different kinds of review.

The grid: interval -> round(2.48 * 3.62 ** floor(log(t, 3.62)), 2); review number (the long-term
reviews so far, this one included, plus one, as fsrs-rs counts it) -> round(1.99 * 1.89 **
floor(log(n, 1.89))); lapses (earlier long-term reviews rated Again) -> 0, or
round(1.65 * 1.73 ** floor(log(l, 1.73))). Pure stdlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

EPSILON = 1e-7  # predictions are clipped away from 0 and 1 before taking logs


@dataclass(frozen=True)
class Prediction:
    """One held-out review: what the model predicted and what the student did."""

    p: float  # predicted probability of recall
    recalled: bool  # rating > 1
    elapsed_days: int  # days since the card's previous review
    review_number: int  # long-term reviews including this one, plus one (fsrs-rs's "length")
    lapses: int  # earlier long-term reviews rated Again


@dataclass(frozen=True)
class Metrics:
    log_loss: float
    rmse: float
    count: int

    def to_dict(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 6), "rmse": round(self.rmse, 6)}


def log_loss(predictions: Iterable[Prediction]) -> float:
    total = 0.0
    count = 0
    for pred in predictions:
        p = min(max(pred.p, EPSILON), 1 - EPSILON)
        total += math.log(p) if pred.recalled else math.log(1 - p)
        count += 1
    if not count:
        raise ValueError("no predictions to evaluate")
    return -total / count


def _grid(value: float, base: float, scale: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), digits)


def bin_key(elapsed_days: int, review_number: int, lapses: int) -> tuple[float, float, float]:
    """The (interval, review number, lapses) bin of a review, on the benchmark's log grid."""
    interval_bin = _grid(max(elapsed_days, 1e-6), 3.62, 2.48, 2)
    number_bin = _grid(max(review_number, 1), 1.89, 1.99, 0)
    lapse_bin = _grid(lapses, 1.73, 1.65, 0) if lapses > 0 else 0.0
    return interval_bin, number_bin, lapse_bin


def rmse_bins(predictions: Iterable[Prediction]) -> float:
    """Count-weighted RMSE between mean prediction and pass rate per bin."""
    bins: dict[tuple[float, float, float], list[float]] = {}
    for pred in predictions:
        acc = bins.setdefault(bin_key(pred.elapsed_days, pred.review_number, pred.lapses), [0.0, 0.0, 0.0])
        acc[0] += pred.p
        acc[1] += 1.0 if pred.recalled else 0.0
        acc[2] += 1.0
    if not bins:
        raise ValueError("no predictions to evaluate")
    squared = sum(count * (p_sum / count - y_sum / count) ** 2 for p_sum, y_sum, count in bins.values())
    return math.sqrt(squared / sum(acc[2] for acc in bins.values()))


def evaluate(predictions: Iterable[Prediction]) -> Metrics:
    preds = list(predictions)
    return Metrics(log_loss=log_loss(preds), rmse=rmse_bins(preds), count=len(preds))
