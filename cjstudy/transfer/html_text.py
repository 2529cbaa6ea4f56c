"""HTML field content to terminal text and back.

Anki fields are HTML; cjstudy cards are plain text (rendered by Rich). Import keeps the layout
a reader needs: line breaks, list items, table rows as aligned columns, `<pre>` indentation,
`mc<sup>2</sup>` as `mc²` (or `mc^2` when no superscript character exists), ruby as
`漢字(かんじ)`, and media as `[image: …]` / `[sound: …]` references when the caller knows where
the file went (otherwise they are listed as dropped). Export escapes text so that `<`, `&` and
line breaks survive the trip into Anki.

This is the standard library's `html.parser` on purpose: inscriptis (the best-kept HTML-to-text
library on PyPI) aligns tables and keeps `<pre>` too, but writes `mc<sup>2</sup>` as `mc2` and
ruby as `漢kan`, and brings lxml and requests (see docs/interop.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "section",
          "article", "header", "footer", "figure", "figcaption", "dl", "dt", "dd"}
_SKIP = {"script", "style", "rp", "head", "title"}
_SOUND = re.compile(r"\[sound:([^\[\]]*)\]")
_SOFT = "\x00"  # a block boundary: several in a row make one line break
_KEEP_SPACE = "\x01"  # a space inside <pre>, safe from squeezing
_SUP = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_MAX_TABLE_WIDTH = 78

MediaNamer = Callable[[str, str], "str | None"]  # (Anki file name, kind) -> reference path or None


@dataclass
class CleanText:
    text: str
    media: list[str] = field(default_factory=list)  # media references that were dropped


class _Collector(HTMLParser):
    def __init__(self, namer: MediaNamer | None, source_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.buffers: list[list[str]] = [[]]  # the innermost one collects output (sup, rt, cells)
        self.media: list[str] = []
        self.namer = namer
        self.source_newlines = source_newlines
        self.skipping = 0
        self.pre = 0
        self.list_depth: list[str] = []
        self.counters: list[int] = []
        self.tables: list[list[list[str]]] = []  # rows of cell texts, one list per open table
        self.wrappers: list[str] = []  # what each extra buffer is for: sup, sub, rt, cell

    @property
    def parts(self) -> list[str]:
        return self.buffers[-1]

    def _media(self, name: str, kind: str) -> None:
        reference = self.namer(name, kind) if self.namer and name else None
        if reference is None:
            self.media.append(name or kind)
            if self.namer is not None:  # the card still says something was there
                shown = _one_line(name.replace("[", "(").replace("]", ")")) or kind
                self.parts.append(f" (missing {kind}: {shown}) ")
        else:
            self.parts.append(f" [{kind}: {reference}] ")

    def _push(self, what: str) -> None:
        self.buffers.append([])
        self.wrappers.append(what)

    def _pop(self, what: str) -> str | None:
        if not self.wrappers or self.wrappers[-1] != what:
            return None
        self.wrappers.pop()
        return "".join(self.buffers.pop())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            self._media(values.get("src") or "", "image")
        elif tag in ("audio", "video", "source", "embed", "cj-sound"):
            if values.get("src"):
                self._media(values["src"] or "", "sound")
        elif tag == "object":
            self._media(values.get("data") or "", "image")
        elif tag in ("ul", "ol"):
            self.parts.append(_SOFT)
            self.list_depth.append(tag)
            self.counters.append(0)
        elif tag == "li":
            self.parts.append(_SOFT + _KEEP_SPACE * 2 * max(0, len(self.list_depth) - 1))
            if self.list_depth and self.list_depth[-1] == "ol":
                self.counters[-1] += 1
                self.parts.append(f"{self.counters[-1]}. ")
            else:
                self.parts.append("- ")
        elif tag == "pre":
            self.pre += 1
            self.parts.append(_SOFT)
        elif tag in ("sup", "sub", "rt"):
            self._push(tag)
        elif tag == "table":
            self.parts.append(_SOFT)
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._close_cell()
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._close_cell()
            if not self.tables[-1]:
                self.tables[-1].append([])
            self._push("cell")
        elif tag in _BLOCK or tag == "hr":
            self.parts.append(_SOFT)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("sup", "sub", "rt", "td", "th") or tag in _SKIP:
            self.handle_endtag(tag)

    def _close_cell(self) -> None:
        text = self._pop("cell")
        if text is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(_one_line(text))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("ul", "ol"):
            if self.list_depth:
                self.list_depth.pop()
                self.counters.pop()
            self.parts.append(_SOFT)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.parts.append(_SOFT)
        elif tag in ("sup", "sub"):
            text = self._pop(tag)
            if text is not None:
                self.parts.append(_script(text, tag))
        elif tag == "rt":
            text = self._pop("rt")
            if text is not None and text.strip():
                self.parts.append(f"({text.strip()})")
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self.tables:
            self._close_cell()
            rows = [row for row in self.tables.pop() if any(cell for cell in row)]
            self.parts.append(_SOFT + _table(rows) + _SOFT)
        elif tag in _BLOCK or tag == "li":
            self.parts.append(_SOFT)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        data = data.replace(_SOFT, "").replace(_KEEP_SPACE, "")
        if self.pre:
            data = data.replace(" ", _KEEP_SPACE).replace("\t", _KEEP_SPACE * 4)
        elif not self.source_newlines:
            data = data.replace("\r", " ").replace("\n", " ")
        self.parts.append(data)

    def result(self) -> str:
        while len(self.buffers) > 1:  # unclosed sup/rt/cells: keep their text
            what = self.wrappers[-1]
            if what == "cell":
                self._close_cell()
            else:
                text = self._pop(what) or ""
                self.parts.append(text)
        while self.tables:
            rows = self.tables.pop()
            self.parts.append(_SOFT + _table(rows) + _SOFT)
        return "".join(self.buffers[0])


def _one_line(text: str) -> str:
    return " ".join(text.replace(_SOFT, " ").replace(_KEEP_SPACE, " ").split())


def _script(text: str, tag: str) -> str:
    """`2` as `²` (or `₂`) when every character has a Unicode form; otherwise `^2` / `_2`."""
    plain = _one_line(text)
    if not plain:
        return ""
    table = _SUP if tag == "sup" else _SUB
    converted = plain.translate(table)
    if all(a != b for a, b in zip(plain, converted)):
        return converted
    mark = "^" if tag == "sup" else "_"
    return f"{mark}{plain}" if len(plain) == 1 else f"{mark}({plain})"


def _table(rows: list[list[str]]) -> str:
    """Rows as aligned columns; too wide for a terminal, one `a | b | c` line per row."""
    if not rows:
        return ""
    count = max(len(row) for row in rows)
    widths = [max((len(row[i]) for row in rows if i < len(row)), default=0) for i in range(count)]
    if sum(widths) + 3 * (count - 1) > _MAX_TABLE_WIDTH:
        lines = [" | ".join(cell for cell in row) for row in rows]
    else:
        lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(line.replace(" ", _KEEP_SPACE) for line in lines)


# What can begin markup: a tag name, a closing tag, a comment, a declaration or processing
# instruction that closes before the next `<`. `[^<>]*` stops at the next bracket, so the spans
# tried from successive `<` never overlap and the whole pass is linear.
_MARKUP_START = re.compile(r"<(?:/?[A-Za-z][^<>]*>|!--|![^<>]*>|\?[^<>]*>)")


def _escape_stray_brackets(value: str) -> str:
    """`<` that cannot start markup becomes `&lt;` before html.parser sees it: the parser
    rescans from every unclosed `<` (`<b <b <b …` took seconds for 20 KB) and is left with
    plain text, as a browser shows it."""
    if "<" not in value:
        return value
    last_comment_end = value.rfind("-->")
    pieces: list[str] = []
    done = 0
    at = value.find("<")
    while at >= 0:
        match = _MARKUP_START.match(value, at)
        if match is None or (match.group() == "<!--" and last_comment_end < at + 4):
            pieces.append(value[done:at])
            pieces.append("&lt;")
            done = at + 1
        at = value.find("<", at + 1)
    pieces.append(value[done:])
    return "".join(pieces)


def html_to_text(value: str, media: MediaNamer | None = None, *, source_newlines: bool = True) -> CleanText:
    """Field HTML as terminal text: tags gone, entities decoded, layout kept, media referenced or listed.

    `media(name, kind)` gives the reference to write for an Anki media file (None: the file is
    missing, written as `(missing image: name)` and listed); without `media` every image and
    sound is dropped and listed. `source_newlines=False` reads raw
    newlines as spaces, as a browser (and Anki) does; CSV cells keep them as line breaks.
    """
    value = _escape_stray_brackets(_SOUND.sub(lambda m: f'<cj-sound src="{html.escape(m.group(1).strip())}">', value))
    collector = _Collector(media, source_newlines)
    try:
        collector.feed(value)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on some declarations (`<![ x >`)
        collector = _Collector(media, source_newlines)
        collector.feed(value.replace("<!", "&lt;!").replace("<?", "&lt;?"))
        collector.close()
    text = collector.result().replace("\xa0", " ")
    text = re.sub(f"\n?{_SOFT}[{_SOFT}\n]*", _soft_break, text)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip().replace(_KEEP_SPACE, " ").rstrip()
             for line in text.split("\n")]
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    while squeezed and not squeezed[-1]:
        squeezed.pop()
    cleaned = "".join(ch for ch in "\n".join(squeezed) if ch == "\n" or ch >= " " and ch != "\x7f")
    return CleanText(cleaned, collector.media)


def _soft_break(match: re.Match[str]) -> str:
    """Block boundaries next to each other are one break; explicit <br>s among them still count."""
    return "\n" * max(1, match.group(0).count("\n"))


def text_to_html(text: str) -> str:
    """Plain text as field HTML: escaped, line breaks as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def field_checksum_text(value: str) -> str:
    """What Anki sorts and checksums a first field by: its text without markup."""
    return html_to_text(value).text
