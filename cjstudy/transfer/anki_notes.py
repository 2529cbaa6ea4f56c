"""One Anki note to cjstudy card entries, read through its note type's templates.

Every Anki card of the note becomes one study card with its own key, so its history follows
it. Which fields a card asks and answers comes from its template, never from the note type's
name: a note type whose second template asks the first's answer is a basic card with
`reverse: true`; a cloze note type (any field with `{{cloze:…}}`) is a cloze card; any other
template set gives one basic card per template. Nested clozes are flattened per gap number.
"""

from __future__ import annotations

from collections import Counter
import re
from dataclasses import dataclass, field
from typing import Protocol

from cjstudy.transfer import anki_cloze, anki_templates
from cjstudy.transfer.anki_collection import STOCK_IMAGE_OCCLUSION, CardRow, NoteRow, NoteTypeInfo
from cjstudy.transfer.html_text import MediaNamer, html_to_text
from cjstudy.transfer.ids import card_id_from_guid, clean_tag

NO_ANSWER = "(no answer side in Anki)"


@dataclass
class Entry:
    """One cjstudy card entry and the Anki cards (by ord) it stands for."""

    deck: int  # Anki deck id (the home deck)
    card: dict[str, object]
    variants: dict[int, str]  # Anki card ord -> cjstudy variant ("" | "reverse" | "cN")
    # Anki cards with nothing left to show (a cloze whose gap was deleted: Anki's "empty
    # cards"): no study card, but their reviews are kept in the history under this variant.
    history_only: dict[int, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.variants)


class OcclusionMedia(Protocol):
    """What Image Occlusion needs from the media side: an image's first bytes, and new files."""

    def head(self, name: str) -> bytes | None: ...

    def add_bytes(self, wanted: str, data: bytes) -> str: ...


@dataclass
class NoteContext:
    media: MediaNamer | None
    dropped_media: list[str]
    skipped: Counter[str]
    notices: Counter[str]
    occlusion: OcclusionMedia | None = None


def _text(value: str, ctx: NoteContext) -> str:
    """Terminal text of rendered HTML, with the context's media references."""
    cleaned = html_to_text(value, ctx.media, source_newlines=False)
    ctx.dropped_media.extend(cleaned.media)
    return cleaned.text


def _is_image_occlusion(notetype: NoteTypeInfo, fields: dict[str, str], cloze_names: list[str]) -> bool:
    if notetype.stock_kind == STOCK_IMAGE_OCCLUSION:
        return True
    return any("image-occlusion:" in fields.get(name, "") for name in cloze_names)


def convert_note(note: NoteRow, notetype: NoteTypeInfo, cards: list[CardRow], ctx: NoteContext) -> list[Entry]:
    """The entries for one note; what cannot become a card is counted in `ctx.skipped`."""
    base_id = card_id_from_guid(note.guid)
    tags = list(dict.fromkeys(t for t in (clean_tag(tag) for tag in note.tags) if t))
    values = list(note.fields) + [""] * max(0, len(notetype.fields) - len(note.fields))
    fields = dict(zip(notetype.fields, values))
    templates = notetype.templates
    if not templates:
        ctx.skipped["notes of a note type without templates"] += 1
        return []
    if notetype.is_cloze:
        return _cloze(base_id, tags, fields, notetype, cards, ctx)
    return _templated(base_id, tags, fields, notetype, cards, ctx)


def _answer_only(answer: str, question: str, answer_template: str) -> str:
    """The answer side without the question: `{{FrontSide}}` already rendered empty; a template
    that repeats the question itself loses the lines the question shows."""
    if anki_templates.uses_front_side(answer_template):
        return answer
    asked = set(question.split("\n"))
    lines = [line for line in answer.split("\n") if line not in asked or not line.strip()]
    return "\n".join(lines).strip()


