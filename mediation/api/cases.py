"""Cases: the scoped, filtered list; a referral (create); one case with everything about it.

Thin: parse (the schemas), check scope (404 for a case or region the user cannot see), call
the selectors and services, write the result out.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from mediation import policy
from mediation.api.docs import blueprint, problems
from mediation.api.present import case_detail, case_summary
from mediation.api.problems import ApiProblem, from_service_error
from mediation.api.schemas.cases import (
    CaseListQuerySchema,
    CasePageSchema,
    CaseSchema,
    IntakeResultSchema,
)
from mediation.api.writes import writes
from mediation.case_core.lookup import case_by_number
from mediation.cases.intake import IntakeInput, WorkerInput
from mediation.cases.referrals import referral_intake
from mediation.cases.schemas import ReferralSchema
from mediation.cases.selectors import CaseFilters, case_list_query
from mediation.common.errors import NeedsConfirmation, ValidationFailed
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, Region

bp = blueprint("cases_api", __name__, url_prefix="/api/v1/cases",
               description="Cases in your region's subtree: list, take in a referral, read one.")


def load_case(number: str) -> Case:
    """The case, or 404 when it does not exist or lies outside the user's scope."""
    case = case_by_number(current_user, number)
    if case is None:
        raise ApiProblem(404, "not_found", _l("There is no such case in your region."))
    return case


def scoped_region(code: str, field: str) -> Region:
    """A region filter: an unknown code is the client's mistake (422); a region outside the
    user's subtree does not exist for them (404), whatever the URL says."""
    region = db.session.get(Region, code)
    if region is None:
        raise ApiProblem(422, "validation_failed", _l("Please correct the marked fields."),
                         errors=[{"field": field, "message": _l("Unknown region.")}])
    if not policy.can_see_region(current_user, region):
        raise ApiProblem(404, "not_found", _l("There is no such region in your scope."))
    return region


@bp.route("", methods=["GET"])
@problems(bp, 404, 422)
@bp.arguments(CaseListQuerySchema, location="query", as_kwargs=True)
@bp.response(200, CasePageSchema)
def case_list(page: int, per_page: int, **filters: Any):
    """The cases you may see, newest first, filtered like the case list page."""
    if filters.get("region"):
        scoped_region(filters["region"], "region")
    chosen = CaseFilters(q=filters.get("q") or "", state=filters.get("state") or "",
                         region=filters.get("region") or "", channel=filters.get("channel") or "",
                         overdue=filters.get("overdue") or "", employer=(filters.get("employer") or "").upper())
    # each item carries its paid total, which the page's list does not show: load the payments
    # with the page of cases, not one query per case
    query = case_list_query(current_user, chosen, today=today()).options(selectinload(Case.payments))
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    return {"items": [case_summary(case) for case in result.items], "page": page, "per_page": per_page,
            "total": result.total or 0, "pages": result.pages}


def _intake_input(body: dict) -> IntakeInput:
    employer = body["employer"]
    return IntakeInput(
        channel=body["channel"], region_code=body["region_code"], received_on=body["received_on"] or today(),
        employer_name=employer["name"], employer_uscc=employer["uscc"],
        employer_legal_representative=employer["legal_representative"], employer_address=employer["address"],
        workers=[WorkerInput(name=w["name"], id_number=w["id_number"], phone=w["phone"],
                             # the service reads yuan as typed; the schema has checked and parsed it
                             claims={c["kind"]: format_yuan(c["amount"], grouping=False) for c in w["claims"]})
                 for w in body["workers"]],
        referral_ref=body["referral_ref"], venue_id=body["venue_id"], summary=body["summary"],
        language=body["language"], confirmed=body["confirm"])


@bp.route("", methods=["POST"])
@writes(idempotent=False)  # the referral's own reference makes a retry safe
@problems(bp, 400, 403, 409, 413, 415, 422)
@bp.arguments(ReferralSchema)
@bp.response(201, IntakeResultSchema, headers={"Location": {"description": "The case's address.",
                                                    "schema": {"type": "string"}}})
@bp.alt_response(200, schema=IntakeResultSchema, success=True,
                 description="This referral was registered before: the case it made, unchanged.")
def case_create(body: dict):
    """Take in a referral (a mediator or an admin): workers, employer and claim items.

    The pair (channel, referral_ref) identifies a referral: sending it again returns the case it
    made (200) instead of a second case (201), so no Idempotency-Key is needed (one is ignored).

    When other cases recorded a worker's ID number or the credit code under another name, or a
    case still open has the same worker and employer (a likely duplicate), the answer is 409
    `confirmation_required` and nothing is saved: `errors` lists the warnings by field (naming
    the other case only when it is in your scope). Check them, then send the body again with
    `"confirm": true`.
    """
    user = current_user
    try:
        case, created, warnings = referral_intake(actor=user, data=_intake_input(body))
    except (ValidationFailed, NeedsConfirmation) as error:
        return from_service_error(error)  # named in the body's terms already
    db.session.flush()
    case = case_by_number(user, case.number)
    headers = {"Location": url_for("cases_api.case_read", number=case.number)}
    return {**case_detail(case, user), "warnings": warnings}, (201 if created else 200), headers


@bp.route("/<case_number:number>", methods=["GET"])
@problems(bp, 404)
@bp.response(200, CaseSchema)
def case_read(number: str):
    """A case with its parties, claims, assignment, schedule, payments and history."""
    return case_detail(load_case(number), current_user)
