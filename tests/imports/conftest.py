"""Ledgers for the import tests, built in the test as a clerk's Excel would write them: rows of
values, turned into CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX, with English or Chinese headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.imports.reader import COLUMN_ALIASES
from mediation.models import Case, CaseEvent, CaseNumberSequence, ClaimItem, Employer, Payment, StatsMonth, Worker
from tests.factories import credit_code, make_user, resident_id
from tests.web.conftest import (  # noqa: F401 - the view tests use the web tests' fixtures
    _request_scoped_clients,
    client,
)

COLUMNS = tuple(COLUMN_ALIASES)
_refs = itertools.count(1)


def row(**values: str) -> dict[str, str]:
    """One valid row: a settled, fully paid wage claim in Changchun's Nanguan district."""
    base = {
        "case_ref": "(2025)吉0102民初100号", "channel": "court", "region_code": "220102", "venue": "",
        "received_on": "2025-03-03", "employer_name": "长春导入测试有限公司", "employer_uscc": EMPLOYER,
        "worker_name": "张三", "worker_id_number": WORKER, "worker_phone": "13812345678", "claim_kind": "wages",
        "claimed_amount": "5000.00", "outcome": "settled", "agreed_amount": "4000.00", "paid_amount": "4000.00",
        "paid_on": "2025-04-01", "closed_on": "2025-03-20",
    }
    base.update(values)
    return base


EMPLOYER = credit_code(900001)
WORKER = resident_id(901, born=dt.date(1980, 2, 29))
_people = itertools.count(1)


def person_id() -> str:
    """A fresh valid ID number, never WORKER's nor the factories' (another birth date)."""
    return resident_id(next(_people) % 1000, born=dt.date(1990, 1, 1))


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def a_case(ref: str | None = None, *, workers: int = 1, kinds: tuple[str, ...] = ("wages",),
           **values: str) -> list[dict]:
    """The rows of one case: each worker (fresh ID numbers) with one row per claim kind."""
    ref = ref or f"(2025)吉0102民初{next(_refs)}号"
    people = [(f"工人{next(_refs)}", person_id()) for _ in range(workers)]
    return [row(case_ref=ref, worker_name=name, worker_id_number=number, claim_kind=kind, **values)
            for name, number in people for kind in kinds]


def ledger() -> list[dict]:
    """A small ledger with every result: settled and paid, settled partly paid, failed, withdrawn, pending."""
    return [
        *a_case("(2025)吉0102民初1号", workers=2, kinds=("wages", "overtime")),
        *a_case("(2025)吉0102民初2号", paid_amount="1000.00", employer_uscc=credit_code(900002),
                employer_name="长春第二测试厂"),
        *a_case("人社-2025-7", channel="hr", outcome="failed", agreed_amount="", paid_amount="", paid_on=""),
        *a_case("来访-2025-3", channel="walk_in", outcome="withdrawn", agreed_amount="", paid_amount="",
                paid_on="", closed_on="2025-03-10"),
        *a_case("(2025)吉0102民初5号", outcome="pending", agreed_amount="", paid_amount="", paid_on="",
                closed_on="", received_on="2025-06-01"),
    ]


def header(language: str = "en", columns: tuple[str, ...] = COLUMNS) -> list[str]:
    return [COLUMN_ALIASES[c][0] if language == "zh" else c for c in columns]


def to_csv(rows: list[dict], *, encoding: str = "utf-8", language: str = "en",
           columns: tuple[str, ...] = COLUMNS) -> bytes:
    """CSV as Excel saves it: CRLF lines; encoding "utf-8-sig" for "CSV UTF-8", "gbk" for "CSV"."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(language, columns))
    writer.writerows([[r.get(c, "") for c in columns] for r in rows])
    return out.getvalue().encode(encoding)


def to_xlsx(rows: list[dict], *, language: str = "zh", title: str | None = None, typed: bool = True) -> bytes:
    """An XLSX workbook; `typed` stores amounts as numbers and dates as dates, as Excel does."""
    import datetime as dt
    from decimal import Decimal

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header(language))
    for values in rows:
        cells = []
        for column in COLUMNS:
            value = values.get(column, "")
            if typed and value and column.endswith("_amount"):
                value = float(Decimal(value))
            elif typed and value and column.endswith("_on"):
                value = dt.date.fromisoformat(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TABLES = (Case, Worker, Employer, ClaimItem, Payment, CaseEvent, CaseNumberSequence, StatsMonth)


def counts() -> dict[str, int]:
    db.session.rollback()  # a fresh read: what was committed
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


@pytest.fixture
def importer(app):
    """A supervisor of the province: may import into every region."""
    return make_user("supervisor", "220000")
