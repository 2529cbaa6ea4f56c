"""Grading typed answers fairly: one pure function per card type, one result shape.

`grade(card, given, siblings=deck.cards)` never raises on any text and never reads the clock.
An exact answer (after normalising) always counts; a typo match that is at least as close to
another card's answer in `siblings` does not (see grading/match.py for the typo rules).
Choices made here (the issue left them open):
- Basic cards grade against `expected` (the `answer`, else the `back`) plus `accept`, read in
  the card's language with its deck's synonyms (grading/words.py). When no wording matches,
  the answer is read for its ideas (grading/judge.py): weighted key words and polarity decide
  correct, unsure, partial or wrong; see docs/grading.md.
- Lists: order-free, score = matched / items, correct at `min` (default all) and with no wrong
  extra item (a teacher counts one against the list); repeated items are reported only.
- Sequences: score = longest run of items in the right relative order / items.
- Cloze: one gap takes the whole text; several gaps take the typed items in order; a gap of
  three or more key words is read for its ideas like a short basic answer.
- Choice: numbers, letters ("b", "B)", "(b)") or option text; score for several answers is
  (right picks − wrong picks) / answers, never below 0.
Option numbers and letters refer to `card.options` as given: a caller that shuffles the
options passes a card with them in the shown order (`dataclasses.replace`).
"""

from __future__ import annotations

from collections.abc import Sequence

from cjstudy.grading.choice import grade_choice
from cjstudy.grading.judge import best_reading, closer_elsewhere, cores, rarity, verdict
from cjstudy.grading.items import grade_list, grade_sequence, longest_ordered
from cjstudy.grading.match import Match, Target, alternative, match_answer, match_typed, prepare, prepare_many, typed
from cjstudy.grading.result import GradeResult, expected_text, match_note, short, with_feedback
from cjstudy.grading.result import short as short_text
from cjstudy.grading.text import (
    MAX_INPUT_CHARS,
    clip,
    display,
    expand_variants,
    normalize,
    split_conjunctions,
    split_items,
)
from cjstudy.grading.words import Lexicon, analyze, lexicon
from cjstudy.model import Card

__all__ = [
    "GradeResult", "Match", "expand_variants", "grade", "longest_ordered", "match_answer", "normalize",
    "sibling_answers",
]



def grade(card: Card, given: str, *, siblings: Sequence[Card] = ()) -> GradeResult:
    """Grade `given` for `card`; `siblings` (the deck's cards) guard typo acceptance."""
    given = given if isinstance(given, str) else str(given)
    note = f"only the first {MAX_INPUT_CHARS} characters were graded" if len(given) > MAX_INPUT_CHARS else ""
    given = clip(given)
    if not given.strip():
        return GradeResult(False, 0.0, expected_text(card), "no answer given")
    grader = _GRADERS.get(card.type)
    if grader is None:
        return GradeResult(False, 0.0, expected_text(card), f"cannot grade a {card.type} card")
    competitors = _competitors(card, siblings) if card.type != "choice" else ()
    result = grader(card, given, competitors, siblings) if card.type in ("basic", "cloze") else grader(card, given, competitors)
    if note:
        result = with_feedback(result, note)
    return result


def sibling_answers(card: Card) -> tuple[str, ...]:
    """The answers a card expects, as other cards' competitors see them."""
    if card.type == "cloze":
        return tuple(gap.answer for gap in card.gaps) or card.expected
    if card.type in ("list", "sequence"):
        return card.items
    if card.type == "choice":
        return ()
    return card.expected + card.accept


def _competitors(card: Card, siblings: Sequence[Card]) -> tuple[Target, ...]:
    return prepare_many((a for s in siblings if s.key != card.key for a in sibling_answers(s)), lex=lexicon_of(card))



# --- basic -------------------------------------------------------------------------------


