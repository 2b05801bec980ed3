"""Checking a ledger: every row on its own, then the rows of each case together, then the file.

Every problem is kept as (row, column, message), so the report lists all of them at once; the
checks against the database (regions, venues, known workers and employers) are in records.py.

Each row is one worker's claim item. What belongs to the case (source, region, venue, dates,
employer, result) must read the same on every row of the case; what belongs to the worker
(name, phone) the same on every row of the worker. Money is checked as a clerk would:
agreed at most what was claimed, paid at most what was agreed, a payment dated on or after
the settlement, since the system records payments under an agreement (settlements/ledger.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from mediation.cases.intake import MAX_WORKERS
from mediation.common.identity import InvalidIdentifier, check_mobile, check_resident_id, check_uscc
from mediation.imports import fields
from mediation.imports.fields import FieldError
from mediation.imports.reader import FormulaCell

CASE_COLUMNS = ("channel", "region_code", "venue", "received_on", "employer_name", "employer_uscc", "outcome",
                "closed_on")
CONCLUDED = ("settled", "failed", "withdrawn")


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row number as the spreadsheet shows it; None: the file as a whole
    column: str  # a field name (reader.COLUMN_ALIASES), "" for the whole row or file
    message: Any  # a lazy string, translated when shown


@dataclass(slots=True)
class Row:
    number: int
    case_ref: str
    channel: str | None = None
    region_code: str = ""
    venue: str = ""
    received_on: dt.date | None = None
    employer_name: str = ""
    employer_uscc: str = ""
    uscc_checksum_failed: bool = False
    worker_name: str = ""
    worker_id_number: str = ""
    worker_phone: str | None = None
    claim_kind: str | None = None
    claimed_fen: int | None = None
    outcome: str | None = None
    agreed_fen: int | None = None
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    closed_on: dt.date | None = None


@dataclass
class LedgerCase:
    """The rows of one case_ref; the case's own fields are read from its first row."""

    ref: str
    rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Row:
        return self.rows[0]

    @property
    def venue(self) -> str:
        """Optional, so some rows may leave it blank; the rows that name it agree (check_case)."""
        return next((row.venue for row in self.rows if row.venue), "")


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def add(self, row: int | None, column: str, message: Any) -> None:
        self.problems.append(Problem(row, column, message))
        if row is not None:
            self.bad_rows.add(row)


class _Checks:
    """The identity and date checks, each done once per distinct value: a worker has a row per
    claim item, an employer a row per worker, and a ledger has few distinct dates."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.ids: dict[str, Any] = {}
        self.usccs: dict[str, Any] = {}
        self.phones: dict[str, Any] = {}
        self.dates: dict[str, Any] = {}
        self.warned: set[str] = set()  # ID numbers whose warnings are reported (once per worker)
        self._date = lambda value: fields.date(value, today)
        self._resident_id = lambda value: check_resident_id(value, today=today)

    @staticmethod
    def _cached(cache: dict, key: str, check):  # noqa: ANN001, ANN205
        if key not in cache:
            try:
                cache[key] = check(key)
            except (InvalidIdentifier, FieldError) as error:
                cache[key] = FieldError(error.args[0])
        result = cache[key]
        if isinstance(result, FieldError):
            raise result
        return result

    def resident_id(self, value: str):  # noqa: ANN201
        if fields.looks_like_a_number_cell(value):
            raise FieldError(fields.NUMBER_CELL_MESSAGE)
        return self._cached(self.ids, value, self._resident_id)

    def uscc(self, value: str):  # noqa: ANN201
        return self._cached(self.usccs, value, check_uscc)

    def phone(self, value: str) -> str:
        return self._cached(self.phones, value, check_mobile)

    def date(self, value: str) -> dt.date:
        return self._cached(self.dates, value, self._date)


REQUIRED = _l("This field is required.")


def _text64(value: str) -> str:
    return fields.text(value, 64)


def _text120(value: str) -> str:
    return fields.text(value, 120)


def _claimed(value: str) -> int:
    return fields.amount(value, allow_zero=False)


def clean_row(number: int, raw: dict[str, str], checks: _Checks, found: Findings) -> Row:
    """The row's values, cleaned; each unusable cell adds a problem and is left empty."""
    row = Row(number, raw.get("case_ref", ""))

    def cell(column: str, parse, *, required: bool = False):  # noqa: ANN001, ANN202
        value = raw.get(column, "")
        if isinstance(value, FormulaCell):
            found.add(number, column, formula_problem(value))
            return None
        if not value:
            if required:
                found.add(number, column, REQUIRED)
            return None
        try:
            return parse(value)
        except FieldError as error:
            found.add(number, column, error.args[0])
            return None

    row.case_ref = cell("case_ref", _text64, required=True) or ""
    row.channel = cell("channel", fields.channel, required=True)
    row.region_code = raw.get("region_code", "")
    if isinstance(row.region_code, FormulaCell):
        found.add(number, "region_code", formula_problem(row.region_code))
        row.region_code = ""
    elif not row.region_code:
        found.add(number, "region_code", REQUIRED)
    row.venue = cell("venue", _text120) or ""
    row.received_on = cell("received_on", checks.date, required=True)
    row.employer_name = cell("employer_name", _text120, required=True) or ""
    uscc = cell("employer_uscc", checks.uscc, required=True)
    if uscc is not None:
        row.employer_uscc, row.uscc_checksum_failed = uscc.value, uscc.checksum_failed
    row.worker_name = cell("worker_name", _text64, required=True) or ""
    resident = cell("worker_id_number", checks.resident_id, required=True)
    if resident is not None:
        row.worker_id_number = resident.value
        if resident.warnings and resident.value not in checks.warned:
            checks.warned.add(resident.value)
            found.warnings.extend(Problem(number, "worker_id_number", w) for w in resident.warnings)
    row.worker_phone = _phone(number, raw, checks, found)
    row.claim_kind = cell("claim_kind", fields.claim_kind, required=True)
    row.claimed_fen = cell("claimed_amount", _claimed, required=True)
    row.outcome = cell("outcome", fields.outcome, required=True)
    row.agreed_fen = cell("agreed_amount", fields.amount)
    row.paid_fen = cell("paid_amount", fields.amount)
    row.paid_on = cell("paid_on", checks.date)
    row.closed_on = cell("closed_on", checks.date)
    _check_outcome(row, raw, found)
    return row


