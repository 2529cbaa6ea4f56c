"""Fitting FSRS-6 weights to one student's own review history, with an honest score.

The one place that imports `fsrs_rs_python` (the reference Rust optimiser; no torch), and
only inside functions. The score is honest because it is measured on reviews the fit never
saw: reviews are turned into one item per long-term review (the card's history so far plus
the review to predict), sorted by time and cut into six equal slices; for each of the last
five slices the weights are fitted on everything before it and judged on it (an expanding-
window time-series split, as fsrs-rs's `evaluate_with_time_series_splits` does). Default
weights are judged on exactly the same held-out reviews. The weights that `--apply` stores
are then fitted on all items.

Days: FSRS counts whole calendar days between reviews; `day_of` maps a time to a day number
(UTC days for CSV files, the student's local day with a 4 a.m. rollover for their own store).
Same-day repeats (learning steps) stay in the history with a gap of 0 but are not predicted,
as in the reference optimiser.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from cjstudy.errors import CjstudyError, TransferError
from cjstudy.memory.evaluation import Metrics, Prediction, evaluate

MIN_ITEMS = 400  # long-term reviews: the first of six slices must give the fitter its 64 items
DEFAULT_SPLITS = 5
CSV_COLUMNS = ("card_id", "review_rating", "review_time")  # review_duration is optional

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is happening)
DayOf = Callable[[datetime], int]


class NotEnoughHistory(CjstudyError):
    """Too few reviews to fit and test weights; the message says how many more are needed."""


@dataclass(frozen=True)
class LoggedReview:
    """One answered card, from the store or a CSV file."""

    card: str
    reviewed_at: datetime
    rating: int
    duration_ms: int | None = None
    state_before: str | None = None  # "new" for a first review when known; None in CSV files


@dataclass(frozen=True)
class TrainingItem:
    """A card's history up to one long-term review; the last (rating, gap) pair is predicted."""

    at: datetime
    card: str
    reviews: tuple[tuple[int, int], ...]  # (rating 1-4, whole days since the previous review)


@dataclass(frozen=True)
class OptimizeResult:
    default: Metrics
    optimized: Metrics
    parameters: tuple[float, ...]
    reviews: int
    cards: int
    items: int
    held_out: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "default": self.default.to_dict(),
            "optimized": self.optimized.to_dict(),
            "parameters": list(self.parameters),
            "reviews": self.reviews,
            "cards": self.cards,
            "held_out": self.held_out,
        }


# --- days -----------------------------------------------------------------------------


EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)  # review times outside these are refused:
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)  # the day arithmetic below stays in range


def utc_day(moment: datetime) -> int:
    """The UTC calendar day (proleptic ordinal)."""
    return moment.astimezone(timezone.utc).date().toordinal()


def local_day_function(zone: tzinfo, rollover_hours: int = 4) -> DayOf:
    """Days in `zone` that start at `rollover_hours` (a 1 a.m. review counts for the evening before)."""
    shift = timedelta(hours=rollover_hours)

    def day_of(moment: datetime) -> int:
        return (moment.astimezone(zone) - shift).date().toordinal()

    return day_of


# --- reading --------------------------------------------------------------------------


def read_reviews_csv(path: Path) -> list[LoggedReview]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TransferError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TransferError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return parse_reviews_csv(text, str(path))


def parse_reviews_csv(text: str, shown: str) -> list[LoggedReview]:
    """Rows of card_id, review_rating (1-4), review_time (ISO 8601), review_duration (ms, optional)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TransferError(f"{shown}:1: empty file; expected a header with {', '.join(CSV_COLUMNS)}") from None
    except csv.Error as error:
        raise TransferError(f"{shown}:1: {error}") from None
    names = [name.strip() for name in header]
    missing = [name for name in CSV_COLUMNS if name not in names]
    if missing:
        raise TransferError(f"{shown}:1: missing column(s) {', '.join(missing)} (have: {', '.join(names)})")
    col = {name: names.index(name) for name in (*CSV_COLUMNS, "review_duration") if name in names}
    reviews: list[LoggedReview] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            reviews.append(_parse_row(row, col, shown, reader.line_num))
    except csv.Error as error:
        raise TransferError(f"{shown}:{reader.line_num}: {error}") from None
    return reviews


def _parse_row(row: list[str], col: dict[str, int], shown: str, line: int) -> LoggedReview:
    def cell(name: str) -> str:
        index = col[name]
        return row[index].strip() if index < len(row) else ""

    where = f"{shown}:{line}"
    card = cell("card_id")
    if not card:
        raise TransferError(f"{where}: empty card_id")
    rating_text = cell("review_rating")
    if rating_text not in ("1", "2", "3", "4"):
        raise TransferError(f"{where}: review_rating must be 1-4, got {rating_text!r}")
    try:
        moment = datetime.fromisoformat(cell("review_time").replace("Z", "+00:00"))
    except ValueError:
        raise TransferError(f"{where}: review_time is not an ISO 8601 time: {cell('review_time')!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TransferError(f"{where}: review_time needs a time zone (e.g. +00:00): {cell('review_time')!r}")
    if not EARLIEST <= moment <= LATEST:  # the day arithmetic (zones, rollover) must stay in range
        raise TransferError(f"{where}: review_time is outside the years 1900-9000: {cell('review_time')!r}")
    duration = None
    if "review_duration" in col and cell("review_duration") not in ("", "None", "null"):
        try:
            duration = int(float(cell("review_duration")))  # inf, -inf and 1e400 overflow here
        except (ValueError, OverflowError):
            raise TransferError(f"{where}: review_duration must be milliseconds, got "
                                f"{cell('review_duration')!r}") from None
        if duration < 0:
            raise TransferError(f"{where}: review_duration cannot be negative")
    return LoggedReview(card, moment.astimezone(timezone.utc), int(rating_text), duration)


# --- items ----------------------------------------------------------------------------


def group_by_card(reviews: Iterable[LoggedReview]) -> dict[str, list[LoggedReview]]:
    """Each card's reviews in time order; cards whose log starts mid-life are dropped."""
    cards: dict[str, list[LoggedReview]] = {}
    for review in reviews:
        cards.setdefault(review.card, []).append(review)
    kept = {}
    for card, history in cards.items():
        history.sort(key=lambda r: r.reviewed_at)
        if history[0].state_before in (None, "new"):
            kept[card] = history
    return kept


