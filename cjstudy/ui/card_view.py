"""How each card type looks, as Rich renderables shared by `show`, `study` and `exam`."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from cjstudy.deck.media import MEDIA_REF
from cjstudy.model import Card

LETTERS = "abcdefghijklmnopqrstuvwxyz"

TYPE_LABEL = {
    "basic": "recall",
    "cloze": "fill the gap",
    "list": "list",
    "sequence": "put in order",
    "choice": "choose",
}


MEDIA_STYLE = "magenta"


def with_media(text: str, style: str = "", mark: str | None = None) -> Text:
    """Text with each `[image: media/heart.png]` shown as one short `[image: heart.png]`."""
    result = Text(style=style)
    pos = 0
    for match in MEDIA_REF.finditer(text):
        before = text[pos:match.start()]
        result.append_text(marked(before, mark) if mark else Text(before))
        result.append(f"[{match.group(1)}: {match.group(2).rsplit('/', 1)[-1]}]", style=MEDIA_STYLE)
        pos = match.end()
    rest = text[pos:]
    result.append_text(marked(rest, mark) if mark else Text(rest))
    return result


def hanging(prefix: str, body: Text | str, style: str = "") -> RenderableType:
    """`prefix` then `body`, wrapped lines indented under the body (a hanging indent)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1) if prefix.strip() else (0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(prefix, style=style), body if isinstance(body, Text) else Text(body, style=style))
    return grid


def _answer_lines(answer: str, style: str) -> list[RenderableType]:
    """A list or sequence answer ('1. …', '- …' lines) with hanging indents; other text as is."""
    import re

    lines = answer.splitlines() or [answer]
    if len(lines) < 2:
        return [with_media(answer, style)]
    out: list[RenderableType] = []
    for line in lines:
        match = re.match(r"^(\s*(?:\d+[.)]|[-•*]))\s+(.*)$", line)
        out.append(hanging(match.group(1), with_media(match.group(2), style), style) if match
                   else with_media(line, style))
    return out


def marked(text: str, style: str = "bold cyan") -> Text:
    """Highlight `[...]` spans (cloze gaps and revealed answers) so they stand out in colour."""
    if MEDIA_REF.search(text):
        return with_media(text, mark=style)
    result = Text()
    depth_start = None
    for index, char in enumerate(text):
        if char == "[" and depth_start is None:
            depth_start = index
        elif char == "]" and depth_start is not None:
            result.append(text[depth_start:index + 1], style=style)
            depth_start = None
        elif depth_start is None:
            result.append(char)
    if depth_start is not None:
        result.append(text[depth_start:])
    return result


def hint_on_demand(card: Card) -> str | None:
    """The hint a student asks for (h, or Enter on an empty typed answer); None when there is
    none or it is already in the question (a cloze gap's own hint shows as `[… hint: …]`)."""
    if not card.hint:
        return None
    if card.type == "cloze" and any(getattr(gap, "hint", None) for gap in card.gaps or ()):
        return None
    return card.hint


def question_body(card: Card, options: tuple[str, ...] | None = None, show_hint: bool = True) -> RenderableType:
    """The prompt as the student first sees it; `options` lets the caller pass a shuffled order.

    `show_hint=False` leaves the card's hint out (study shows it when asked); `show` keeps it."""
    parts: list[RenderableType] = [marked(card.question) if card.type == "cloze" else with_media(card.question)]
    if card.type == "list":
        needed = card.min or len(card.items)
        suffix = f" (at least {needed})" if card.min and card.min < len(card.items) else ""
        parts.append(Text(f"{len(card.items)} items{suffix}", style="dim"))
    elif card.type == "sequence":
        parts.append(Text(f"{len(card.items)} steps, in order", style="dim"))
    elif card.type == "choice":
        shown = options if options is not None else card.options
        for letter, option in zip(LETTERS, shown):
            parts.append(hanging(f"  {letter})", option))
        if card.multiple_answers:
            parts.append(Text("pick all that apply", style="dim"))
    if show_hint and hint_on_demand(card):
        parts.append(Text(f"hint: {card.hint}", style="dim italic"))
    return Group(*parts)


def answer_body(card: Card, options: tuple[str, ...] | None = None) -> RenderableType:
    """The answer, then the explanation; with `options` (the order shown), choices keep their letters."""
    parts: list[RenderableType] = []
    if card.type == "cloze":
        parts.append(marked(card.shown_answer, "bold green"))
    elif card.type == "choice" and options is not None:
        for letter, option in zip(LETTERS, options):
            if option in card.correct_options:
                parts.append(hanging(f"✓ {letter})", option, "bold green"))
    elif card.type == "choice":
        for option in card.correct_options:
            parts.append(hanging("✓", option, "bold green"))
    else:
        parts.extend(_answer_lines(card.shown_answer, "bold green"))
    also = also_accepted(card)
    if also:
        parts.append(Text(f"also accepted: {'; '.join(also)}", style="dim"))
    if card.explanation:
        parts.append(Text(""))
        parts.append(with_media(card.explanation, "italic"))
    return Group(*parts)


def also_accepted(card: Card) -> list[str]:
    """Other wordings a typed answer may use, in plain words (grading.text.plain_answer)."""
    from cjstudy.grading.text import plain_answer

    if card.type == "basic":
        answers = card.expected + card.accept
    elif card.type == "cloze":
        answers = tuple(g.answer for g in card.gaps)
    elif card.type in ("list", "sequence"):
        answers = card.items
    else:
        return []
    shown = " ".join(card.shown_answer.casefold().split())
    forms: list[str] = []
    for index, answer in enumerate(answers):
        first, others = plain_answer(answer)
        # the first reading of a basic card's accepted answers is itself another wording
        candidates = others if card.type != "basic" or index == 0 else [first, *others]
        for form in candidates:
            if form and form.casefold() not in shown and form not in forms:
                forms.append(form)
    return forms[:8]


def marked_words(text: str, words: tuple[str, ...], language: str = "en", style: str = "bold green") -> Text:
    """`text` with the words whose stem is among `words` (the key words a typed answer had) marked."""
    import re

    from cjstudy.grading.lang import stem
    from cjstudy.grading.text import normalize

    wanted = {stem(w, language) for phrase in words for w in normalize(phrase).split()}
    out = Text()
    for piece in re.split(r"(\w+)", text):
        plain = normalize(piece)
        out.append(piece, style=style if plain and stem(plain, language) in wanted else "")
    return out


def card_panel(card: Card, *, reveal: bool, subtitle: str = "", options: tuple[str, ...] | None = None) -> Panel:
    body: list[RenderableType] = [question_body(card, options)]
    if reveal:
        body += [Text(""), answer_body(card)]
    title = f"{card.key.address} · {TYPE_LABEL.get(card.type, card.type)}"
    tags = " ".join(f"#{t}" for t in card.tags)
    return Panel(Group(*body), title=title, title_align="left", subtitle=subtitle or tags or None,
                 subtitle_align="right", padding=(0, 1))
