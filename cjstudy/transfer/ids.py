"""Stable identifiers shared by export and import.

Anki matches notes on their GUID when a package is imported again, so a GUID that depends only
on (deck id, card id) makes a newer export update the student's notes instead of duplicating
them. The same idea runs the other way: card ids of imported decks come from Anki's GUIDs, so
importing the same package twice writes the same YAML and keeps the same progress.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

# Anki's base91 alphabet (the characters its own GUIDs are drawn from).
_BASE91 = string.ascii_letters + string.digits + "!#$%&()*+,-./:;<=>?@[]^_`{|}~"
_ID_FLOOR = 1_300_000_000_000  # ids look like millisecond timestamps (2011 onwards), as Anki's do
_ID_SPAN = 700_000_000_000


def _digest(*parts: str) -> int:
    joined = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(joined).digest()[:8], "big")


def base91(number: int) -> str:
    if number == 0:
        return _BASE91[0]
    digits = []
    while number:
        number, rest = divmod(number, len(_BASE91))
        digits.append(_BASE91[rest])
    return "".join(reversed(digits))


def note_guid(deck_id: str, card_id: str) -> str:
    """The Anki GUID of a cjstudy note: the same for every export of the same card."""
    return base91(_digest("cjstudy-note", deck_id, card_id))


def stable_int(*parts: str) -> int:
    """A positive id in Anki's timestamp-like range, fixed for the given parts."""
    return _ID_FLOOR + _digest("cjstudy-id", *parts) % _ID_SPAN


def card_id_from_guid(guid: str) -> str:
    """A valid cjstudy card id for an Anki note: `anki-` plus a hash of its GUID."""
    return "anki-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:12]


def slug(text: str, fallback: str = "deck") -> str:
    """Lowercase kebab-case from any name: `Cursus::Hoofdstuk één` becomes `cursus-hoofdstuk-een`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", plain)
    result = "-".join(words)[:60].strip("-")
    return result or fallback


def clean_tag(tag: str) -> str | None:
    """An Anki tag as a cjstudy tag (`a::b` becomes `a/b`); None when nothing usable is left."""
    tag = tag.replace("::", "/")
    tag = re.sub(r"[^\w/.-]+", "-", tag, flags=re.UNICODE)
    tag = re.sub(r"^[^\w]+", "", tag, flags=re.UNICODE).rstrip("/")
    return tag or None
