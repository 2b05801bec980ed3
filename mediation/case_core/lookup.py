"""The case a URL names, loaded with what its pages read: every adapter (pages, API) looks a case
up here, within the user's scope."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from mediation import policy
from mediation.extensions import db
from mediation.models import Case, CaseEvent, EnforcementPath, Installment, Payment, User


def case_by_number(user: User, number: str) -> Case | None:
    """The case if it exists and lies in the user's scope: callers answer 404 otherwise."""
    return db.session.execute(
        policy.scoped_cases(user).where(Case.number == number).options(
            selectinload(Case.claims), selectinload(Case.workers),
            selectinload(Case.payments),
            selectinload(Case.payment_records).options(joinedload(Payment.worker), joinedload(Payment.recorded_by),
                                                       joinedload(Payment.voided_by)),
            # the schedule and enforcement tables read each installment's worker and allocations
            # and each path's payments: loaded with the case, not one query per row
            selectinload(Case.installments).options(joinedload(Installment.worker),
                                                    selectinload(Installment.allocations)),
            selectinload(Case.enforcement_paths).selectinload(EnforcementPath.payments),
            selectinload(Case.events).joinedload(CaseEvent.actor), selectinload(Case.sessions))
    ).scalar_one_or_none()