def formula_problem(cell: FormulaCell):  # noqa: ANN201
    formula = cell if len(cell) <= 40 else cell[:39] + "…"
    return _l("Cell %(cell)s holds a formula (%(formula)s), not a value: copy the column and paste it back as "
              "values only (Paste Special → Values), then import the file again.", cell=cell.coordinate,
              formula=formula)


def _phone(number: int, raw: dict[str, str], checks: _Checks, found: Findings) -> str | None:
    """The worker's phone, or None. One that fails validation does not cost the case: it is left
    empty and the row and reason go into the report's warnings (a phone is for reaching the
    worker, not part of the dispute); a correct one can be added on the case later."""
    value = raw.get("worker_phone", "")
    if isinstance(value, FormulaCell):
        found.add(number, "worker_phone", formula_problem(value))
        return None
    if not value:
        return None
    try:
        return checks.phone(value)
    except FieldError as error:
        found.warnings.append(Problem(number, "worker_phone", _l(
            "%(reason)s The phone number was left empty: the case is imported without it.", reason=error.args[0])))
        return None


def _check_outcome(row: Row, raw: dict[str, str], found: Findings) -> None:
    """What the result requires and forbids, and the order of the dates and amounts."""
    number, outcome = row.number, row.outcome
    if outcome == "settled":
        if not raw.get("agreed_amount"):
            found.add(number, "agreed_amount", _l("A settled case needs the agreed amount of every row."))
        if row.agreed_fen is not None and row.claimed_fen is not None and row.agreed_fen > row.claimed_fen:
            found.add(number, "agreed_amount", _l("The agreed amount is more than the amount claimed."))
        if row.paid_fen is not None and row.agreed_fen is not None and row.paid_fen > row.agreed_fen:
            found.add(number, "paid_amount", _l("The amount paid is more than the amount agreed."))
    elif outcome is not None:
        for column in ("agreed_amount", "paid_amount", "paid_on"):
            if raw.get(column):
                found.add(number, column, _l("Only a settled case has agreed or paid amounts."))
    if outcome in CONCLUDED and not raw.get("closed_on"):
        found.add(number, "closed_on", _l("A concluded case (settled, failed or withdrawn) needs its closing date."))
    if outcome == "pending" and raw.get("closed_on"):
        found.add(number, "closed_on", _l("A pending case has no closing date."))
    if outcome == "settled" and raw.get("paid_on") and (not raw.get("paid_amount") or row.paid_fen == 0):
        found.add(number, "paid_amount", _l("A payment date is given but no amount paid."))
    if row.paid_fen and not raw.get("paid_on"):
        found.add(number, "paid_on", _l("Money was paid: give the date it was paid."))
    if row.received_on is not None:
        if row.closed_on is not None and row.closed_on < row.received_on:
            found.add(number, "closed_on", _l("The closing date is before the acceptance date."))
        if row.paid_on is not None and row.closed_on is None and row.paid_on < row.received_on:
            found.add(number, "paid_on", _l("The payment date is before the acceptance date."))
    if (outcome == "settled" and row.paid_on is not None and row.closed_on is not None
            and row.paid_on < row.closed_on):
        found.add(number, "paid_on", _l("Money is paid under the agreement: the payment date cannot be before "
                                        "the closing date of the settled case."))


