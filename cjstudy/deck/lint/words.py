"""Small word lists and a crude stemmer: just enough language to spot item-writing flaws.

Kept deliberately small and explicit (no language library): a lint rule must be predictable
for the instructor who reads docs/lint.md, and every list here is quoted there.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

FUNCTION_WORDS = {
    "en": frozenset("""
        a an the and or but nor so yet of to in on at by for from with without into onto over under
        about as than then that this these those it its they them their there here is are was were be
        been being am do does did has have had not no yes if when while which who whom whose what
        where why how all any both each either neither some such only own same very can could may
        might must shall should will would one ones his her he she we us our you your i me my
        isn't aren't wasn't don't doesn't didn't
    """.split()),
    "nl": frozenset("""
        de het een en of maar want dus noch van in op aan bij met zonder naar uit over onder tot
        voor na door om te als dan dat dit deze die er hier daar is zijn was waren wordt worden werd
        ben bent heeft hebben had niet geen ja wel ook nog al alle elk elke ieder iedere sommige
        zo zeer heel kan kunnen mag moet moeten zal zullen zou zouden hij zij ze wij we ons onze jij
        je jouw u uw ik mij mijn hun hen haar zich wie wat waar waarom hoe welk welke wanneer namelijk
    """.split()),
}

# Words that make a statement absolute; test-wise students learn that such options are false.
ABSOLUTE_WORDS = {
    "en": frozenset("always never only all none every everything nothing completely entirely totally "
                    "solely exclusively must impossible".split()),
    "nl": frozenset("altijd nooit alleen uitsluitend alle geen niets alles elke iedere volledig "
                    "helemaal enkel moet onmogelijk".split()),
}

# Function words of one language that do not exist in the other: one in a deck's text is a
# slip of the other language (a copied sentence, an untranslated phrase).
FOREIGN_WORDS = {
    "nl": frozenset("the and with which what that this these those from are were by an or not but how "
                    "why when where who you your it its they their will would should can could does "
                    "has have to on at be been".split()),
    "en": frozenset("de het een en niet dat wordt worden zijn voor bij ook maar wat waarom welke "
                    "deze naar uit als zich kan moet heeft hebben geen nog wel aan klant klanten "
                    "namelijk".split()),
}

ALL_NONE_OF_THE_ABOVE = re.compile(
    r"\b(all|none|both|neither) of the (above|options|answers)\b|\ball (the )?above\b|"
    r"\b(alle|geen) (van de )?(bovenstaande|bovengenoemde|antwoorden|opties)\b|\bbeide (bovenstaande )?antwoorden\b",
    re.IGNORECASE,
)

SOURCE_TALK = re.compile(
    r"\b(the|these|this|our) (notes?|text|article|reading|course notes?|author|passage|summary)\b|"
    r"\baccording to the\b|"
    r"\b(de|het|deze) (tekst|aantekeningen|notities|artikel|samenvatting|auteur)\b|\bvolgens de\b",
    re.IGNORECASE,
)

_SUFFIXES = {
    "en": ("ations", "ation", "ings", "ing", "ness", "ies", "ied", "ed", "es", "ly", "s", "e"),
    "nl": ("heden", "heid", "ingen", "ing", "en", "de", "te", "s", "e"),
}


def words(text: str) -> list[str]:
    """The words of a text in lower case, without numbers or punctuation."""
    return [w.casefold() for w in WORD.findall(text)]


def stem(word: str, language: str) -> str:
    """A crude suffix-stripping stem: `invisible`/`visible` stay apart, `customers`/`customer` meet."""
    word = word.casefold().replace("’", "'")
    for suffix in _SUFFIXES.get(language, _SUFFIXES["en"]):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str, language: str, min_length: int = 4) -> set[str]:
    """Stems of the words that carry meaning: not function words, not very short."""
    stop = FUNCTION_WORDS.get(language, FUNCTION_WORDS["en"])
    out = set()
    for word in words(text):
        for part in word.split("-"):
            if len(part) >= min_length and part not in stop:
                out.add(stem(part, language))
    return out
