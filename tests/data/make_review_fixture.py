"""Writes `reviews_synthetic.csv`: a made-up review history for the optimiser tests.

A simulated student whose memory follows FSRS-6 with weights unlike the defaults (forgets
new cards fast, keeps reviewed ones well), reviewing 200 cards over 150 days at a desired
retention of 0.85 with jittered timing. Deterministic: run it again and the file is identical.
    python tests/data/make_review_fixture.py
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cjstudy.memory.model import DEFAULT_PARAMETERS, MemoryModel

TRUE_WEIGHTS = list(DEFAULT_PARAMETERS)
TRUE_WEIGHTS[0:4] = [0.1, 0.4, 0.8, 3.0]  # new cards are forgotten much faster than the defaults say
TRUE_WEIGHTS[8] = 2.1  # ... but each successful review helps more
TRUE_WEIGHTS[20] = 0.5  # and the forgetting curve bends more sharply
START = datetime(2024, 1, 1, 18, 0, tzinfo=timezone.utc)


def generate(seed: int = 7, cards: int = 200, days: int = 150) -> list[tuple[str, int, str, int]]:
    rng = random.Random(seed)
    model = MemoryModel(TRUE_WEIGHTS)
    rows = []
    for number in range(cards):
        card = f"c{number:03d}"
        day = rng.randrange(0, 40)
        rating = rng.choices((1, 2, 3, 4), (0.25, 0.1, 0.5, 0.15))[0]
        memory = model.initial(rating)
        moment = START + timedelta(days=day, minutes=rng.randrange(0, 180))
        rows.append((card, rating, moment.isoformat(), rng.randrange(4000, 20000)))
        if rating < 3:  # one same-day learning step, answered Good
            moment += timedelta(minutes=10)
            memory = model.review(memory, 3, 0)
            rows.append((card, 3, moment.isoformat(), rng.randrange(3000, 12000)))
        while True:
            gap = max(1, round(model.interval(memory.stability, 0.85) * rng.uniform(0.7, 1.4)))
            day += gap
            if day >= days:
                break
            recalled = rng.random() < model.retrievability(memory.stability, gap)
            rating = rng.choices((2, 3, 4), (0.15, 0.75, 0.1))[0] if recalled else 1
            memory = model.review(memory, rating, gap)
            moment = START + timedelta(days=day, minutes=rng.randrange(0, 180))
            rows.append((card, rating, moment.isoformat(), rng.randrange(3000, 15000)))
            if rating == 1:
                moment += timedelta(minutes=10)
                memory = model.review(memory, 3, 0)
                rows.append((card, 3, moment.isoformat(), rng.randrange(3000, 12000)))
    rows.sort(key=lambda row: row[2])
    return rows


def main() -> None:
    path = Path(__file__).with_name("reviews_synthetic.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("card_id", "review_rating", "review_time", "review_duration"))
        writer.writerows(generate())


if __name__ == "__main__":
    main()
