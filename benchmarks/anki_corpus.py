"""The Anki corpus table of docs/interop.md: each package as the official `anki` reads it, against
what `cjstudy import` keeps.

    python benchmarks/anki_corpus.py [FOLDER_OF_PACKAGES ...] [--generated] > table.md

For every package or raw collection: notes, cards and revlog rows in the package (opened with the
official `anki`), the cards and reviews after `cjstudy import`, the answer rows whose ease equals
what the official `anki` import stores (row by row, by revlog id), `validate --strict`, and
whether media survive Anki -> cjstudy -> Anki. `--generated` adds packages made here with the
official `anki` in every format (tests/anki_factory.py). Needs `pip install anki`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def _official_package_counts(path: Path, work: Path) -> dict:
    """Notes, cards and revlog rows in the package's own collection, opened by the official anki."""
    from anki.collection import Collection

    from cjstudy.transfer.apkg_import import extract_collection, sniff

    work.mkdir(parents=True, exist_ok=True)
    target = work / "collection.anki2"
    if sniff(path) == "collection":
        data = path.read_bytes()
        if data.startswith(b"\x28\xb5\x2f\xfd"):
            import zstandard

            data = zstandard.ZstdDecompressor().stream_reader(data).read()
        target.write_bytes(data)
    else:
        extracted, _ = extract_collection(path, work)
        shutil.move(extracted, target)
    col = Collection(str(target))
    try:
        return {"notes": col.note_count(), "cards": col.card_count(),
                "revlog": col.db.scalar("SELECT count() FROM revlog"),
                "answers": col.db.scalar("SELECT count() FROM revlog WHERE ease BETWEEN 1 AND 4 "
                                         "AND type NOT IN (4, 5)")}
    finally:
        col.close()


def _official_import(path: Path, work: Path) -> dict | str:
    """What the official anki import stores: revlog eases by id, media names; or why it refused."""
    from cjstudy.transfer.apkg_import import sniff

    if sniff(path) == "collection":
        package = work / "wrapped.colpkg"
        with zipfile.ZipFile(package, "w") as archive:
            data = path.read_bytes()
            archive.writestr("collection.anki21b" if data.startswith(b"\x28\xb5\x2f\xfd") else "collection.anki2",
                             data)
            archive.writestr("media", "{}")
        path = package
    import anki_factory

    try:
        return anki_factory.package_counts(path, work / "official")
    except Exception as error:  # the official importer's own refusal
        return f"{type(error).__name__}: {str(error)[:60]}"


def measure(path: Path, source: str) -> dict:
    from typer.testing import CliRunner

    from cjstudy.cli import app
    from cjstudy.errors import TransferError
    from cjstudy.transfer.apkg_import import import_package

    row: dict = {"package": path.name, "source": source}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            row.update(_official_package_counts(path, work / "pkg"))
        except Exception as error:
            row["anki_error"] = f"{type(error).__name__}: {str(error)[:60]}"
        official = _official_import(path, work)
        row["official_import"] = official if isinstance(official, str) else "ok"
        try:
            result = import_package(path)
        except TransferError as error:
            row["cjstudy"] = f"refused: {str(error)[-70:]}"
            return row
        row["cj_cards"] = result.card_count
        row["cj_reviews"] = len(result.reviews)
        row["warnings"] = "; ".join(result.warnings)
        if isinstance(official, dict):
            ours = {int(r.reviewed_at.timestamp() * 1000): int(r.rating) for r in result.reviews}
            theirs = {rid: ease for rid, ease, _ in official["eases"] if rid in ours}
            row["eases_equal"] = sum(1 for rid, ease in theirs.items() if ours[rid] == ease)
        out = work / "decks"
        runner = CliRunner()
        imported = runner.invoke(app, ["import", str(path), "--out", str(out), "--no-history"])
        if imported.exit_code != 0:
            row["cjstudy"] = f"refused: {imported.output.strip().splitlines()[-1][-70:]}"
            return row
        if not result.files:
            row["strict"] = "n/a (no notes)"
        else:
            strict = runner.invoke(app, ["validate", "--strict", str(out)])
            row["strict"] = "pass" if strict.exit_code == 0 else "fail"
        row["cjstudy"] = "ok"
        if result.media and isinstance(official, dict):
            back = work / "back.apkg"
            runner.invoke(app, ["--decks", str(out), "export", "apkg", "-o", str(back)])
            again = _official_import(back, work / "again")
            kept = set(again["media"]) if isinstance(again, dict) else set()
            used = {Path(p).name for p in result.media}
            row["media"] = f"{len(used & kept)}/{len(used)} back in Anki"
    return row


def generated(folder: Path) -> list[tuple[Path, str]]:
    import anki_factory

    made = []
    for name, build in anki_factory.BUILDERS.items():
        for fmt in anki_factory.FORMATS:
            target = folder / f"{name.replace(' ', '-').replace('+', 'and')}-{fmt}"
            package = build(target, fmt)
            renamed = package.with_name(f"made-{name.replace(' ', '-').replace('+', 'and')}.{fmt}.apkg")
            package.rename(renamed)
            made.append((renamed, f"made with anki 26.9 ({fmt})"))
    return made


def table(rows: list[dict]) -> str:
    head = ("| package | source | notes | cards | revlog (answers) | cjstudy cards | reviews | eases = anki "
            "| strict | media round trip | notes |")
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        if "cjstudy" in r and r["cjstudy"].startswith("refused"):
            note = r["cjstudy"] + (f" (official anki: {r.get('anki_error') or r['official_import']})")
        else:
            note = r.get("warnings", "")
            if r.get("official_import", "ok") != "ok":
                note = f"official anki import: {r['official_import']}; " + note
        revlog = f"{r.get('revlog', '–')} ({r.get('answers', '–')})"
        lines.append(f"| {r['package']} | {r['source']} | {r.get('notes', '–')} | {r.get('cards', '–')} | {revlog} "
                     f"| {r.get('cj_cards', '–')} | {r.get('cj_reviews', '–')} | {r.get('eases_equal', '–')} "
                     f"| {r.get('strict', '–')} | {r.get('media', '–')} | {note.replace('|', '/')} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    sources = {"anki": "ankitects/anki tests", "ankidroid": "ankidroid/Anki-Android tests",
               "cardoverflow": "dharmaturtle/CardOverflow tests", "transformerman": "Rct567/TransformerMan tests"}
    items: list[tuple[Path, str]] = []
    for arg in argv:
        if arg == "--generated":
            continue
        for path in sorted(Path(arg).iterdir()):
            items.append((path, sources.get(path.name.split("__")[0], "public repository")))
    with tempfile.TemporaryDirectory() as tmp:
        if "--generated" in argv:
            items += generated(Path(tmp))
        rows = [measure(path, source) for path, source in items]
        print(table(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
