"""Asserting that a refused service call left the database exactly as it was.

A view rolls the session back when a service raises a ServiceError; these helpers do the same
and then compare row counts and the case row, read afresh from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from mediation.common.errors import ServiceError
from mediation.extensions import db
from mediation.models import (
    Case,
    CaseDocument,
    CaseEvent,
    ClaimItem,
    Employer,
    EnforcementPath,
    Installment,
    MediationSession,
    Payment,
    PaymentAllocation,
    Signature,
    User,
    Venue,
    Worker,
)

COUNTED = (Case, Worker, Employer, ClaimItem, CaseEvent, Payment, MediationSession, User, Venue, CaseDocument,
           Installment, Signature, PaymentAllocation, EnforcementPath)
CASE_COLUMNS = (Case.state, Case.version, Case.venue_id, Case.lawyer_id, Case.summary, Case.referred_on,
                Case.mediation_started_on, Case.mediation_due_on, Case.due_is_approximate, Case.extended,
                Case.settled_on, Case.ended_on, Case.outcome_reason, Case.agreement_effective_on,
                Case.written_off_fen, Case.employer_id, Case.employer_name, Case.employer_uscc,
                Case.employer_legal_representative, Case.employer_address)


def row_counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def case_row(case_id: int) -> dict:
    """The case's columns that services change, and the agreed amount of each claim item."""
    row = dict(db.session.execute(select(*CASE_COLUMNS).where(Case.id == case_id)).one()._mapping)
    row["agreed_fen"] = dict(db.session.execute(
        select(ClaimItem.id, ClaimItem.agreed_fen).where(ClaimItem.case_id == case_id)).all())
    row["workers"] = [tuple(w) for w in db.session.execute(
        select(Worker.id, Worker.name, Worker.id_number, Worker.phone, Worker.address)
        .where(Worker.case_id == case_id).order_by(Worker.id)).all()]
    return row


def snapshot(case_id: int | None = None, also: Callable[[], object] | None = None) -> tuple:
    return row_counts(), case_row(case_id) if case_id is not None else None, also() if also else None


@contextmanager
def nothing_written(error: type[ServiceError], case: Case | None = None, field: str | None = None, *,
                    also: Callable[[], object] | None = None) -> Iterator[pytest.ExceptionInfo]:
    """Expect `error` (naming `field`, if given) and no change to any counted row, to the case,
    or to what `also` reads from the database."""
    case_id = case.id if case is not None else None
    before = snapshot(case_id, also)
    with pytest.raises(error) as info:
        yield info
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value.message}"
    db.session.rollback()  # what the views do on a ServiceError
    after = snapshot(case_id, also)
    assert after == before, f"the database changed:\n{before}\n{after}"
    if field is not None:
        assert field in info.value.field_errors, info.value.field_errors
        assert all(info.value.field_errors[field])


def last_event_id() -> int:
    return db.session.scalar(select(func.max(CaseEvent.id))) or 0


def new_events(after_id: int) -> list[CaseEvent]:
    return db.session.scalars(select(CaseEvent).where(CaseEvent.id > after_id).order_by(CaseEvent.id)).all()


def english(message) -> str:  # noqa: ANN001
    """A refusal's (lazy) message as an English page shows it: it is translated when read, not when
    raised, so a test reads it in English whatever locale is current after the call."""
    with force_locale("en"):
        return str(message)
