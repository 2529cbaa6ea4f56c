"""Templates, nested clozes, HTML layout and media references: the pure parts of the Anki import,
and the ui helper that opens a card's media."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjstudy.model import Card, CardKey
from cjstudy.transfer import anki_cloze, anki_templates
from cjstudy.transfer.anki_occlusion import image_size, masks
from cjstudy.transfer.html_text import html_to_text

FIELDS = {"Front": "F", "Back": "B", "Empty": "", "Text": "{{c1::a}} {{c2::b}}"}


@pytest.mark.parametrize("template, answer, expected", [
    ("{{Front}}", False, "F"),
    ("{{FrontSide}}<hr id=answer>{{Back}}", True, "<hr id=answer>B"),
    ("{{#Empty}}x{{/Empty}}{{^Empty}}y{{/Empty}}{{#Back}}z{{/Back}}", False, "yz"),
    ("{{Front}} {{type:Back}}", False, "F "),
    ("{{Front}} {{type:Back}}", True, "F B"),
    ("{{cloze:Text}}", False, "{{c1::a}} {{c2::b}}"),
    ("{{text:Front}} {{Missing}} {{Tags}} {{!comment}}", False, "F   "),
    ("{{furigana:Kanji}}", False, "<ruby>漢<rt>かん</rt></ruby>"),
    ("{{#Front}} unclosed", False, " unclosed"),
    ("{{/Front}} stray", False, "{{/Front}} stray"),
])
def test_templates_render_like_anki(template: str, answer: bool, expected: str) -> None:
    fields = dict(FIELDS, Kanji="漢[かん]")
    assert anki_templates.render(template, fields, answer=answer) == expected


def test_template_fields_and_clozes() -> None:
    template = "{{Header}}{{#Extra}}{{Extra}}{{/Extra}}{{cloze:Text}}{{type:cloze:More}}{{FrontSide}}"
    assert anki_templates.field_names(template) == ["Header", "Extra", "Text"]
    assert anki_templates.cloze_fields(template) == ["Text", "More"]
    assert anki_templates.uses_front_side(template)


@pytest.mark.parametrize("text, keep, expected", [
    ("{{c1::outer {{c2::inner}} text}} end", 1, "{{c1::outer inner text}} end"),
    ("{{c1::outer {{c2::inner}} text}} end", 2, "outer {{c2::inner}} text end"),
    ("{{c1::a::hint}} {{c2::b}}", 1, "{{c1::a::hint}} b"),
    ("{{c1::x {{c2::y::h2}}::h1}}", 1, "{{c1::x y::h1}}"),
    ("{{c1::closed }} stray }}", 1, "{{c1::closed }} stray }}"),
    ("a {{c1::never closed", 1, "a {{c1::never closed"),
])
def test_nested_clozes_flatten_per_card(text: str, keep: int, expected: str) -> None:
    assert anki_cloze.flatten(text, keep) == expected


def test_nested_cloze_numbers() -> None:
    assert anki_cloze.numbers("{{c1::a {{c3::b}}}} {{c2::c}}") == {1, 2, 3}
    assert anki_cloze.is_nested("{{c1::a {{c3::b}}}}") and not anki_cloze.is_nested("{{c1::a}} {{c2::b}}")


@pytest.mark.parametrize("html, text", [
    ("<table><tr><th>A</th><th>Bee</th></tr><tr><td>long cell</td><td>1</td></tr></table>",
     "A         | Bee\nlong cell | 1"),
    ("<pre>  x\n    y</pre>", "  x\n    y"),
    ("E = mc<sup>2</sup>; x<sup>ab</sup>; H<sub>2</sub>O", "E = mc²; x^(ab); H₂O"),
    ("<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>", "漢字(かんじ)"),
    ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"),
    ("a\nb", "a\nb"),
])
def test_layout_becomes_terminal_text(html: str, text: str) -> None:
    assert html_to_text(html).text == text


def test_raw_newlines_are_spaces_in_anki_fields_and_media_named() -> None:
    result = html_to_text('a\nb <img src="x y.png"> [sound:s.mp3] <img src="gone.png">',
                          lambda name, kind: None if name == "gone.png" else f"media/{name}",
                          source_newlines=False)
    assert result.text == "a b [image: media/x y.png] [sound: media/s.mp3] (missing image: gone.png)"
    assert result.media == ["gone.png"]


def test_image_occlusion_masks_and_image_sizes() -> None:
    found = masks("{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4:oi=1}}"
                  "{{c2::image-occlusion:polygon:points=1,2 3,4:oi=1}}")
    assert [(m.number, m.shape) for m in found] == [(1, "rect"), (2, "polygon")]
    assert found[0].props["left"] == ".1" and found[0].occlude_all
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from anki_factory import png

    assert image_size(png(30, 20)) == (30, 20)
    assert image_size(b"GIF89a\x05\x00\x07\x00") == (5, 7)
    assert image_size(b"\xff\xd8\xff\xc0\x00\x11\x08\x00\x10\x00\x20\x03") == (32, 16)
    assert image_size(b"not an image") is None


@given(st.text(alphabet="{}c1:<>/ab#^!=[]sound", max_size=80))
def test_parsers_take_any_text(text: str) -> None:
    anki_templates.render(text, {"a": text})
    anki_templates.field_names(text)
    anki_cloze.flatten(text, 1)
    anki_cloze.numbers(text)
    html_to_text(text, lambda name, kind: "media/x", source_newlines=False)


# --- ui: media on cards ----------------------------------------------------------------------

def _card(tmp_path: Path) -> Card:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "heart.png").write_bytes(b"png")
    return Card(CardKey("d", "a"), "basic", "Which organ? [image: media/heart.png]",
                "[sound: media/missing.mp3] the heart", explanation="[image: ../outside.png]")


def test_card_view_shows_one_short_media_line(tmp_path: Path) -> None:
    from rich.console import Console

    from cjstudy.ui.card_view import card_panel

    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(card_panel(_card(tmp_path), reveal=True))
    shown = buffer.getvalue()
    assert "Which organ? [image: heart.png]" in shown and "[sound: missing.mp3] the heart" in shown
    assert "media/" not in shown


def test_open_media_uses_the_injected_opener_and_stays_in_the_folder(tmp_path: Path) -> None:
    from cjstudy.ui.media import media_files, open_first

    card = _card(tmp_path)
    opened: list[Path] = []
    assert open_first(card, tmp_path, opened.append) == "opened heart.png"
    assert opened == [(tmp_path / "media" / "heart.png").resolve()]
    assert media_files(card, tmp_path) == opened  # the missing sound and the path outside are left out
    empty = Card(CardKey("d", "b"), "basic", "q", "a")
    assert open_first(empty, tmp_path, opened.append) == "no image or sound on this card"

    def failing(path: Path) -> None:
        raise OSError(2, "No viewer")

    assert open_first(card, tmp_path, failing) == "could not open heart.png: No viewer"
