"""The case's own operations, from referral to closing: one table entry each (see
mediation/case_core/operations.py for what an entry holds)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.checks import field_error
from mediation.case_core.operations import Operation, register
from mediation.cases import claims, forms, schemas, services
from mediation.cases.party_operations import CORRECT_PARTY
from mediation.cases.selectors import venues_in_scope
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import CLAIM_KINDS, Case, User, Venue
from mediation.web.forms import NoteForm, ReasonForm, optional_id, set_today


def _venue(venue_id: int | None) -> Venue | None:
    return db.session.get(Venue, venue_id) if venue_id is not None else None


def _assign_form(case: Case, user: User) -> forms.AssignForm:
    form = forms.AssignForm()
    form.venue_id.choices = [(str(v.id), f"{v.name}") for v in venues_in_scope(user)]
    return form


def _fill_assign(form: forms.AssignForm, case: Case) -> None:
    form.venue_id.data = str(case.venue_id or "")


def _refer_body(body: dict, case: Case) -> dict:
    venue = _venue(body["venue_id"])
    if venue is None:
        raise field_error("venue_id", _l("Unknown venue."))
    lawyer = case.lawyer
    if body["lawyer_id"] is not None:
        lawyer = db.session.get(User, body["lawyer_id"])
        if lawyer is None:
            raise field_error("lawyer_id", _l("This person cannot be assigned as the case's lawyer."))
    return {"venue": venue, "lawyer": lawyer, "note": body["note"], "referred_on": body["referred_on"]}


def _settle_form(case: Case, user: User):  # noqa: ANN202
    return forms.settle_form_class([item.id for item in case.claims])()


def _fill_settle(form, case: Case) -> None:  # noqa: ANN001
    form.settled_on.data = today()
    for item in case.claims:
        form[f"agreed-{item.id}"].data = "" if item.agreed_fen is None else format_yuan(item.agreed_fen, grouping=False)


def _settle_body(body: dict, case: Case) -> dict:
    agreed: dict[int, int] = {}
    for index, item in enumerate(body["agreed"]):
        if item["claim_id"] in agreed:
            raise field_error(f"agreed/{index}/claim_id", _l("This claim item is entered twice."))
        agreed[item["claim_id"]] = item["amount"]
    return {"agreed_fen": agreed, "settled_on": body["settled_on"], "note": body["note"]}


def _settle_fields(body: dict):  # noqa: ANN202
    """The settle service names an amount "agreed-<claim id>": point at its row in the body."""
    rows = {f"agreed-{item['claim_id']}": f"agreed/{index}/amount" for index, item in enumerate(body["agreed"])}
    return lambda name: rows.get(name, "agreed" if name.startswith("agreed-") else name)



def _claims_form(case: Case, user: User):  # noqa: ANN202
    return forms.claims_form_class([w.id for w in case.workers])()


def _fill_claims(form, case: Case) -> None:  # noqa: ANN001
    for (worker_id, kind), fen in claims.current_amounts(case).items():
        form[claims.field_name(worker_id, kind)].data = format_yuan(fen, grouping=False)


def _read_claims(form, case: Case) -> dict:  # noqa: ANN001
    amounts = {(w.id, kind): form[claims.field_name(w.id, kind)].fen
               for w in case.workers for kind in CLAIM_KINDS if form[claims.field_name(w.id, kind)].fen}
    return {"amounts": amounts, "reason": form.reason.data or ""}


def _claims_body(body: dict, case: Case) -> dict:
    amounts: dict[tuple[int, str], int] = {}
    for index, row in enumerate(body["claims"]):
        key = (row["worker_id"], row["kind"])
        if key in amounts:
            raise field_error(f"claims/{index}/kind", _l("This worker's claim of this kind is entered twice."))
        amounts[key] = row["amount"]
    return {"amounts": amounts, "reason": body["reason"]}


def _claims_fields(body: dict):  # noqa: ANN202
    """The service names an amount "claim-<worker>-<kind>": point at its row in the body."""
    rows = {claims.field_name(row["worker_id"], row["kind"]): f"claims/{index}/amount"
            for index, row in enumerate(body["claims"])}
    return lambda name: rows.get(name, "claims" if name.startswith(("claim-", "claims-")) else name)


def _ending(name: str, service, label, done, summary: str, confirm_style: str) -> Operation:  # noqa: ANN001
    """reject, withdraw, fail: a reason, and the day it ended."""
    return Operation(
        name, label, done, trigger=name, style="outline-danger", confirm_style=confirm_style,
        perform=lambda c, u, v, f: service(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: ReasonForm(), read_form=lambda f, c: {"reason": f.reason.data or ""},
        api_schema=schemas.ReasonSchema, api_summary=summary,
        read_body=lambda b, c: {"reason": b["reason"], "ended_on": b["ended_on"]})


register(
    Operation(
        "assign", _l("Change the venue"), _l("The assignment has been saved."), title=_l("Venue"),
        allowed=policy.can_edit_assignment, roles=policy.ASSIGNING_ROLES,
        perform=lambda c, u, v, f: services.case_assign(case=c, actor=u, expected_version=v, **f),
        build_form=_assign_form, fill_form=_fill_assign,
        read_form=lambda f, c: {"venue": _venue(optional_id(f.venue_id.data)), "lawyer": c.lawyer,
                                "reason": f.note.data or ""}),
    Operation(
        "refer", _l("Refer to venue"), _l("The case has been referred."), trigger="refer", style="primary",
        perform=lambda c, u, v, f: services.case_refer(case=c, actor=u, expected_version=v, **f),
        build_form=_assign_form, fill_form=_fill_assign,
        read_form=lambda f, c: {"venue": _venue(optional_id(f.venue_id.data)), "lawyer": c.lawyer,
                                "note": f.note.data or ""},
        api_schema=schemas.ReferSchema, api_summary="Refer the case to a venue (and assign its lawyer)",
        read_body=_refer_body),
    _ending("reject", services.case_reject, _l("Reject"), _l("The case has been rejected."),
            "Reject the case", "secondary"),
    _ending("withdraw", services.case_withdraw, _l("Withdraw"), _l("The case has been withdrawn."),
            "Withdraw the case", "secondary"),
    Operation(
        "start_mediation", _l("Start mediation"), _l("Mediation has started."), trigger="start_mediation",
        style="primary",
        perform=lambda c, u, v, f: services.case_start_mediation(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.StartMediationForm(), fill_form=set_today("started_on"),
        read_form=lambda f, c: {"started_on": f.started_on.data},
        api_schema=schemas.StartMediationSchema, api_summary="Start mediation (the statutory period starts)",
        read_body=lambda b, c: {"started_on": b["started_on"]}),
    Operation(
        "extend", _l("Extend the mediation period"), _l("The mediation period has been extended."),
        trigger="extend", style="primary",
        perform=lambda c, u, v, f: services.case_extend(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.ExtendForm(),
        read_form=lambda f, c: {"days": f.days.data, "agreement": f.agreement.data or ""},
        api_schema=schemas.ExtendSchema, api_summary="Extend the mediation period once, with the parties' agreement",
        read_body=lambda b, c: {"days": b["days"], "agreement": b["agreement"]}),
    Operation(
        "settle", _l("Settle"), _l("The case has been settled."), trigger="settle", style="primary",
        confirm_style="success", fields_template="cases/_settle_fields.html",
        perform=lambda c, u, v, f: services.case_settle(case=c, actor=u, expected_version=v, **f),
        build_form=_settle_form, fill_form=_fill_settle,
        read_form=lambda f, c: {"settled_on": f.settled_on.data, "note": f.note.data or "",
                                "agreed_fen": {item.id: f[f"agreed-{item.id}"].fen for item in c.claims}},
        api_schema=schemas.SettleSchema, api_summary="Settle: the agreed amount of every claim item",
        read_body=_settle_body, api_field=_settle_fields),
    Operation(
        "correct_claims", _l("Correct the claims"), _l("The claims have been corrected."),
        allowed=policy.can_correct_claims, fields_template="cases/_claims_fields.html",
        perform=lambda c, u, v, f: claims.claims_correct(case=c, actor=u, expected_version=v, **f),
        build_form=_claims_form, fill_form=_fill_claims, read_form=_read_claims,
        api_schema=schemas.CorrectClaimsSchema, api_field=_claims_fields, read_body=_claims_body,
        api_summary="Correct the claims before settlement (every claim of every worker, with a reason)"),
    _ending("fail", services.case_fail, _l("Record failure"), _l("The failure has been recorded."),
            "Record that mediation failed", "danger"),
    Operation(
        "session", _l("Record a mediation session"), _l("The session has been recorded."),
        allowed=policy.can_record_session,
        perform=lambda c, u, v, f: services.session_record(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.SessionForm(), fill_form=set_today("held_on"),
        read_form=lambda f, c: {"held_on": f.held_on.data, "outcome": f.outcome.data,
                                "attendees": f.attendees.data or "", "notes": f.notes.data or ""}),
    Operation(
        "close", _l("Close"), _l("The case has been closed."), trigger="close", style="primary",
        perform=lambda c, u, v, f: services.case_close(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: NoteForm(), read_form=lambda f, c: {"note": f.note.data or ""},
        api_schema=schemas.CloseSchema, api_summary="Close the case (paid in full)",
        read_body=lambda b, c: {"note": b["note"], "closed_on": b["closed_on"]}),
    CORRECT_PARTY,
)
