"""Referrals from the courts' and arbitration commissions' platforms: taken in once.

A platform retries a referral whose answer it did not get. The pair (channel, the referring
body's reference) is unique in the database, and a referral that is already registered answers
with the case it made instead of a second case, also when two copies arrive at the same moment
(the loser of the race finds the winner's case after its insert fails).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mediation import policy
from mediation.cases.intake import IntakeInput, case_intake
from mediation.common.errors import Conflict, ServiceError, ValidationFailed
from mediation.extensions import db
from mediation.models import Case, User


class DuplicateReferral(ServiceError):
    """The referral is registered, as a case the actor may not see."""

    status = 409
    code = "duplicate_referral"


def registered_referral(actor: User, channel: str, referral_ref: str) -> Case | None:
    """The case this referral already made, if any; refused when it lies outside the actor's scope."""
    ref = referral_ref.strip() if isinstance(referral_ref, str) else ""
    if not ref:
        return None
    case = db.session.scalar(select(Case).where(Case.channel == channel, Case.referral_ref == ref))
    if case is not None and not policy.can_see_case(actor, case):
        raise DuplicateReferral(_l("This referral is already registered, in a region outside yours."))
    return case


def referral_intake(*, actor: User, data: IntakeInput) -> tuple[Case, bool, list[str]]:
    """(case, created, warnings): a new case, or the one this referral made before. Flushes; the
    caller commits."""
    existing = registered_referral(actor, data.channel, data.referral_ref)
    if existing is not None:
        return existing, False, []
    try:
        with db.session.begin_nested():  # a savepoint: a lost race undoes this intake only
            case, warnings = case_intake(actor=actor, data=data)
    except ValidationFailed:
        # registered between our look and the service's own: answer with that case
        existing = registered_referral(actor, data.channel, data.referral_ref)
        if existing is not None:
            return existing, False, []
        raise
    except IntegrityError:
        # the insert lost a race with a concurrent copy of this referral (or of a new party)
        existing = registered_referral(actor, data.channel, data.referral_ref)
        if existing is not None:
            return existing, False, []
        raise Conflict(_l("Another request registered some of the same parties at the same moment. "
                          "Nothing was saved: send the referral again.")) from None
    return case, True, warnings
