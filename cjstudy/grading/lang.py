"""Language data for grading: function words, negations, number words, spelling variants, stems.

Why: a fair teacher reads "the customer determines the value" and "value determined by the
customer" as the same answer, "4" as "four", "catalog" as "catalogue", and "does not
influence" as the opposite of "influences". So words are compared as stems (Snowball,
through PyStemmer, the C build; snowballstemmer, the same algorithm in pure Python, when the
C one is missing), with function words set aside (they never count and are never required)
and negations kept apart as the answer's polarity.

Only `en` and `nl` have data; another language code falls back to `en` rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cjstudy.grading.text import normalize

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
        a an the this that these those there here it its it's they them their theirs he him his she her hers
        we us our ours you your yours i me my mine who whom whose which what when where why how
        is are was were be been being am do does did done has have had having will would shall should
        can could may might must also too very so such just really quite rather much many more most
        of to in on at by for from with into onto about as than then and or but if because
        either each every all any some up out over under between through
        again further once etc e g i e eg ie vs via per like well even still yet
        something someone somebody anything thing things way ways kind sort lot lots get gets got
        one's oneself s t isn aren wasn weren don doesn didn won hasn haven hadn wouldn shouldn couldn
    """.split()),
    "nl": frozenset("""
        de het een der den des dit dat deze die daar hier er zij ze hij hem haar hun hen wij we ons onze
        jij je jou jouw jullie u uw ik mij me mijn men wie wat welke welk waar wanneer waarom hoe
        is zijn was waren ben bent wordt worden werd werden geworden wezen heeft hebben had hadden
        kan kunnen kon konden zal zullen zou zouden moet moeten mag mogen wil willen
        ook zeer heel erg zo zulk zulke maar pas nog al dan toch wel even veel meer meest
        van voor in op aan bij met uit tot naar om over onder tussen door als of en want omdat
        terwijl elk elke ieder iedere alle sommige
        dus te om zich nu af bijv bv bijvoorbeeld enz etc d w z dwz iets iemand ding dingen manier soort
        t s m n
    """.split()),
}

NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset("""not no never cannot cant can't don't dont doesn't doesnt didn't didnt isn't isnt aren't arent
        wasn't wasnt won't wont without none nobody nothing neither nor non hardly lack lacks""".split()),
    "nl": frozenset("niet geen nooit zonder niemand niets noch nergens nimmer".split()),
}
# Negations written as a prefix of the next word ("non-owned", "niet-tastbaar") split off by
# normalising; "un-"/"on-" prefixes are left to the stems (ontastbaar is its own word).

NUMBER_WORDS: dict[str, dict[str, str]] = {
    "en": {w: str(n) for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split())}
    | {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
       "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "hundred": "100", "thousand": "1000"},
    # "een" is the article far more often than the number: only the accented "één" counts.
    "nl": {w: str(n) for n, w in enumerate(
        "nul EEN twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
        "zestien zeventien achttien negentien twintig".split()) if w != "EEN"}
    | {"eerste": "1", "tweede": "2", "derde": "3", "vierde": "4", "vijfde": "5", "zesde": "6",
       "honderd": "100", "duizend": "1000"},
}

_STEMMER_NAMES = {"en": "english", "nl": "dutch"}
# "one-to-one", "1-1", "1:1", "1 op 1", "een-op-een": a ratio written any way becomes "1to1".
_RATIO = re.compile(r"\b(\d{1,3})\s*(?:-|:|/|to|op|tot|on)\s*(\d{1,3})\b")
_RATIO_WORDS = re.compile(r"\b(?:one|een|één|1)[\s-]*(?:to|on|op|tot)[\s-]*(?:one|een|één|1)\b")

