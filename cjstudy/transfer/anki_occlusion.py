"""Image Occlusion notes as image cards: one SVG per card with the masks drawn over the image.

Anki stores each mask as a cloze `{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}`
(fractions of the image since Anki 23.10, pixels before) and draws them with JavaScript. A
terminal cannot draw, so each card gets two small SVG files that any image viewer opens: the
question (the card's own masks in orange, with `oi=1` every other mask grey as well) and the
answer (the card's masks as outlines). The SVG links to the image next to it, so the image is
stored once. The image's size is read from its header (PNG, GIF, JPEG, WebP); without it the
note is skipped with a counted warning.
"""

from __future__ import annotations

import html
import re
import struct
from dataclasses import dataclass

_MASK = re.compile(r"\{\{c(\d+)::image-occlusion:(rect|ellipse|polygon|text):([^{}]*)\}\}")


@dataclass(frozen=True)
class Mask:
    number: int
    shape: str
    props: dict[str, str]

    @property
    def occlude_all(self) -> bool:
        return self.props.get("oi") == "1"


def masks(occlusion_field: str) -> list[Mask]:
    found = []
    for match in _MASK.finditer(occlusion_field):
        props = {}
        for part in match.group(3).split(":"):
            key, _, value = part.partition("=")
            props[key.strip()] = value.strip()
        found.append(Mask(int(match.group(1)), match.group(2), props))
    return found


def image_size(head: bytes) -> tuple[int, int] | None:
    """Width and height from the first bytes of a PNG, GIF, JPEG or WebP file."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        if head[12:16] == b"VP8X":
            width = int.from_bytes(head[24:27], "little") + 1
            return width, int.from_bytes(head[27:30], "little") + 1
        if head[12:16] == b"VP8 ":
            return struct.unpack("<HH", head[26:30])[0] & 0x3FFF, struct.unpack("<HH", head[26:30])[1] & 0x3FFF
    if head.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(head):
            if head[pos] != 0xFF:
                return None
            marker = head[pos + 1]
            length = struct.unpack(">H", head[pos + 2:pos + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", head[pos + 5:pos + 9])
                return width, height
            pos += 2 + length
    return None


def _number(value: str, scale: float) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return number * scale if number <= 1.0 else number  # fractions (Anki 23.10+) or pixels


def _shape_svg(mask: Mask, width: int, height: int, style: str) -> str:
    p = mask.props
    if mask.shape == "polygon":
        points = []
        for pair in p.get("points", "").split():
            x, _, y = pair.partition(",")
            points.append(f"{_number(x, width):.1f},{_number(y, height):.1f}")
        return f'<polygon points="{" ".join(points)}" {style}/>'
    left, top = _number(p.get("left", "0"), width), _number(p.get("top", "0"), height)
    w, h = _number(p.get("width", "0"), width), _number(p.get("height", "0"), height)
    if mask.shape == "ellipse":
        rx, ry = _number(p.get("rx", "0"), width) or w / 2, _number(p.get("ry", "0"), height) or h / 2
        return f'<ellipse cx="{left + rx:.1f}" cy="{top + ry:.1f}" rx="{rx:.1f}" ry="{ry:.1f}" {style}/>'
    return f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" {style}/>'


_HIDE = 'fill="#ff8e2b" stroke="#212121" stroke-width="{w}"'
_OTHER = 'fill="#ffeba2" stroke="#212121" stroke-width="{w}"'
_SHOWN = 'fill="none" stroke="#ff3b30" stroke-width="{w2}"'


def card_svg(image_name: str, size: tuple[int, int], all_masks: list[Mask], number: int, *, answer: bool) -> str:
    """The question (or answer) image of card `number` as SVG text linking to `image_name`."""
    width, height = size
    line = max(1.0, round(max(width, height) / 300, 1))
    styles = {key: value.format(w=line, w2=line * 2) for key, value in
              (("hide", _HIDE), ("other", _OTHER), ("shown", _SHOWN))}
    shapes = []
    for mask in all_masks:
        if mask.number == number:
            shapes.append(_shape_svg(mask, width, height, styles["shown" if answer else "hide"]))
        elif mask.occlude_all:
            shapes.append(_shape_svg(mask, width, height, styles["other"]))
    href = html.escape(image_name, quote=True)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
            f'<image href="{href}" xlink:href="{href}" width="{width}" height="{height}"/>\n'
            + "\n".join(shapes) + "\n</svg>\n")
