"""Hostile Anki packages and CSV files at the column and value level: NULLs, wrong types,
extreme integers and dates, huge and deep values. An import either works or raises the
project's own error: never anything else (which would be a traceback for the user)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anki_factory import edit_collection
from cjstudy.errors import CjstudyError

BIG = 2**63 - 1
values = st.one_of(
    st.none(),
    st.sampled_from([0, -1, 1, BIG, -BIG - 1, 2**62, -(2**62), 1_500_000_000, 10**15]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "\x1f", "x\x1fy\x1fz", "{{c1::a", "<![ x", "{}", "[]", "null", "{{c9999999999::x}}",
                     "[" * 2000 + "]" * 2000, '{"a":' * 500 + "1" + "}" * 500]),
    st.binary(max_size=40),
)
COLUMNS = {
    "notes": ["flds", "tags", "guid", "mid", "id", "sfld", "csum"],
    "cards": ["did", "ord", "odid", "type", "queue", "due", "ivl", "factor", "nid", "id"],
    "revlog": ["id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type"],
    "col": ["models", "decks", "conf", "crt", "ver", "dconf"],
    # schema 18 (anki21b) keeps note types, decks and settings in tables of their own
    "notetypes": ["name", "config", "id"],
    "fields": ["name", "ord", "ntid"],
    "templates": ["name", "ord", "config", "ntid"],
    "decks": ["name", "id"],
    "config": ["val"],
}
change = st.sampled_from([(table, column) for table, cols in COLUMNS.items() for column in cols])


@pytest.fixture(scope="module", params=["anki21", "anki21b"])
def package(request, tmp_path_factory) -> Path:
    """A real package with history, made with the official `anki` (schema 11 and 18)."""
    import anki_factory

    folder = tmp_path_factory.mktemp("fuzz-source")
    path, _ = anki_factory.v1_history(folder, fmt=request.param)
    return path


def _anki_collation(con: sqlite3.Connection) -> None:
    """Schema 18 indexes names with Anki's own collation; plain SQLite needs it to write."""
    con.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))


def _import(path: Path) -> None:
    from cjstudy.transfer.apkg_import import import_package

    try:
        import_package(path)
    except CjstudyError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(change, values), min_size=1, max_size=3))
def test_damaged_package_columns_never_raise_anything_else(package, tmp_path, edits):
    copy = tmp_path / "copy.apkg"
    shutil.copy(package, copy)

    def damage(con: sqlite3.Connection) -> None:
        _anki_collation(con)
        for (table, column), value in edits:
            try:
                con.execute(f'UPDATE {table} SET "{column}" = ?', (value,))
            except sqlite3.Error:
                pass  # a constraint of Anki's own schema: that damage cannot happen

    edit_collection(copy, damage)
    _import(copy)


@pytest.mark.parametrize("column", ["config"])
@pytest.mark.parametrize("table", ["notetypes", "templates"])
def test_a_huge_number_in_a_blob_column_builds_nothing_huge(package, tmp_path, table, column):
    """`bytes(1_500_000_000)` is 1.5 GB of zeros: a number where Anki keeps a BLOB must not be
    turned into bytes that way."""
    import resource

    copy = tmp_path / "copy.apkg"
    shutil.copy(package, copy)

    def damage(con: sqlite3.Connection) -> None:
        _anki_collation(con)
        try:
            con.execute(f"UPDATE {table} SET {column} = 1500000000")
        except sqlite3.Error:
            pytest.skip(f"no {table} table in this format")

    edit_collection(copy, damage)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _import(copy)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB: far below 1.5 GB


@pytest.mark.parametrize("models", [
    json.dumps({"1": {"id": 1, "name": "x", "flds": [{"name": None, "ord": "a"}], "tmpls": [{"qfmt": 5}]}}),
    "[" * 100_000 + "]" * 100_000,
    json.dumps({"1": {"id": 1, "name": "x", "type": 1, "flds": [], "tmpls": []}}),
])
def test_odd_note_types_are_refused_or_read(package, tmp_path, models):
    copy = tmp_path / "copy.apkg"
    shutil.copy(package, copy)
    edit_collection(copy, lambda con: (_anki_collation(con), con.execute("UPDATE col SET models = ?", (models,))))
    _import(copy)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=4), min_size=0, max_size=6),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_csv_cells_of_any_text_never_raise_anything_else(tmp_path, rows, delimiter):
    from cjstudy.transfer.csv_import import import_csv

    source = tmp_path / "fuzz.csv"
    source.write_text("\n".join(delimiter.join(row) for row in rows), encoding="utf-8")
    try:
        import_csv(source)
    except CjstudyError:
        pass


@pytest.mark.parametrize("change", ["encrypted", "deflate64"])
def test_encrypted_or_deflate64_members_are_one_line(package, tmp_path, change):
    """Anki never writes them; the zip module refuses them (RuntimeError, NotImplementedError)."""
    import struct

    from cjstudy.transfer.apkg_import import import_package

    raw = bytearray(package.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at >= 0:
            if change == "encrypted":
                flags = struct.unpack_from("<H", raw, at + flags_at)[0]
                struct.pack_into("<H", raw, at + flags_at, flags | 0x1)
            else:
                struct.pack_into("<H", raw, at + flags_at + 2, 9)  # compression method 9: deflate64
            at = raw.find(signature, at + 4)
    copy = tmp_path / "odd.apkg"
    copy.write_bytes(bytes(raw))
    with pytest.raises(CjstudyError):
        import_package(copy)
