"""Shared by the Anki and CSV importers: gather cards into decks, write and self-check the YAML.

An importer hands over plain card dictionaries; this module picks a language when none was
given, writes the YAML and parses it back with the real deck loader, so a file that would not
load is never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cjstudy.errors import TransferError
from cjstudy.transfer.yaml_writer import dump_deck

_NL = {"de", "het", "een", "van", "en", "is", "wat", "niet", "zijn", "voor", "klant", "op", "dat", "die", "met", "welke", "hoe"}
_EN = {"the", "a", "of", "and", "is", "what", "not", "are", "for", "customer", "on", "that", "which", "with", "how", "to"}


@dataclass
class DeckDraft:
    id: str
    title: str
    description: str = ""
    source: str = ""
    language: str | None = None
    cards: list[dict[str, object]] = field(default_factory=list)
    card_count: int = 0  # study cards the notes expand into, as the importer counted them

    @property
    def filename(self) -> str:
        return f"{self.id}.yaml"


def guess_language(texts: list[str]) -> str:
    """`nl` when Dutch function words outnumber English ones, `en` when English ones do; `und`
    (undetermined) when neither makes up one word in eight, so a Japanese or German
    deck is not labelled English."""
    plain = re.sub(r"\[(?:image|sound): [^\]]*\]|\(missing \w+: [^)]*\)|\{\{c\d+::", " ", " ".join(texts))
    words = re.findall(r"\w+", plain.lower())
    dutch = sum(1 for w in words if w in _NL)
    english = sum(1 for w in words if w in _EN)
    if not words or max(dutch, english) * 8 < len(words):
        return "und"
    return "nl" if dutch > english else "en"


def render(draft: DeckDraft, comments: list[str] | None = None) -> str:
    """The deck as YAML text, checked by the deck loader; a failure is our bug, reported clearly."""
    from cjstudy.deck import parse_deck

    if draft.language is None:
        texts = [str(v) for card in draft.cards for k, v in card.items() if k in ("front", "back", "text")]
        draft.language = guess_language(texts)
    header = {"deck": draft.id, "title": draft.title, "language": draft.language,
              "description": draft.description, "source": draft.source}
    text = dump_deck(header, draft.cards, comments or [])
    result = parse_deck(text.encode("utf-8"), draft.filename)
    errors = [p for p in result.problems if p.is_error]
    if errors or result.deck is None:
        first = errors[0] if errors else "no deck"
        raise TransferError(f"generated deck {draft.filename} does not validate ({first}); nothing written")
    if len(result.deck.cards) != draft.card_count:
        raise TransferError(f"generated deck {draft.filename} has {len(result.deck.cards)} cards, "
                            f"expected {draft.card_count}; nothing written")
    return text
