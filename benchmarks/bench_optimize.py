"""`cjstudy optimize` and `cjstudy simulate` against their goals, with same-run baselines.

Optimiser: on the shared real review log (../shared/data/review_logs_josh.csv, or the file
in CJSTUDY_BENCH_REVIEWS; the synthetic test fixture when neither exists) it reports held-out
log loss and RMSE (bins) for default and fitted weights, and the time taken against fsrs-rs's
own `evaluate_with_time_series_splits` on the same items (the baseline).
Goals: fitted log loss ≤ 0.450, RMSE ≤ 0.055, under a minute (metrics print ×1000).

Simulator: 200 cards, 20 new a day, exam in 21 days, over ten seeds: exam-aware recall at the
exam minus plain FSRS's (goal ≥ 0.01 on every seed) and review minutes relative to FSRS
(goal ≤ 1.15× on every seed).

    python benchmarks/bench_optimize.py [--quick]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED_LOG = HERE.parent.parent / "shared" / "data" / "review_logs_josh.csv"
FIXTURE = HERE.parent / "tests" / "data" / "reviews_synthetic.csv"


def review_log() -> Path:
    override = os.environ.get("CJSTUDY_BENCH_REVIEWS")
    if override:
        return Path(override)
    return SHARED_LOG if SHARED_LOG.exists() else FIXTURE


def bench_optimizer(path: Path) -> list[dict[str, Any]]:
    import fsrs_rs_python

    from cjstudy.memory.optimizer import build_items, optimize, read_reviews_csv, _to_rs

    reviews = read_reviews_csv(path)
    start = time.perf_counter()
    result = optimize(reviews)
    ours = time.perf_counter() - start
    items = _to_rs(build_items(reviews))
    start = time.perf_counter()
    reference = fsrs_rs_python.evaluate_with_time_series_splits(items)
    base = time.perf_counter() - start
    real = path.name == SHARED_LOG.name
    return [
        dict(name=f"optimize {path.name}", value=ours, unit="s", baseline="fsrs-rs time-series evaluation",
             ratio=ours / base if base else None, goal="< 60 s", met=ours < 60),
        dict(name="held-out log loss ×1000, default weights", value=result.default.log_loss * 1000, unit=""),
        dict(name="held-out RMSE (bins) ×1000, default weights", value=result.default.rmse * 1000, unit=""),
        dict(name="held-out log loss ×1000, fitted weights", value=result.optimized.log_loss * 1000, unit="",
             baseline=f"fsrs-rs {reference.log_loss * 1000:.1f}", ratio=result.optimized.log_loss / reference.log_loss,
             goal="≤ 450" if real else "", met=result.optimized.log_loss <= 0.450 if real else None),
        dict(name="held-out RMSE (bins) ×1000, fitted weights", value=result.optimized.rmse * 1000, unit="",
             baseline=f"fsrs-rs {reference.rmse_bins * 1000:.1f}", ratio=result.optimized.rmse / reference.rmse_bins,
             goal="≤ 55" if real else "", met=result.optimized.rmse <= 0.055 if real else None),
    ]


def bench_simulation(quick: bool) -> list[dict[str, Any]]:
    from cjstudy.memory.simulation import SimulationConfig, simulate

    seeds = range(3 if quick else 10)
    gains, ratios, sm2_ratios = [], [], []
    start = time.perf_counter()
    for seed in seeds:
        sm2, fsrs, exam = simulate(SimulationConfig(cards=200, new_per_day=20, exam_in=21, seed=seed))
        gains.append(exam.recall_at_exam - fsrs.recall_at_exam)
        ratios.append(exam.review_minutes / fsrs.review_minutes)
        sm2_ratios.append(sm2.review_minutes / fsrs.review_minutes)
    elapsed = (time.perf_counter() - start) / len(seeds)
    n = len(gains)
    return [
        dict(name="simulate 200 cards, 20/day, exam day 21", value=elapsed * 1000, unit="ms"),
        dict(name=f"exam − fsrs recall ×1000 (min, {n} seeds)", value=min(gains) * 1000, unit="",
             goal="≥ 10", met=min(gains) >= 0.01),
        dict(name=f"exam − fsrs recall ×1000 (mean, {n} seeds)", value=sum(gains) / n * 1000, unit=""),
        dict(name=f"exam review minutes (max, {n} seeds)", value=max(ratios) * 100, unit="%",
             baseline="fsrs review minutes", goal="≤ 115 %", met=max(ratios) <= 1.15),
        dict(name=f"sm2 review minutes (mean, {n} seeds)", value=sum(sm2_ratios) / n * 100, unit="%",
             baseline="fsrs review minutes"),
    ]


def run(quick: bool = False) -> list[dict[str, Any]]:
    path = FIXTURE if quick else review_log()
    return bench_optimizer(path) + bench_simulation(quick)


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    for row in run(quick):
        goal = f"  goal {row['goal']}: {'met' if row['met'] else 'NOT met'}" if row.get("goal") else ""
        base = f"  (vs {row['baseline']}" + (f", ratio {row['ratio']:.2f})" if row.get("ratio") else ")") \
            if row.get("baseline") else ""
        print(f"{row['name']}: {row['value']:.4g} {row['unit']}{base}{goal}")


if __name__ == "__main__":
    main()
