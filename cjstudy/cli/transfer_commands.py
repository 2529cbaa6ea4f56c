"""`export apkg`, `export reviews`, `import`, `schema` and `new`: cjstudy next to Anki and spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, load_decks, now

export_app = typer.Typer(
    help="Write decks or the review history in other formats (Anki .apkg, CSV).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")

PACKAGE_SUFFIXES = (".apkg", ".colpkg")
CSV_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


@export_app.command("apkg")
def export_apkg_command(
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="The .apkg file to write."),
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Only this deck (repeatable; default: all loaded decks)."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Write decks as an Anki package: one Anki deck per cjstudy deck under a 'cjstudy' parent
    (a title with '::', as imported from Anki, keeps exactly that deck path), with the media
    files the cards reference.

    Basic cards become Anki "Basic" notes ("Basic (and reversed card)" with reverse: true),
    cloze cards Anki "Cloze" notes; list, sequence and choice cards become Basic notes with a
    readable back. Importing a newer export into Anki updates the notes in place.

    Example: cjstudy export apkg --deck touch-points -o touch-points.apkg
    """
    from cjstudy.transfer.apkg_export import export_apkg

    deck_set = load_decks(decks)
    chosen = [deck_set.require_deck(d) for d in dict.fromkeys(deck)] if deck else deck_set.decks
    if not chosen:
        from cjstudy.errors import UsageError

        raise UsageError("no decks to export")
    summary = export_apkg(chosen, output, now())
    media = f", {summary.media} media file{'s' * (summary.media != 1)}" if summary.media else ""
    typer.echo(f"wrote {output}: {summary.decks} deck{'s' * (summary.decks != 1)}, "
               f"{summary.notes} notes, {summary.cards} cards{media}")


@export_app.command("reviews")
def export_reviews_command(
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="The CSV file to write ('-': stdout)."),
    deck: Optional[list[str]] = typer.Option(None, "--deck", "-d", metavar="ID",
                                             help="Only reviews of this deck (repeatable; default: all)."),
) -> None:
    """Write the review history as CSV for FSRS tools and spreadsheets.

    Columns card_id,review_rating,review_time,review_duration: those of py-fsrs' sample logs. card_id is a stable
    number per card (deck, card, variant); review_time is ISO 8601 UTC; review_duration is in
    milliseconds (empty when unknown). Undone answers are left out.

    Example: cjstudy export reviews -o reviews.csv
    """
    import os

    from cjstudy.paths import store_path
    from cjstudy.store import open_store
    from cjstudy.transfer.reviews_csv import reviews_to_csv

    with open_store(store_path(os.environ), now=now()) as store:
        rows = [(r.key, r.reviewed_at, r.rating, r.duration_ms)
                for r in store.review_rows(decks=list(deck) if deck else None)]
    _write_text(reviews_to_csv(rows), output, f"{len(rows)} review{'s' * (len(rows) != 1)}")


@app.command("import")
def import_command(
    source: Path = typer.Argument(..., metavar="FILE", help="An Anki package (.apkg/.colpkg), an Anki collection "
                                  "file (collection.anki2/.anki21/.anki21b) or a CSV/TSV file."),
    out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="Folder to write the deck files into."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|nl|und",
                                       help="Language of the content (default: guessed from the text; "
                                            "und when it is neither English nor Dutch)."),
    deck_id: Optional[str] = typer.Option(None, "--deck", metavar="ID", help="Deck id for a CSV import "
                                          "(default: from the file name)."),
    title: Optional[str] = typer.Option(None, "--title", help="Deck title for a CSV import."),
    history: bool = typer.Option(True, "--history/--no-history",
                                 help="Bring an Anki package's review history into the progress store."),
    force: bool = typer.Option(False, "--force",
                               help="Replace deck files in DIR that exist with other content (e.g. edited)."),
) -> None:
    """Turn an Anki package or a spreadsheet into cjstudy deck files.

    Anki: one YAML deck per Anki deck (the title keeps the full `Parent::Child` name), one study
    card per Anki card read through its template (reversed and cloze cards keep their shape),
    images and sounds copied to DIR/media/, and the review history goes into the progress
    store so the cards keep their schedule. Packages and raw collection files are recognised
    by their content. CSV/TSV: columns front, back[, tags]; the header row is optional and the
    delimiter is detected. Importing the same file again gives the same card ids. Use the
    folder with --decks or CJSTUDY_DECKS.

    Examples: cjstudy import ~/Downloads/Marketing.apkg --out my-decks
              cjstudy import glossary.csv --out my-decks --lang nl
    """
    from cjstudy.errors import TransferError, UsageError
    from cjstudy.transfer.atomic import move_files_into

    if lang is not None and lang not in ("en", "nl", "und"):
        raise UsageError(f"--lang must be en, nl or und, got '{lang}'")
    if not source.is_file():
        raise TransferError(f"{source}: no such file")
    if out.exists() and not out.is_dir():
        raise TransferError(f"{out}: exists and is not a folder")
    if _is_package(source):
        if deck_id or title:
            raise UsageError("--deck and --title apply to CSV imports; an Anki package names its own decks")
        _import_package(source, out, lang, history, force)
        return
    from cjstudy.transfer.csv_import import import_csv

    if deck_id is not None:
        from cjstudy.deck.schema import DECK_ID

        if not DECK_ID.match(deck_id):
            raise UsageError(f"--deck '{deck_id}' must be lowercase kebab-case, e.g. my-glossary")
    result = import_csv(source, deck_id=deck_id, title=title, language=lang)
    if result.deck.id in _bundled_ids():  # every command would then refuse two decks with one id
        raise TransferError(f"{source}: the deck id '{result.deck.id}' is a bundled deck's; nothing was written "
                            "(choose another with --deck)")
    for warning in result.warnings:
        _warn(warning)
    written = move_files_into(result.files, out, overwrite=force)
    draft = result.deck
    typer.echo(f"imported {len(draft.cards)} notes ({draft.card_count} cards) into {written[0]}")