def build_items(reviews: Iterable[LoggedReview], day_of: DayOf = utc_day,
                grouped: dict[str, list[LoggedReview]] | None = None) -> list[TrainingItem]:
    """One item per review on a later day than the card's previous one, sorted by time."""
    items: list[TrainingItem] = []
    for card, history in (grouped if grouped is not None else group_by_card(reviews)).items():
        pairs: list[tuple[int, int]] = []
        last_day: int | None = None
        for review in history:
            day = day_of(review.reviewed_at)
            gap = 0 if last_day is None else max(day - last_day, 0)
            pairs.append((review.rating, gap))
            if gap > 0:
                items.append(TrainingItem(review.reviewed_at, card, tuple(pairs)))
            last_day = day
    items.sort(key=lambda item: (item.at, item.card))
    return items


def time_series_folds(count: int, splits: int = DEFAULT_SPLITS) -> list[tuple[int, int, int]]:
    """(train end, test start, test end) index triples: train on [0, end), test [start, end2)."""
    segment = count // (splits + 1)
    if segment == 0:
        return []
    folds = []
    for i in range(splits):
        start = (i + 1) * segment
        end = count if i == splits - 1 else (i + 2) * segment
        folds.append((start, start, end))
    return folds


# --- fitting and predicting (fsrs_rs_python) --------------------------------------------


def _rs() -> Any:
    import fsrs_rs_python

    return fsrs_rs_python


def _to_rs(items: Sequence[TrainingItem], drop_last: bool = False) -> list[Any]:
    rs = _rs()
    out = []
    for item in items:
        pairs = item.reviews[:-1] if drop_last else item.reviews
        out.append(rs.FSRSItem([rs.FSRSReview(rating, gap) for rating, gap in pairs]))
    return out


def default_parameters() -> tuple[float, ...]:
    return tuple(float(x) for x in _rs().DEFAULT_PARAMETERS)


def fit_parameters(items: Sequence[TrainingItem]) -> tuple[float, ...]:
    """FSRS-6 weights fitted to `items` (fsrs-rs: outlier filter, recency weighting, 5 epochs)."""
    rs = _rs()
    fitted = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(_to_rs(items))
    return tuple(round(float(x), 6) for x in fitted)


def predict(items: Sequence[TrainingItem], parameters: Sequence[float]) -> list[Prediction]:
    """Predicted recall of each item's last review from the memory its earlier reviews built."""
    if not items:
        return []
    rs = _rs()
    states = rs.FSRS(list(parameters)).memory_state_batch(_to_rs(items, drop_last=True))
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    out = []
    for item, state in zip(items, states):
        rating, gap = item.reviews[-1]
        p = (1 + factor * gap / state.stability) ** decay
        long_term = sum(1 for _, g in item.reviews if g > 0)
        lapses = sum(1 for r, g in item.reviews[:-1] if g > 0 and r == 1)
        out.append(Prediction(p, rating > 1, gap, long_term + 1, lapses))
    return out


# --- the whole job ----------------------------------------------------------------------


def check_enough(items: int, min_items: int = MIN_ITEMS) -> None:
    if items < min_items:
        raise NotEnoughHistory(
            f"not enough history to fit FSRS: {items} reviews on a later day than the card's previous "
            f"review; at least {min_items} are needed ({min_items - items} more), so keep studying "
            "and try again later")


def optimize(reviews: Sequence[LoggedReview], *, day_of: DayOf = utc_day, splits: int = DEFAULT_SPLITS,
             min_items: int = MIN_ITEMS, progress: Progress | None = None) -> OptimizeResult:
    """Fit on earlier reviews, score default and fitted weights on later ones, then fit on all."""
    grouped = group_by_card(reviews)
    items = build_items((), day_of, grouped)
    check_enough(len(items), min_items)
    folds = time_series_folds(len(items), splits)
    total = len(folds) + 1
    report = progress or (lambda done, all_, what: None)
    defaults = default_parameters()
    default_preds: list[Prediction] = []
    fitted_preds: list[Prediction] = []
    for number, (train_end, test_start, test_end) in enumerate(folds):
        report(number, total, f"fitting on reviews 1-{train_end}, testing on the next {test_end - test_start}")
        weights = fit_parameters(items[:train_end])
        test = items[test_start:test_end]
        fitted_preds += predict(test, weights)
        default_preds += predict(test, defaults)
    report(len(folds), total, f"fitting on all {len(items)} reviews")
    parameters = fit_parameters(items)
    report(total, total, "done")
    return OptimizeResult(
        default=evaluate(default_preds), optimized=evaluate(fitted_preds), parameters=parameters,
        reviews=sum(len(h) for h in grouped.values()), cards=len(grouped), items=len(items),
        held_out=len(fitted_preds),
    )


def is_finite_vector(parameters: Sequence[float]) -> bool:
    return len(parameters) == 21 and all(math.isfinite(x) for x in parameters)
