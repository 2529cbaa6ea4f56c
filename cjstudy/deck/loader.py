"""Find deck files, read each into a Deck, and gather them into a DeckSet.

Reading never raises on bad content: it returns problems. Only `load_deck_set`, used by
commands that need working decks, turns errors into a DeckError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cjstudy.deck import cache
from cjstudy.deck.suggest import did_you_mean
from cjstudy.deck.synonyms import FOLDER_FILE, read_folder_synonyms
from cjstudy.errors import DeckError, Problem, UnknownCardError, UsageError
from cjstudy.model import Card, Deck, deck_fingerprint

DECK_SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult:
    path: Path
    deck: Deck | None
    problems: list[Problem]
    id_line: int = 1
    id_column: int = 1


def read_deck_file(path: Path, bundled: bool = False, cache_dir: Path | None = None) -> FileResult:
    """Read one deck file; with `cache_dir`, reuse an unchanged file's earlier parse."""
    shown = str(path)
    if cache_dir is not None:
        hit = cache.lookup(cache_dir, path, shown, bundled)
        if hit is not None:
            deck, problems, (line, column) = hit
            return FileResult(path, with_lexicon(deck), problems, line, column)
    from cjstudy.deck.yaml_source import MAX_FILE_BYTES
    from cjstudy.paths import UnreadableFile, read_regular_file

    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        return FileResult(path, None, [Problem(shown, 1, 1, "error", str(error))])
    result = parse_deck(data, shown, bundled, path)
    if cache_dir is not None and result.deck is not None:
        cache.store(cache_dir, path, result.deck, result.problems, (result.id_line, result.id_column))
    return result


def parse_deck(data: bytes, shown: str, bundled: bool = False, path: Path | None = None) -> FileResult:
    """Bytes to a Deck plus problems; the one entry point property tests hammer."""
    # Imported here so that start-up from a warm cache never loads PyYAML or the validator.
    from cjstudy.deck.expand import expand_note
    from cjstudy.deck.validate import check_deck
    from cjstudy.deck.yaml_source import YamlRefused, read_tree

    try:
        tree = read_tree(data, shown)
    except YamlRefused as refused:
        return FileResult(path or Path(shown), None, [refused.problem])
    checked = check_deck(tree, shown)
    if path is not None:
        from cjstudy.deck.media import missing  # media files exist only next to a real file

        checked.problems += [Problem(shown, line, 1, "error", message) for line, message in
                             missing([(n.line, vars(n)) for n in checked.notes], path.parent)]
    deck = None
    if checked.header is not None and not any(p.is_error for p in checked.problems):
        header = checked.header
        cards = tuple(card for note in checked.notes for card in expand_note(header.id, header.tags, note))
        deck = Deck(
            id=header.id, title=header.title, language=header.language, path=shown,
            description=header.description, source=header.source, tags=header.tags,
            version=header.version, bundled=bundled, notes=tuple(checked.notes), cards=cards,
            synonyms=header.synonyms, fingerprint=deck_fingerprint([card.key for card in cards]),
        )
        deck = with_lexicon(deck)
    line, column = (checked.header.id_line, checked.header.id_column) if checked.header else (1, 1)
    return FileResult(path or Path(shown), deck, checked.problems, line, column)