def _grade_basic(card: Card, given: str, competitors: Sequence[Target], siblings: Sequence[Card] = ()) -> GradeResult:
    expected = expected_text(card)
    lex = lexicon_of(card)
    targets = prepare_many(card.expected + card.accept, lex=lex)
    text = typed(given, lex)
    match = match_typed(text, targets, competitors)
    if match.accepted:
        return GradeResult(True, 1.0, expected, match_note(given, match), typo=match.typo,
                           accent_only=match.accent_only, matched=(match.target,))
    if match.rival is not None:
        return GradeResult(False, 0.0, expected, match_note(given, match))
    if match.doubtful:
        return GradeResult(False, 0.0, expected, match_note(given, match), verdict="unsure")
    if text.words_read is None or not text.words_read.stems:
        return GradeResult(False, 0.0, expected)
    weigh = rarity(siblings, [t for s in siblings for t in (s.question, *s.expected[:1])], lex)
    question = analyze(card.question, lex).stem_set
    # Read for ideas against each answer's fullest wording only: a shorter one that leaves out an
    # optional part ("controlled by the (firm|company)" without its group) says too little.
    fullest = [prepare(a, True, lex)[0] for a in card.expected + card.accept if prepare(a, True, lex)]
    reading = best_reading(text.words_read, fullest, weigh, question,
                           cores(card.expected + card.accept, lambda a: prepare(a, True, lex)))
    if reading is None:
        return GradeResult(False, 0.0, expected)
    wanted = reading.target.words_read
    short = wanted is not None and len(set(wanted.stems)) <= 3
    padded = len(text.words) > 3 * max(len(t.words) for t in targets) + 10
    outcome = "wrong" if padded else verdict(reading, short)
    if outcome == "correct" and short and alternative(text) != alternative(reading.target):
        outcome = "unsure"  # "designed or controlled" for "designed and controlled"
    other = None
    if outcome in ("correct", "unsure"):
        other = closer_elsewhere(text.words_read, reading, competitors, weigh, question)
        if other is not None:
            outcome = "wrong"
    total = len(reading.found) + len(reading.missing)
    feedback = f"{len(reading.found)} of {total} key words" if total > 1 else ""
    if other is not None:
        feedback = f"closer to another card's answer ({short_text(display(other), 50)})"
    if reading.missing and total > 1:
        feedback += f"; missing: {', '.join(reading.missing[:8])}" + (" …" if len(reading.missing) > 8 else "")
    if reading.flipped and reading.found:
        feedback = "says the opposite of the answer (a negation differs)" + (f"; {feedback}" if feedback else "")
    if padded:
        feedback += "; too long to count"
    score = 1.0 if outcome == "correct" else 0.0 if reading.flipped or padded or other else round(min(reading.share, 0.99), 3)
    return GradeResult(outcome == "correct", score, expected, feedback.strip("; "),
                       matched=reading.found, missing=reading.missing,
                       verdict=outcome if outcome != "partial" or score > 0 else "wrong")


def lexicon_of(card: Card) -> Lexicon:
    return lexicon(card.language, card.synonyms)


# --- cloze -------------------------------------------------------------------------------


def _grade_cloze(card: Card, given: str, competitors: Sequence[Target], siblings: Sequence[Card] = ()) -> GradeResult:
    answers = [gap.answer for gap in card.gaps] or list(card.expected)
    if not answers:
        return GradeResult(False, 0.0, "", "this card has no gaps to grade")
    if len(answers) == 1:
        parts = [given]
    else:
        parts = split_items(given)
        if len(parts) < len(answers):
            parts = [p for part in parts for p in (split_conjunctions(part) or [part])]
    lex = lexicon_of(card)
    rivals = [tuple(t for j, a in enumerate(answers) if j != n for t in prepare(a, True, lex)) + tuple(competitors)
              for n in range(len(answers))]
    chosen = _assign_gap_parts(answers, parts, rivals, lex)
    matches: list[Match] = []
    notes: list[str] = []
    context = analyze(card.question, lex).stem_set
    unsure: list[int] = []
    for n, answer in enumerate(answers):
        part = chosen[n]
        match = match_typed(typed(part, lex), prepare(answer, True, lex), rivals[n])
        if not match.accepted and part:
            match = _without_context(part, answer, context, lex, rivals[n]) or match
        if not match.accepted and match.rival is None and part:
            judged = _judge_gap(card, part, answer, lex, siblings, context)
            if judged == "correct":
                match = Match(True, target=display(answer), reworded=True)
            elif judged == "unsure":
                unsure.append(n)
        matches.append(match)
        label = f"gap {n + 1}: " if len(answers) > 1 else ""
        if match.accepted or match.rival is not None:
            note = match_note(part, match)
            if note:
                notes.append(label + note)
        elif len(answers) > 1:
            notes.append(f"{label}expected {display(answer)}" + (f", not '{short(part, 30)}'" if part else ""))
    right = sum(m.accepted for m in matches)
    if len(parts) > len(answers):
        notes.append(f"{len(parts) - len(answers)} more than the {len(answers)} gaps")
    doubtful = right + len(unsure) == len(answers) and bool(unsure)
    return GradeResult(
        right == len(answers), round(right / len(answers), 3), expected_text(card), "; ".join(notes),
        typo=any(m.typo for m in matches), accent_only=any(m.accent_only for m in matches),
        matched=tuple(display(a) for a, m in zip(answers, matches) if m.accepted),
        missing=tuple(display(a) for a, m in zip(answers, matches) if not m.accepted),
        verdict="unsure" if doubtful else "",
    )


