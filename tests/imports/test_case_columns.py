"""The import writes case_file with Core inserts, past the model's Python defaults' intent: a
column added to the case later must be written by the import or have a default in the database,
or imported cases would silently lack it."""

from __future__ import annotations

from mediation.imports import writer
from mediation.models import Case
from tests.imports.test_services import ledger, run


def test_every_case_file_column_is_written_by_the_import_or_has_a_server_default(importer, monkeypatch):
    inserted: list[dict] = []
    insert = writer._insert

    def spy(table, rows, key=None):  # noqa: ANN001, ANN202
        if table is Case.__table__:
            inserted.extend(rows)
        return insert(table, rows, key)

    monkeypatch.setattr(writer, "_insert", spy)
    report = run(importer, ledger())
    assert report.imported == len(inserted) > 0
    assert len({frozenset(row) for row in inserted}) == 1  # every row names the same columns
    unwritten = [column.name for column in Case.__table__.columns
                 if column.name not in inserted[0] and column.server_default is None
                 and not (column.primary_key and column.autoincrement)]
    assert unwritten == []
