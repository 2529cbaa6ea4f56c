"""HTML field content to clean text and back.

Anki fields are HTML; cjstudy cards are plain text (rendered by Rich). Import keeps line
breaks and list items, drops markup and media (reporting that it did), and decodes entities.
Export escapes text so that `<`, `&` and line breaks survive the trip into Anki.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK = {"div", "p", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"}
_SKIP = {"script", "style"}
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_SOFT = "\x00"  # a block boundary: several in a row make one line break


@dataclass
class CleanText:
    text: str
    media: list[str] = field(default_factory=list)  # media references that were dropped


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self.skipping = 0
        self.list_depth: list[str] = []
        self.counters: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("img", "audio", "video", "source", "object", "embed"):
            src = dict(attrs).get("src") or dict(attrs).get("data") or tag
            self.media.append(src)
        elif tag in ("ul", "ol"):
            self.parts.append(_SOFT)
            self.list_depth.append(tag)
            self.counters.append(0)
        elif tag == "li":
            self.parts.append(_SOFT)
            if self.list_depth and self.list_depth[-1] == "ol":
                self.counters[-1] += 1
                self.parts.append(f"{self.counters[-1]}. ")
            else:
                self.parts.append("- ")
        elif tag in _BLOCK or tag == "hr":
            self.parts.append(_SOFT)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("ul", "ol"):
            if self.list_depth:
                self.list_depth.pop()
                self.counters.pop()
            self.parts.append(_SOFT)
        elif tag in _BLOCK or tag == "li":
            self.parts.append(_SOFT)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace(_SOFT, ""))


def html_to_text(value: str) -> CleanText:
    """Field HTML as plain text: tags gone, entities decoded, blank lines squeezed, media listed."""
    media = [m.group(0)[7:-1] for m in _SOUND.finditer(value)]
    value = _SOUND.sub("", value)
    collector = _Collector()
    collector.feed(value)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    text = re.sub(f"\n?{_SOFT}[{_SOFT}\n]*", _soft_break, text)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    while squeezed and not squeezed[-1]:
        squeezed.pop()
    cleaned = "".join(ch for ch in "\n".join(squeezed) if ch == "\n" or ch >= " " and ch != "\x7f")
    return CleanText(cleaned, media + collector.media)


def _soft_break(match: re.Match[str]) -> str:
    """Block boundaries next to each other are one break; explicit <br>s among them still count."""
    return "\n" * max(1, match.group(0).count("\n"))


def text_to_html(text: str) -> str:
    """Plain text as field HTML: escaped, line breaks as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def field_checksum_text(value: str) -> str:
    """What Anki sorts and checksums a first field by: its text without markup."""
    return html_to_text(value).text