def _sides(fields: dict[str, str], question: str, answer: str, ctx: NoteContext) -> tuple[str, str]:
    """A card's question and answer text."""
    front = _text(anki_templates.render(question, fields), ctx)
    back = _text(anki_templates.render(answer, fields, answer=True), ctx)
    return front, _answer_only(back, front, answer)


def _templated(base_id: str, tags: list[str], fields: dict[str, str], notetype: NoteTypeInfo,
               cards: list[CardRow], ctx: NoteContext) -> list[Entry]:
    sides: dict[int, tuple[str, str]] = {}
    home: dict[int, int] = {}
    for card in sorted(cards, key=lambda c: c.ord):
        if not 0 <= card.ord < len(notetype.templates):
            ctx.skipped["cards whose template is missing"] += 1
            continue
        template = notetype.templates[card.ord]
        front, back = _sides(fields, template.question, template.answer, ctx)
        if not front:
            ctx.skipped["cards with an empty question"] += 1
            continue
        sides[card.ord] = (front, back)
        home[card.ord] = card.own_deck
    if not sides:
        return []
    ords = sorted(sides)
    if len(ords) == 2 and _reversed(notetype, fields, ords, sides, ctx):
        first, second = ords
        front, back = sides[first]
        entry = {"id": base_id, "front": front, "back": back, "reverse": True}
        if tags:
            entry["tags"] = tags
        return [Entry(home[first], entry, {first: "", second: "reverse"})]
    entries = []
    for ord_ in ords:
        front, back = sides[ord_]
        card_id = base_id if ord_ == ords[0] else f"{base_id}-t{ord_ + 1}"
        entry = {"id": card_id, "front": front, "back": back or NO_ANSWER}
        if not back:
            ctx.notices[f"question-only cards, imported with the back '{NO_ANSWER}'"] += 1
        if tags:
            entry["tags"] = tags
        entries.append(Entry(home[ord_], entry, {ord_: ""}))
    return entries


def _reversed(notetype: NoteTypeInfo, fields: dict[str, str], ords: list[int],
              sides: dict[int, tuple[str, str]], ctx: NoteContext) -> bool:
    """True when the second card asks what the first answers and answers what it asks."""
    (q1, a1), (q2, a2) = sides[ords[0]], sides[ords[1]]
    if not (q1 and a1 and q2 and a2):
        return False
    if q1 == a2 and a1 == q2:
        return True
    first, second = notetype.templates[ords[0]], notetype.templates[ords[1]]
    names = anki_templates.field_names
    return (names(first.question) == names(second.answer) and names(first.answer) == names(second.question)
            and bool(names(first.question)))


def _cloze(base_id: str, tags: list[str], fields: dict[str, str], notetype: NoteTypeInfo,
           cards: list[CardRow], ctx: NoteContext) -> list[Entry]:
    template = notetype.templates[0]
    cloze_names = anki_templates.cloze_fields(template.question)
    if _is_image_occlusion(notetype, fields, cloze_names):
        entries = _occlusion(base_id, tags, fields, notetype, cards, cloze_names, ctx)
        if not entries:
            ctx.skipped["Image Occlusion notes (no image, or an image of unknown size)"] += 1
        return entries
    text = _text(anki_templates.render(template.question, fields), ctx)
    asked = html_to_text(anki_templates.render(template.question, fields, clozes=False),
                         ctx.media, source_newlines=False).text  # only to compare with: no warnings
    extra = _text(anki_templates.render(template.answer, fields, clozes=False), ctx)
    extra = _answer_only(extra, asked, template.answer)
    numbers = anki_cloze.numbers(text)
    by_ord = {card.ord: card for card in cards}
    wanted = sorted(n for n in numbers if n - 1 in by_ord and n >= 1)
    missing = [o for o in by_ord if o + 1 not in numbers]
    if not wanted:
        if missing:
            ctx.skipped["cloze cards whose gap is no longer in the text"] += len(missing)
        else:
            ctx.skipped["cloze notes without usable gaps"] += 1
        return []
    if missing:
        ctx.notices["cloze cards whose gap is no longer in the text (Anki's empty cards): no study card, "
                    "their reviews kept in the history"] += len(missing)
    orphans = {o: f"c{o + 1}" for o in missing}
    from cjstudy.deck import cloze

    home = by_ord[wanted[0] - 1].own_deck
    if not anki_cloze.is_nested(text) and not cloze.check(text) and \
            {g.number for g in cloze.find_gaps(text)} == numbers:
        return [Entry(home, _cloze_entry(base_id, text, extra, tags), {n - 1: f"c{n}" for n in wanted}, orphans)]
    entries = []
    for number in wanted:
        flat = anki_cloze.flatten(text, number)
        if cloze.check(flat):
            ctx.skipped["cloze cards with a malformed gap"] += 1
            continue
        entries.append(Entry(by_ord[number - 1].own_deck, _cloze_entry(f"{base_id}-c{number}", flat, extra, tags),
                             {number - 1: f"c{number}"}))
    if entries:
        entries[0].history_only.update(orphans)
    return entries