def group_cases(rows: Iterable[Row]) -> dict[str, LedgerCase]:
    """Rows by case_ref, in the order the cases first appear; rows without a usable ref belong to none."""
    cases: dict[str, LedgerCase] = {}
    for row in rows:
        if not row.case_ref:
            continue
        case = cases.get(row.case_ref)
        if case is None:
            case = cases[row.case_ref] = LedgerCase(row.case_ref)
        case.rows.append(row)
    return cases


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def check_case(case: LedgerCase, found: Findings) -> None:
    """The rows of one case agree on the case's fields, and no worker's claim item comes twice."""
    first = case.first
    for row in case.rows[1:]:
        for column in CASE_COLUMNS:
            mine, theirs = getattr(row, column), getattr(first, column)
            if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
                found.add(row.number, column, _l("Differs from row %(row)d of the same case (%(value)s).",
                                                 row=first.number, value=_shown(theirs)))
    seen_items: dict[tuple[str, str], int] = {}
    workers: dict[str, Row] = {}
    for row in case.rows:
        if not row.worker_id_number:
            continue
        key = (row.worker_id_number, row.claim_kind or "")
        if row.claim_kind and key in seen_items:
            found.add(row.number, "", _l("The same worker and claim kind as row %(row)d: a duplicated row, or "
                                         "two amounts of one kind to add up into one row.", row=seen_items[key]))
        seen_items.setdefault(key, row.number)
        earlier = workers.setdefault(row.worker_id_number, row)
        if earlier.worker_name and row.worker_name and earlier.worker_name != row.worker_name:
            found.add(row.number, "worker_name", _l("Row %(row)d gives this ID number another name (%(name)s).",
                                                    row=earlier.number, name=earlier.worker_name))
        if earlier.worker_phone and row.worker_phone and earlier.worker_phone != row.worker_phone:
            found.add(row.number, "worker_phone", _l("Row %(row)d gives this worker another phone number.",
                                                     row=earlier.number))
        if not earlier.worker_phone and row.worker_phone:
            workers[row.worker_id_number] = row
    if len(workers) > MAX_WORKERS:
        found.add(first.number, "", _l("At most %(n)d workers in one case.", n=MAX_WORKERS))
    if first.outcome == "settled" and all(r.agreed_fen is not None for r in case.rows) \
            and sum(r.agreed_fen or 0 for r in case.rows) == 0:
        found.add(first.number, "agreed_amount", _l("The agreed total of a settled case must be greater than zero."))


def check_people_across_cases(cases: Iterable[LedgerCase], found: Findings) -> None:
    """One ID number is one person in the whole file (and the database: records.py)."""
    names: dict[str, Row] = {}
    for case in cases:
        for row in case.rows:
            if not row.worker_id_number or not row.worker_name:
                continue
            earlier = names.setdefault(row.worker_id_number, row)
            if earlier.case_ref != row.case_ref and earlier.worker_name != row.worker_name:
                found.add(row.number, "worker_name", _l(
                    "Row %(row)d gives this ID number another name (%(name)s).",
                    row=earlier.number, name=earlier.worker_name))


def validate_rows(raw_rows: list[tuple[int, dict[str, str]]], today: dt.date) -> tuple[
        list[Row], dict[str, LedgerCase], Findings]:
    """Everything that needs no database: the rows, each case, and the workers across cases."""
    found, checks = Findings(), _Checks(today)
    rows = [clean_row(number, raw, checks, found) for number, raw in raw_rows]
    cases = group_cases(rows)
    for case in cases.values():
        check_case(case, found)
    check_people_across_cases(cases.values(), found)
    return rows, cases, found