# British to American spelling, as word-ending rewrites (both sides get them, so a rule that
# also touches an unrelated word only merges forms that stem alike anyway).
_SPELLING_EN = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})yse(s|d)?$"), r"yze\1"),
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ful|ite|able)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{3})logue(s?)$"), r"log\1"),
    (re.compile(r"ogramme(s?)$"), r"ogram\1"),
    (re.compile(r"(?<=[a-z]{3}[aeiou])ll(ed|ing|er)$"), r"l\1"),
    (re.compile(r"(?<=[a-z]{3})ence$"), r"ense"),
)

STEMMER = "pystemmer"  # the benchmark switches this to compare backends


def language_of(code: str) -> str:
    return code if code in FUNCTION_WORDS else "en"


@lru_cache(maxsize=4)
def _stemmer(language: str, backend: str):
    """A Snowball stemmer for the language (imported here: grading start-up stays light)."""
    name = _STEMMER_NAMES[language]
    if backend == "simplemma":
        import simplemma

        return lambda word: simplemma.lemmatize(word, lang=language)
    if backend == "none":
        return lambda word: word
    if backend == "pystemmer":
        try:
            import Stemmer

            return Stemmer.Stemmer(name, 10_000).stemWord
        except ImportError:  # no C build on this platform: the same algorithm in Python
            pass
    try:
        import snowballstemmer

        return snowballstemmer.stemmer(name).stemWord
    except ImportError:
        return lambda word: word


def respell(word: str, language: str) -> str:
    """One spelling per word: British to American in English."""
    if language != "en" or len(word) < 5:
        return word
    for pattern, replacement in _SPELLING_EN:
        word, count = pattern.subn(replacement, word)
        if count:
            break
    return word


@lru_cache(maxsize=65_536)
def stem(word: str, language: str) -> str:
    """The comparable form of one normalised word: number words as digits, spelling unified, stemmed."""
    language = language_of(language)
    number = NUMBER_WORDS[language].get(word)
    if number is not None:
        return number
    if any(ch.isdigit() for ch in word):
        return word
    word = respell(word, language)
    out = _stemmer(language, STEMMER)(word)
    if language == "nl":
        out = _undouble(out)
    return out or word


_DOUBLE_VOWEL = re.compile(r"(aa|ee|oo|uu)")


def _undouble(stem_: str) -> str:
    """Dutch writes a long vowel double in a closed syllable only (heterogeen, heterogene): one form."""
    return _DOUBLE_VOWEL.sub(lambda m: m.group(1)[0], stem_)


def prepare_text(text: str, language: str) -> str:
    """Raw text to normalised words with ratios ("1-1", "one-to-one") made one token."""
    folded = normalize_ratio(text)
    return normalize(folded)


def normalize_ratio(text: str) -> str:
    lowered = text.casefold()
    lowered = _RATIO_WORDS.sub(" 1to1 ", lowered)
    return _RATIO.sub(r" \1to\2 ", lowered)


def is_function_word(word: str, language: str) -> bool:
    return word in FUNCTION_WORDS[language_of(language)]


def is_negation(word: str, language: str) -> bool:
    return word in NEGATIONS[language_of(language)]


@lru_cache(maxsize=4)
def _common_words(language: str) -> frozenset[str]:
    """Words of the language with a Zipf frequency of 3 or more (wordfreq's small list, ~30k words).

    Read straight from wordfreq's data file (10 ms) rather than through `wordfreq` itself, whose
    import costs ~150 ms. Empty when wordfreq is not installed: then no word is held back.
    """
    try:
        import gzip
        import importlib.util
        from pathlib import Path

        import msgpack

        spec = importlib.util.find_spec("wordfreq")
        if spec is None or not spec.submodule_search_locations:
            return frozenset()
        path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"small_{language}.msgpack.gz"
        from itertools import chain

        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
        return frozenset(chain.from_iterable(data[1:]))
    except Exception:  # a missing or damaged word list only means typos are forgiven as before
        return frozenset()


def is_common_word(word: str, language: str) -> bool:
    """Is this a word of its own in the language (so not a typo of another word)?"""
    return len(word) > 2 and word in _common_words(language_of(language))
