"""Workflow triggers: POST /api/v1/cases/{number}/actions/{trigger}, one operation per trigger.

Each calls the same service as the case's action page (mediation/cases/actions.py), so the
role, state and guard rules are the services' own: a role that may not fire it is 403, a state
or guard that refuses it is 409 `refused`, a stale `expected_version` is 409 `conflict`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from mediation.api.auth import api_user
from mediation.api.cases import load_case
from mediation.api.docs import blueprint, problems
from mediation.api.idempotency import HEADER_DOC, REPLAYED_DOC
from mediation.api.present import case_detail
from mediation.api.problems import from_service_error
from mediation.api.schemas import actions as schemas
from mediation.api.schemas.cases import CaseSchema
from mediation.api.writes import writes
from mediation.cases import services
from mediation.enforcement import services as enforcement
from mediation.errors import ServiceError, ValidationFailed
from mediation.extensions import db
from mediation.models import Case, User, Venue

bp = blueprint("actions_api", __name__, url_prefix="/api/v1/cases",
               description="Workflow triggers, with the fields each needs (the same rules as the case pages).")


def _invalid(field_name: str, message: Any) -> ValidationFailed:
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field_name: [str(message)]})


def _refer(case: Case, user: User, body: dict) -> None:
    venue = db.session.get(Venue, body["venue_id"])
    if venue is None:
        raise _invalid("venue_id", _l("Unknown venue."))
    lawyer = case.lawyer
    if body["lawyer_id"] is not None:
        lawyer = db.session.get(User, body["lawyer_id"])
        if lawyer is None:
            raise _invalid("lawyer_id", _l("This person cannot be assigned as the case's lawyer."))
    services.case_refer(case=case, actor=user, expected_version=body["expected_version"], venue=venue,
                        lawyer=lawyer, note=body["note"], referred_on=body["referred_on"])


def _ending(service: Callable) -> Callable:
    return lambda case, user, body: service(case=case, actor=user, expected_version=body["expected_version"],
                                            reason=body["reason"], ended_on=body["ended_on"])


def _agreed(body: dict) -> dict[int, int]:
    agreed: dict[int, int] = {}
    for index, item in enumerate(body["agreed"]):
        if item["claim_id"] in agreed:
            raise _invalid(f"agreed/{index}/claim_id", _l("This claim item is entered twice."))
        agreed[item["claim_id"]] = item["amount"]
    return agreed


def _settle_fields(body: dict) -> Callable[[str], str]:
    """The settle service names an amount "agreed-<claim id>": point at its row in the body."""
    rows = {f"agreed-{item['claim_id']}": f"agreed/{index}/amount" for index, item in enumerate(body["agreed"])}
    return lambda name: rows.get(name, "agreed" if name.startswith("agreed-") else name)


@dataclass(frozen=True)
class Trigger:
    schema: type
    run: Callable[[Case, User, dict], Any]
    summary: str
    rename: Callable[[dict], Callable[[str], str]] = field(default=lambda body: lambda name: name)


TRIGGERS: dict[str, Trigger] = {
    "refer": Trigger(schemas.ReferSchema, _refer, "Refer the case to a venue (and assign its lawyer)"),
    "reject": Trigger(schemas.ReasonSchema, _ending(services.case_reject), "Reject the case"),
    "withdraw": Trigger(schemas.ReasonSchema, _ending(services.case_withdraw), "Withdraw the case"),
    "start_mediation": Trigger(
        schemas.StartMediationSchema,
        lambda c, u, b: services.case_start_mediation(case=c, actor=u, expected_version=b["expected_version"],
                                                      started_on=b["started_on"]),
        "Start mediation (the statutory period starts)"),
    "extend": Trigger(
        schemas.ExtendSchema,
        lambda c, u, b: services.case_extend(case=c, actor=u, expected_version=b["expected_version"],
                                             days=b["days"], agreement=b["agreement"]),
        "Extend the mediation period once, with the parties' agreement"),
    "settle": Trigger(
        schemas.SettleSchema,
        lambda c, u, b: services.case_settle(case=c, actor=u, expected_version=b["expected_version"],
                                             agreed_fen=_agreed(b), settled_on=b["settled_on"], note=b["note"]),
        "Settle: the agreed amount of every claim item", _settle_fields),
    "fail": Trigger(schemas.ReasonSchema, _ending(services.case_fail), "Record that mediation failed"),
    "enforce": Trigger(
        schemas.EnforceSchema,
        lambda c, u, b: enforcement.enforcement_start(
            case=c, actor=u, expected_version=b["expected_version"], kind=b["kind"], applied_on=b["applied_on"],
            court=b["court"], court_case_no=b["court_case_no"]),
        "Start enforcement by a court path (an installment is overdue)"),
    "close": Trigger(
        schemas.CloseSchema,
        lambda c, u, b: services.case_close(case=c, actor=u, expected_version=b["expected_version"],
                                            note=b["note"], closed_on=b["closed_on"]),
        "Close the case (paid in full)"),
    "write_off": Trigger(
        schemas.WriteOffSchema,
        lambda c, u, b: enforcement.case_write_off(case=c, actor=u, expected_version=b["expected_version"],
                                                   reason=b["reason"], closed_on=b["closed_on"]),
        "Close the case after enforcement, writing off what is still owed"),
}


def _register(name: str, trigger: Trigger) -> None:
    @bp.route(f"/<case_number:number>/actions/{name}", methods=["POST"], endpoint=name)
    @writes()
    @problems(bp, 400, 403, 404, 409, 413, 415, 422)
    @bp.doc(summary=trigger.summary, parameters=[HEADER_DOC])
    @bp.arguments(trigger.schema)
    @bp.response(200, CaseSchema, headers=REPLAYED_DOC, description="The case after the trigger.")
    def fire(body: dict, number: str):
        user, case = api_user(), load_case(number)
        try:
            trigger.run(case, user, body)
        except ServiceError as error:
            db.session.rollback()
            return from_service_error(error, trigger.rename(body))
        db.session.flush()
        db.session.expire_all()  # read back what the service wrote (a new lawyer, not the old one)
        return case_detail(load_case(number), user)


for _name, _trigger in TRIGGERS.items():
    _register(_name, _trigger)