def _judge_gap(card: Card, part: str, answer: str, lex: Lexicon, siblings: Sequence[Card],
               context: frozenset[str]) -> str:
    """A gap of several key words ("suite of software, data and analytical tools") read for its
    ideas like a short basic answer; one- and two-word gaps stay exact (typos forgiven)."""
    targets = prepare(answer, True, lex)
    read = typed(part, lex).words_read
    if not targets or not read.stems or len(set(targets[0].words_read.stems)) < 3:
        return ""
    weigh = rarity(siblings, [t for s in siblings for t in (s.question, *s.expected[:1])], lex)
    reading = best_reading(read, targets[:1], weigh, context, cores((answer,), lambda a: prepare(a, True, lex)))
    if reading is None:
        return ""
    return verdict(reading, short=len(set(targets[0].words_read.stems)) <= 3)


def _without_context(part: str, answer: str, context: frozenset[str], lex: Lexicon,
                     rivals: Sequence[Target]) -> Match | None:
    """A gap filled with words of the sentence around it ("relationship building" for
    "relationship {{building}}"): the gap's own words, with the repeated context set aside."""
    read = typed(part, lex).words_read
    if read is None or len(read.stems) < 2:
        return None
    kept = [w for w, s in zip(read.surface, read.stems) if s not in context]
    if not kept or len(kept) == len(read.stems):
        return None
    negation = "not " if read.negated else ""
    match = match_typed(typed(negation + " ".join(kept), lex), prepare(answer, True, lex), rivals)
    return match if match.accepted else None


def _assign_gap_parts(answers: list[str], parts: list[str], rivals: list[tuple], lex: Lexicon) -> list[str]:
    """Which typed part fills which gap: in order first, then any unused part that fits.

    Gaps hidden together are one recall; a teacher accepts "dynamic and iterative" for
    "{{c1::iterative}} and {{c1::dynamic}}", so the order of the parts only breaks ties.
    """
    chosen = [parts[n] if n < len(parts) else "" for n in range(len(answers))]
    fits = [match_typed(typed(chosen[n], lex), prepare(a, True, lex), rivals[n]).accepted for n, a in enumerate(answers)]
    if all(fits) or len(answers) == 1:
        return chosen
    used = {n for n, ok in enumerate(fits) if ok and n < len(parts)}
    for n, answer in enumerate(answers):
        if fits[n]:
            continue
        for index, part in enumerate(parts):
            if index not in used and match_typed(typed(part, lex), prepare(answer, True, lex), rivals[n]).accepted:
                chosen[n], fits[n] = part, True
                used.add(index)
                break
    for n, ok in enumerate(fits):  # a part that went to another gap is no longer this gap's answer
        if not ok and n < len(parts) and n in used:
            chosen[n] = ""
    return chosen


_GRADERS = {
    "basic": _grade_basic,
    "list": grade_list,
    "sequence": grade_sequence,
    "cloze": _grade_cloze,
    "choice": grade_choice,
}
