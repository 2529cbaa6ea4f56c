"""Generate large, valid decks for scale benchmarks (deterministic, all five card types)."""

from __future__ import annotations


def big_deck_text(cards: int) -> str:
    lines = ["deck: big", "title: Generated deck", "language: en", "tags: [generated]", "cards:"]
    for n in range(cards):
        kind = n % 5
        if kind == 0:
            lines += [f"  - id: b{n}", f"    front: What is concept number {n} about?",
                      f"    back: Concept {n} is about value-in-use and co-creation in a service ecosystem.",
                      f"    answer: value-in-use {n}", "    accept: [co-creation]", "    reverse: true"]
        elif kind == 1:
            lines += [f"  - id: c{n}", "    type: cloze",
                      f"    text: Item {n} has {{{{c1::physical evidence}}}} and {{{{c2::support processes::backstage}}}}."]
        elif kind == 2:
            lines += [f"  - id: l{n}", "    type: list", f"    prompt: Name the categories for {n}.",
                      "    items: [brand-owned, partner-owned, customer-owned, social/external]"]
        elif kind == 3:
            lines += [f"  - id: s{n}", "    type: sequence", f"    prompt: Order the stages for {n}.",
                      "    items: [pre-purchase, purchase, post-purchase]"]
        else:
            lines += [f"  - id: h{n}", "    type: choice", f"    prompt: Which is true of {n}?",
                      "    options: [It is a subset, It is the same, It is a superset]", "    answer: It is a subset",
                      f"    explanation: Because of reason {n}."]
    return "\n".join(lines) + "\n"