def with_lexicon(deck: Deck, folder_synonyms: tuple[tuple[str, ...], ...] = ()) -> Deck:
    """Give every card its deck's language and synonyms (the folder's first), as the grader reads them."""
    synonyms = folder_synonyms + deck.synonyms
    if all(c.language == deck.language and c.synonyms == synonyms for c in deck.cards):
        return deck
    cards = tuple(replace(c, language=deck.language, synonyms=synonyms) for c in deck.cards)
    return replace(deck, cards=cards)


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded to their *.yaml / *.yml files in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # a broken link or a link loop is kept: reading it then says what is wrong, where
            # skipping it would hide a deck the user meant to load
            found.extend(sorted(p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and p.name != FOLDER_FILE
                                and (p.is_file() or p.is_symlink())))
        elif path.name == FOLDER_FILE:
            continue  # a folder's synonyms, read with the decks of that folder
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def read_all(files: Iterable[tuple[Path, bool]], cache_dir: Path | None = None) -> tuple[list[Deck], list[Problem]]:
    """Read every file and check that deck ids are unique across them."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    by_id: dict[str, Deck] = {}
    folders: dict[Path, tuple[tuple[str, ...], ...]] = {}
    for path, bundled in files:
        if path.parent not in folders:
            folders[path.parent], found = read_folder_synonyms(path.parent, cache_dir)
            problems.extend(found)
        result = read_deck_file(path, bundled, cache_dir)
        problems.extend(result.problems)
        deck = result.deck
        if deck is None:
            continue
        if folders[path.parent]:
            deck = with_lexicon(deck, folders[path.parent])
        if deck.id in by_id:
            problems.append(Problem(str(path), result.id_line, result.id_column, "error",
                                    f"deck id '{deck.id}' is already used by {by_id[deck.id].path}"))
            continue
        by_id[deck.id] = deck
        decks.append(deck)
    return decks, problems


@dataclass
class DeckSet:
    decks: list[Deck]
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # user deck files left out for their errors

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    def require_deck(self, deck_id: str) -> Deck:
        deck = self.deck(deck_id)
        if deck is None:
            known = [d.id for d in self.decks]
            raise UnknownCardError(f"no deck '{deck_id}'{did_you_mean(deck_id, known)}; `cjstudy decks` lists them")
        return deck

    def resolve(self, address: str) -> Card:
        """`deck/card` or `deck/card@variant` to a card, with a helpful error when it is not there."""
        deck_id, _, rest = address.partition("/")
        card_id, _, variant = rest.partition("@")
        if not deck_id or not card_id:
            raise UnknownCardError(f"'{address}' is not a card address; write deck/card or deck/card@variant")
        deck = self.require_deck(deck_id)
        card = deck.card(card_id, variant)
        if card is not None:
            return card
        variants = [c.key.variant for c in deck.cards if c.key.card == card_id]
        if variants:
            listed = ", ".join(f"@{v}" if v else "(none)" for v in variants)
            raise UnknownCardError(f"card '{deck_id}/{card_id}' has no variant '{variant or '(none)'}'; it has {listed}")
        known = [n.id for n in deck.notes]
        raise UnknownCardError(f"no card '{card_id}' in deck '{deck_id}'{did_you_mean(card_id, known)}")


def load_deck_set(bundled_dir: Path, extra_dirs: Iterable[Path], cache_dir: Path | None = None,
                  skip_broken: bool = False) -> DeckSet:
    """All decks a command works with; any error stops it with every problem listed.

    With `skip_broken`, a user deck file with errors is left out instead (named in `skipped`),
    so one broken file in `--decks` does not stop studying the others; bundled decks always count.
    """
    files = [(p, True) for p in deck_files([bundled_dir])] if bundled_dir.is_dir() else []
    for folder in extra_dirs:
        if folder.is_file():  # an instructor trying one file: point at its folder
            raise UsageError(f"{folder}: is a file; --decks takes the folder that holds deck files "
                             f"(--decks {folder.parent})")
        if not folder.is_dir():
            raise UsageError(f"{folder}: deck folder does not exist")
        files.extend((p, False) for p in deck_files([folder]))
    decks, problems = read_all(files, cache_dir)
    errors = [p for p in problems if p.is_error]
    bundled = {str(path) for path, is_bundled in files if is_bundled}
    if errors and (not skip_broken or any(p.path in bundled for p in errors)):
        raise DeckError(errors)
    broken = list(dict.fromkeys(p.path for p in errors))
    decks = [d for d in decks if d.path not in broken]
    return DeckSet(decks, [p for p in problems if not p.is_error and p.path not in broken], broken)
