"""Run every benchmark and print one table (or JSON) of figures and ratios.

Each figure is compared with a baseline measured in the same run, because this machine is
shared and noisy: absolute milliseconds drift from run to run, ratios much less.

    python benchmarks/run.py            # full figures (a few minutes)
    python benchmarks/run.py --quick    # small sizes, for CI: proves the benchmarks run
    python benchmarks/run.py --json     # machine-readable
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None


def section_startup(quick: bool) -> list[Figure]:
    from bench_startup import measure_startup

    return measure_startup(quick)


def section_validate(quick: bool) -> list[Figure]:
    import yaml
    from deck_generator import big_deck_text

    from cjstudy.deck import parse_deck

    cards = 1000 if quick else 10_000
    text = big_deck_text(cards).encode()
    repeats = 1 if quick else 3
    base = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeats)
    ours = best_of(lambda: parse_deck(text, "big.yaml"), repeats)
    ratio = ours / base
    return [Figure(f"validate {cards:,}-card deck", ours * 1000, "ms", "yaml.load (C loader)", ratio,
                   "≤ 2× yaml.load", ratio <= 2)]


def section_store(quick: bool) -> list[Figure]:
    try:
        import bench_store
    except ImportError:
        return []
    queue = bench_store.bench_due_queue(quick)
    latency = bench_store.bench_answer_latency(quick)
    figures = [Figure(f"due queue ({queue.get('cards', 0):,} cards, {queue.get('reviews', 0):,} reviews)",
                      queue["ms"], "ms", goal="< 100 ms", met=queue["ms"] < 100)]
    figures.append(Figure("answer→commit p50", latency["p50_ms"], "ms"))
    figures.append(Figure("answer→commit p99", latency["p99_ms"], "ms", goal="< 10 ms", met=latency["p99_ms"] < 10))
    return figures


def section_optimize(quick: bool) -> list[Figure]:
    try:
        import bench_optimize
    except ImportError:
        return []
    return [Figure(**row) for row in bench_optimize.run(quick)]


def section_grading(quick: bool) -> list[Figure]:
    import bench_grading

    return bench_grading.figures(quick)


SECTIONS: dict[str, Callable[[bool], list[Figure]]] = {
    "startup": section_startup,
    "validate": section_validate,
    "store": section_store,
    "optimize": section_optimize,
    "grading": section_grading,
}


def best_of(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (CI)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        figures.extend(section(args.quick))
    if args.json:
        print(json.dumps({"quick": args.quick, "figures": [asdict(f) for f in figures]}, indent=2))
    else:
        print_table(figures, args.quick)
    return 0


def print_table(figures: list[Figure], quick: bool) -> None:
    print(f"cjstudy benchmarks{' (quick mode: small sizes, figures not representative)' if quick else ''}")
    header = f"{'figure':<44} {'value':>11} {'ratio':>7}  {'baseline':<28} goal"
    print(header)
    print("-" * len(header))
    for f in figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        verdict = "" if f.met is None else (" ✓" if f.met else " ✗")
        print(f"{f.name:<44} {f.value:>8.1f} {f.unit:<2} {ratio:>7}  {f.baseline:<28} {f.goal}{verdict}")


if __name__ == "__main__":
    sys.exit(main())
