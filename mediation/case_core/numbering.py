"""Case numbers: "<region code>-<year>-<sequence>", unique, gap-free per region and year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mediation.extensions import db
from mediation.models import CaseNumberSequence


def next_case_number(*, region_code: str, year: int) -> str:
    """Take the next number under a row lock, so two intakes never draw the same one."""
    return reserve_case_numbers(region_code=region_code, year=year, count=1)[0]


def reserve_case_numbers(*, region_code: str, year: int, count: int) -> list[str]:
    """Take the next `count` numbers at once (a bulk import numbers a region's year in one go)."""
    for _ in range(3):
        sequence = db.session.execute(
            select(CaseNumberSequence)
            .where(CaseNumberSequence.region_code == region_code, CaseNumberSequence.year == year)
            .with_for_update()
        ).scalar_one_or_none()
        if sequence is not None:
            first = sequence.last_value + 1
            sequence.last_value += count
            return [f"{region_code}-{year}-{value:05d}" for value in range(first, first + count)]
        try:  # the first case of a region's year: another request may create the row first
            with db.session.begin_nested():
                db.session.add(CaseNumberSequence(region_code=region_code, year=year, last_value=0))
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a case number")  # pragma: no cover