def _cloze_entry(card_id: str, text: str, extra: str, tags: list[str]) -> dict[str, object]:
    entry: dict[str, object] = {"id": card_id, "type": "cloze", "text": text}
    if extra:
        entry["explanation"] = extra
    if tags:
        entry["tags"] = tags
    return entry


_IMG = re.compile(r"""<img[^>]*?src=["']?([^"'>]+)""", re.IGNORECASE)


def _occlusion(base_id: str, tags: list[str], fields: dict[str, str], notetype: NoteTypeInfo,
               cards: list[CardRow], cloze_names: list[str], ctx: NoteContext) -> list[Entry]:
    """One image card per Anki card: SVGs with the masks drawn, the Header as the prompt."""
    from cjstudy.transfer import anki_occlusion

    if ctx.occlusion is None or ctx.media is None:
        return []
    masks = [m for name in cloze_names for m in anki_occlusion.masks(fields.get(name, ""))]
    image = next((m.group(1) for name, value in fields.items() if name not in cloze_names
                  for m in [_IMG.search(value)] if m), None)
    head = ctx.occlusion.head(image) if image else None
    size = anki_occlusion.image_size(head) if head else None
    reference = ctx.media(image, "image") if image and size else None
    if reference is None or size is None:
        return []
    image_file = reference.rsplit("/", 1)[-1]
    stem = image_file.rsplit(".", 1)[0]
    text_fields = [name for name in notetype.fields if name not in cloze_names
                   and not _IMG.search(fields.get(name, ""))]
    header = _text(fields.get(text_fields[0], ""), ctx) if text_fields else ""
    extra = "\n".join(t for t in (_text(fields.get(n, ""), ctx) for n in text_fields[1:2]) if t)
    entries = []
    for card in sorted(cards, key=lambda c: c.ord):
        number = card.ord + 1
        if not any(m.number == number for m in masks):
            continue
        paths = []
        for answer in (False, True):
            svg = anki_occlusion.card_svg(image_file, size, masks, number, answer=answer)
            suffix = "answer" if answer else "question"
            paths.append(ctx.occlusion.add_bytes(f"{stem}-{base_id}-c{number}-{suffix}.svg", svg.encode("utf-8")))
        prompt = "What does the orange mask hide?"
        front = "\n".join(t for t in (header, f"[image: {paths[0]}]", prompt) if t)
        labels = [m.props.get("text", "") for m in masks if m.number == number and m.props.get("text")]
        back = "\n".join(t for t in (f"[image: {paths[1]}]", " / ".join(labels), extra) if t)
        entry: dict[str, object] = {"id": f"{base_id}-c{number}", "front": front, "back": back,
                                    "explanation": f"The whole image: [image: {reference}]"}
        if tags:
            entry["tags"] = tags
        entries.append(Entry(card.own_deck, entry, {card.ord: ""}))
    return entries