def _is_package(path: Path) -> bool:
    """Anki packages and collections by their first bytes; a misnamed one is still found."""
    from cjstudy.transfer.apkg_import import sniff

    if sniff(path):
        return True
    return path.suffix.lower() in PACKAGE_SUFFIXES


def _bundled_ids() -> set[str]:
    from cjstudy.deck import deck_files, read_all
    from cjstudy.paths import bundled_decks_dir

    folder = bundled_decks_dir()
    if not folder.is_dir():
        return set()
    decks, _ = read_all([(p, True) for p in deck_files([folder])])
    return {d.id for d in decks}


def _import_package(source: Path, out: Path, lang: Optional[str], history: bool, force: bool) -> None:
    from cjstudy.transfer.apkg_import import import_package
    from cjstudy.transfer.atomic import move_files_into

    result = import_package(source, language=lang, taken_ids=_bundled_ids())
    for warning in result.warnings:
        _warn(warning)
    if not result.files:  # an empty collection opens fine in Anki: say so, it is not an error
        typer.echo(f"imported 0 notes from {source.name}: the package holds no notes that can be imported")
        return
    # Deck files and media before the history: a refusal changes nothing.
    move_files_into({**result.files, **result.media}, out, overwrite=force)
    typer.echo(f"imported {result.note_count} notes ({result.card_count} cards) from {source.name} "
               f"into {len(result.decks)} deck{'s' * (len(result.decks) != 1)} in {out}:")
    for draft in result.decks:
        typer.echo(f"  {draft.filename}: {draft.title} ({len(draft.cards)} notes, {draft.card_count} cards)")
    if result.media:
        typer.echo(f"media: {len(result.media)} file{'s' * (len(result.media) != 1)} in {out / 'media'}")
    if not result.reviews:
        typer.echo("review history: none in the package")
        return
    if not history:
        typer.echo(f"review history: {len(result.reviews)} reviews left out (--no-history)")
        return
    from cjstudy.cli.common import build_scheduler, open_store_for_writing
    from cjstudy.transfer.history import replay

    with open_store_for_writing() as store:
        histories = replay(result.reviews, build_scheduler(store))
        imported = store.import_histories(histories)
    reviews = sum(len(r) for _, r, _ in histories)
    line = f"review history: {reviews} reviews of {len(histories)} cards"
    if imported < len(histories):
        line += (f"; {imported} cards imported, {len(histories) - imported} already had history here "
                 "and were left as they are")
    if result.skipped_reviews:
        line += f" ({result.skipped_reviews} manual or unmatched log entries skipped)"
    if result.upgraded_reviews:
        line += (f"; {result.upgraded_reviews} learning answers from Anki's v1 scheduler read one grade "
                 "higher, as Anki does")
    typer.echo(line)


@app.command("schema")
def schema_command(
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write to FILE instead of standard output."),
) -> None:
    """Print the JSON Schema of the deck format, for editors with a YAML language server.

    Save it next to your decks and start each deck file with
    `# yaml-language-server: $schema=deck.schema.json` to get completion and checks while typing.

    Example: cjstudy schema -o my-decks/deck.schema.json
    """
    from cjstudy.transfer.json_schema import deck_schema_json

    _write_text(deck_schema_json(), output)


@app.command("new")
def new_command(
    deck_id: str = typer.Argument(..., metavar="DECK-ID", help="The new deck's id (lowercase kebab-case)."),
    lang: str = typer.Option("en", "--lang", metavar="en|nl", help="Language of the example cards."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Where to write (default: DECK-ID.yaml here)."),
) -> None:
    """Create a commented deck file with one card of each type; never overwrites a file.

    Example: cjstudy new service-recovery --lang nl
    """
    from cjstudy.transfer.scaffold import SCHEMA_FILE, scaffold_text, write_scaffold

    scaffold_text(deck_id, lang)  # checks the id and language before touching the disk
    target = output or Path(f"{deck_id}.yaml")
    write_scaffold(target, deck_id, lang)
    typer.echo(f"wrote {target}; check it with: cjstudy validate {target}")
    if not (target.parent / SCHEMA_FILE).exists():
        typer.echo(f"for completion in your editor: cjstudy schema -o {target.parent / SCHEMA_FILE}")


def _write_text(text: str, output: Optional[Path], what: str = "") -> None:
    """To standard output (no file, or '-'), else atomically into the file, then say so."""
    if output is None or str(output) == "-":
        typer.echo(text, nl=False)
        return
    from cjstudy.transfer.atomic import atomic_path

    with atomic_path(output) as temp:
        temp.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}" + (f": {what}" if what else ""))
