"""Grading against teacher verdicts: agreement, wrong-accepted, right-refused, deferred share.

The set is `tests/data/teacher_answers.tsv` (address, answer, label right|wrong, kind, reason),
written and labelled by teachers who never saw the grader. A verdict `correct` accepts the
answer, `partial` and `wrong` refuse it, `unsure` defers it to the student. Figures:

- agreement on decided: (right accepted + wrong refused) / answers not deferred
- wrong accepted: wrong answers graded `correct` / all wrong answers
- right refused: right answers graded `partial` or `wrong` / all right answers
- deferred: answers graded `unsure` / all answers

`--split` also prints the odd and even rows apart (develop on one half, check on the other);
`--show wrong-accepted|right-refused|unsure` lists those rows. Also times a 1 MB answer.

    python benchmarks/bench_grading.py [--split] [--show right-refused]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEACHER_SET = ROOT / "tests" / "data" / "teacher_answers.tsv"


@dataclass
class Row:
    number: int
    address: str
    answer: str
    label: str
    kind: str
    reason: str


@dataclass
class Outcome:
    row: Row
    verdict: str
    score: float
    feedback: str


@dataclass
class Agreement:
    answers: int = 0
    right: int = 0
    wrong: int = 0
    decided: int = 0
    agreed: int = 0
    wrong_accepted: int = 0
    right_refused: int = 0
    deferred: int = 0
    deferred_kinds: Counter = field(default_factory=Counter)

    @property
    def agreement(self) -> float:
        return self.agreed / self.decided if self.decided else 0.0

    @property
    def wrong_accepted_rate(self) -> float:
        return self.wrong_accepted / self.wrong if self.wrong else 0.0

    @property
    def right_refused_rate(self) -> float:
        return self.right_refused / self.right if self.right else 0.0

    @property
    def deferred_rate(self) -> float:
        return self.deferred / self.answers if self.answers else 0.0

    def line(self, name: str) -> str:
        return (f"{name:<10} n={self.answers:<4} agreement on decided {self.agreement:6.1%}  "
                f"wrong accepted {self.wrong_accepted_rate:5.1%}  right refused {self.right_refused_rate:5.1%}  "
                f"unsure {self.deferred_rate:5.1%}")


def read_rows(path: Path = TEACHER_SET) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(n, r["address"], r["answer"], r["label"], r["kind"], r["reason"])
                for n, r in enumerate(reader, start=1)]


def grade_rows(rows: list[Row]) -> list[Outcome]:
    from cjstudy.deck import load_deck_set
    from cjstudy.grading.grade import grade
    from cjstudy.paths import bundled_decks_dir

    decks = load_deck_set(bundled_decks_dir(), [])
    outcomes = []
    for row in rows:
        card = decks.resolve(row.address)
        deck = decks.deck(card.key.deck)
        result = grade(card, row.answer, siblings=deck.cards if deck else ())
        outcomes.append(Outcome(row, result.verdict, result.score, result.feedback))
    return outcomes


def agreement(outcomes: list[Outcome]) -> Agreement:
    a = Agreement()
    for o in outcomes:
        a.answers += 1
        right = o.row.label == "right"
        a.right += right
        a.wrong += not right
        if o.verdict == "unsure":
            a.deferred += 1
            a.deferred_kinds[o.row.kind] += 1
            continue
        a.decided += 1
        accepted = o.verdict == "correct"
        a.agreed += accepted == right
        a.wrong_accepted += accepted and not right
        a.right_refused += right and not accepted
    return a


def time_big_answer(size: int = 1_000_000) -> float:
    """Seconds to grade a 1 MB answer on a long basic card (worst case: keyword coverage)."""
    from cjstudy.deck import load_deck_set
    from cjstudy.grading.grade import grade
    from cjstudy.paths import bundled_decks_dir

    decks = load_deck_set(bundled_decks_dir(), [])
    cards = [c for c in decks.cards() if c.type == "basic"]
    card = max(cards, key=lambda c: len(c.expected[0]) if c.expected else 0)
    deck = decks.deck(card.key.deck)
    words = "value customer not firm experience journey de klant niet "
    text = (words * (size // len(words) + 1))[:size]
    start = time.perf_counter()
    grade(card, text, siblings=deck.cards if deck else ())
    return time.perf_counter() - start


def compare_stemmers() -> None:
    """Agreement and cost of each backend (the issue asks for this measurement before choosing)."""
    import subprocess

    from cjstudy.grading import lang

    rows = read_rows()
    for backend in ("pystemmer", "snowball", "simplemma", "none"):
        lang.STEMMER = backend
        lang.stem.cache_clear()
        lang._stemmer.cache_clear()
        from cjstudy.grading import match, words

        words.analyze.cache_clear()
        match.prepare.cache_clear()
        match.typed.cache_clear()
        start = time.perf_counter()
        a = agreement(grade_rows(rows))
        seconds = time.perf_counter() - start
        module = {"pystemmer": "Stemmer", "snowball": "snowballstemmer", "simplemma": "simplemma"}.get(backend)
        load = ""
        if module:
            code = (f"import time; t=time.perf_counter(); import {module}; "
                    + ("import simplemma; simplemma.lemmatize('klanten', lang='nl'); simplemma.lemmatize('customers', lang='en'); "
                       if module == "simplemma" else "")
                    + "print(time.perf_counter()-t)")
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            load = f"  import+first use {float(out.stdout or 0) * 1000:6.0f} ms"
        print(a.line(backend) + f"  graded in {seconds:.2f} s{load}")


BARE_GRADE = '''
import typer


def main(address: str, answer: str) -> None:
    """Two text arguments, as `cjstudy grade ADDRESS ANSWER` takes."""
    typer.echo(f"{address}: {answer}")


if __name__ == "__main__":
    typer.run(main)
'''


def grade_startup(runs: int) -> tuple[float, float, float]:
    """Median seconds of `cjstudy grade` (an answer read for its ideas, the slowest path), of
    `cjstudy decks` (the same deck loading, no grading) and of a bare one-command Typer app
    with the same two text arguments, run in turn with a warm deck cache and bytecode written."""
    import os
    import statistics
    import subprocess
    import tempfile

    folder = tempfile.mkdtemp()
    bare = os.path.join(folder, "bare_grade.py")
    with open(bare, "w", encoding="utf-8") as out:
        out.write(BARE_GRADE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(CJSTUDY_HOME=folder, NO_COLOR="1")
    answer = ["touch-points/tp-brand-owned", "the company designs and manages them"]
    commands = {
        "decks": [sys.executable, "-m", "cjstudy", "decks"],
        "grade": [sys.executable, "-m", "cjstudy", "grade", *answer],
        "bare": [sys.executable, bare, *answer],
    }
    for argv in commands.values():
        subprocess.run(argv, env=env, capture_output=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["grade"]), statistics.median(times["decks"]), statistics.median(times["bare"])


def figures(quick: bool = False) -> list:
    """Rows for benchmarks/run.py."""
    from run import Figure

    outcomes = grade_rows(read_rows())
    a = agreement(outcomes)
    big = time_big_answer(100_000 if quick else 1_000_000)
    rows = [
        Figure(f"grading: agreement on decided ({a.answers} answers)", a.agreement * 100, "%",
               goal="≥ 95%", met=a.agreement >= 0.95),
        Figure("grading: wrong answers accepted", a.wrong_accepted_rate * 100, "%", goal="≤ 1%",
               met=a.wrong_accepted_rate <= 0.01),
        Figure("grading: right answers refused", a.right_refused_rate * 100, "%"),
        Figure("grading: deferred (unsure)", a.deferred_rate * 100, "%", goal="≤ 15%", met=a.deferred_rate <= 0.15),
        Figure(f"grading: {'100 kB' if quick else '1 MB'} answer", big * 1000, "ms", goal="< 500 ms", met=big < 0.5),
    ]
    grade_s, decks_s, bare_s = grade_startup(3 if quick else 15)
    rows.append(Figure("`cjstudy grade` (answer read for its ideas)", grade_s * 1000, "ms",
                       "bare Typer app, same two arguments", grade_s / bare_s, "≤ 1.25×", grade_s / bare_s <= 1.25))
    rows.append(Figure("`cjstudy grade` against `cjstudy decks` (the grading itself)", grade_s * 1000, "ms",
                       "`cjstudy decks`", grade_s / decks_s))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", action="store_true", help="also report odd and even rows apart")
    parser.add_argument("--show", choices=["wrong-accepted", "right-refused", "unsure"], action="append",
                        help="list the rows in this class")
    parser.add_argument("--half", choices=["odd", "even"], help="only list rows of this half")
    parser.add_argument("--stemmers", action="store_true",
                        help="compare stemming backends (PyStemmer, snowballstemmer, simplemma, none)")
    args = parser.parse_args(argv)
    if args.stemmers:
        compare_stemmers()
        return 0
    outcomes = grade_rows(read_rows())
    print(agreement(outcomes).line("all"))
    if args.split:
        print(agreement([o for o in outcomes if o.row.number % 2]).line("odd"))
        print(agreement([o for o in outcomes if not o.row.number % 2]).line("even"))
    for show in args.show or ():
        print(f"\n--- {show}")
        for o in outcomes:
            if args.half and (o.row.number % 2 == 1) != (args.half == "odd"):
                continue
            right = o.row.label == "right"
            hit = {"wrong-accepted": not right and o.verdict == "correct",
                   "right-refused": right and o.verdict in ("partial", "wrong"),
                   "unsure": o.verdict == "unsure"}[show]
            if hit:
                print(f"{o.row.number:>3} {o.row.label:<5} {o.verdict:<7} {o.score:.2f} {o.row.kind:<15} "
                      f"{o.row.address}  «{o.row.answer}»  [{o.feedback[:70]}]")
    print(f"\n1 MB answer: {time_big_answer() * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
