"""Importing a case ledger: read it, check every row, and write its cases all at once or not at all.

1. reader.py turns the file (CSV in UTF-8 or GBK, or XLSX, at most MAX_FILE_BYTES) into rows.
2. validate.py checks each row and each case; records.py checks them against the database.
3. With any problem nothing is written, unless the importer asked to skip the invalid cases:
   then every case with a problem on any of its rows is left out whole, and the rest written.
4. writer.py inserts the new cases (cases already on record are counted, not touched) in the
   caller's transaction; the caller commits once (a page through mediation.web.commit, the CLI itself).

The importer must be a supervisor or administrator (policy.can_import_cases), and every case
must lie in their own region's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from mediation import policy
from mediation.audit.log import audit_record
from mediation.common.errors import Conflict, NotPermitted
from mediation.common.timeutil import today
from mediation.imports.reader import LedgerUnreadable, read_ledger
from mediation.imports.records import check_against_records, look_up
from mediation.imports.validate import Problem, validate_rows
from mediation.imports.writer import Written, write_cases
from mediation.models import User


@dataclass
class ImportReport:
    filename: str
    file_format: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field -> its header in the file
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    cases: int = 0  # distinct case references in the file
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    existing: list[tuple[str, str]] = field(default_factory=list)  # (case ref, its number): left as they are
    skipped: int = 0  # cases left out for their problems (when asked to skip them)
    written: Written = field(default_factory=Written)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> int:
        return self.written.cases

    def header_of(self, column: str) -> str:
        return self.columns.get(column, column)


def import_ledger(*, actor: User, filename: str, file_bytes: bytes | None = None, path: str | Path | None = None,
                  skip_invalid: bool = False) -> ImportReport:
    """Check the ledger and write its new cases (nothing if it has problems, unless `skip_invalid`)."""
    if not policy.can_import_cases(actor):
        raise NotPermitted(_l("Your role may not import cases."))
    report = ImportReport(filename=filename or (Path(path).name if path else ""))
    try:
        ledger = read_ledger(data=file_bytes, path=path, filename=report.filename)
    except LedgerUnreadable as error:
        report.problems.append(Problem(None, "", error.args[0]))
        return report
    report.file_format, report.columns, report.ignored_columns = (
        ledger.file_format, ledger.columns, ledger.ignored_columns)
    rows, cases, found = validate_rows(ledger.rows, today())
    report.rows, report.cases = len(rows), len(cases)
    records = look_up(cases.values(), actor)
    check_against_records(cases.values(), records, actor, found)
    report.problems = sorted(found.problems, key=lambda p: (p.row or 0, p.column))
    report.warnings = found.warnings
    bad = {row.case_ref for row in rows if row.number in found.bad_rows}
    report.existing = [(ref, records.cases[(case.first.channel, ref)]) for ref, case in cases.items()
                       if ref not in bad and (case.first.channel, ref) in records.cases]
    if report.problems and not skip_invalid:
        return report
    existing = {ref for ref, _number in report.existing}
    good = [case for ref, case in cases.items() if ref not in bad and ref not in existing]
    report.skipped = len(bad & cases.keys())
    try:
        report.written = write_cases(good, records, actor, report.filename)
    except IntegrityError:  # another import or intake wrote the same case or person meanwhile
        raise Conflict(_l("Someone registered some of these cases or people while the file was being imported. "
                          "Nothing was written: import the file again.")) from None
    # Each case written has its own "import" event; the entry records the import as a whole.
    audit_record(actor=actor, action="import.ledger", region_code=actor.region_code, target_kind="ledger",
                 target_id=None, detail={"filename": report.filename, "rows": report.rows, "cases": report.cases,
                                         "imported": report.imported, "existing": len(report.existing),
                                         "skipped": report.skipped, "problems": len(report.problems)})
    return report
