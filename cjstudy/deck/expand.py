"""Turn the notes an instructor wrote into the cards a student studies.

One basic note may give two cards (`reverse: true`); one cloze note gives a card per
distinct gap number. Each card's key is (deck id, card id, variant): the text is not part
of it, so editing a card keeps its progress.
"""

from __future__ import annotations

from cjstudy.deck import cloze
from cjstudy.model import Card, CardKey, Note


def expand_note(deck_id: str, deck_tags: tuple[str, ...], note: Note) -> list[Card]:
    tags = tuple(dict.fromkeys(deck_tags + note.tags))
    common = dict(hint=note.hint, explanation=note.explanation, tags=tags, line=note.line)
    key = CardKey(deck_id, note.id)
    if note.type == "basic":
        return _basic(key, note, common)
    if note.type == "cloze":
        return _cloze(key, note, common)
    if note.type in ("list", "sequence"):
        shown = "\n".join(f"{n}. {cloze.display(item)}" for n, item in enumerate(note.items, 1))
        return [Card(key, note.type, note.prompt, shown, expected=note.items, items=note.items,
                     min=note.min, **common)]
    if note.type == "choice":
        shown = "; ".join(note.answers)
        return [Card(key, "choice", note.prompt, shown, expected=note.answers, options=note.options,
                     correct_options=note.answers, shuffle=note.shuffle, **common)]
    raise ValueError(f"unknown card type {note.type!r}")  # validate.py only lets known types through


def _basic(key: CardKey, note: Note, common: dict) -> list[Card]:
    cards = [Card(key, "basic", note.front, note.back, expected=(note.answer or note.back,),
                  accept=note.accept, **common)]
    if note.reverse:
        reverse_common = dict(common, hint=None)
        cards.append(Card(CardKey(key.deck, key.card, "reverse"), "basic", note.back, note.front,
                          expected=(note.front,), **reverse_common))
    return cards


def _cloze(key: CardKey, note: Note, common: dict) -> list[Card]:
    gaps = cloze.find_gaps(note.text)
    cards = []
    for number in sorted({gap.number for gap in gaps}):
        own = tuple(gap for gap in gaps if gap.number == number)
        hint = " / ".join(g.hint for g in own if g.hint) or common["hint"]
        cards.append(Card(
            CardKey(key.deck, key.card, f"c{number}"), "cloze",
            question=cloze.render(note.text, number),
            shown_answer=cloze.reveal(note.text, number),
            expected=tuple(g.answer for g in own),
            gaps=own,
            **dict(common, hint=hint),
        ))
    return cards
