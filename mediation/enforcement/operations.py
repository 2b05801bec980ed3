"""The court paths' operations on a case: judicial confirmation within 30 days of the agreement
taking effect (default or not); after a default, enforcement by a payment order or court
enforcement; an outcome; closing with a write-off (see mediation/case_core/operations.py for
what an entry holds)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.operations import Operation, register
from mediation.common.labels import ENFORCEMENT_KIND_LABELS, ENFORCEMENT_OUTCOME_LABELS
from mediation.enforcement import forms, schemas, services
from mediation.models import Case, User
from mediation.web.forms import ReasonForm, optional_id, set_today


def _outcome_form(case: Case, user: User) -> forms.EnforcementOutcomeForm:
    form = forms.EnforcementOutcomeForm()
    form.path_id.choices = [(str(p.id), f"{ENFORCEMENT_KIND_LABELS[p.kind]} · {p.applied_on.isoformat()}")
                            for p in case.enforcement_paths if p.outcome == "pending"]
    form.outcome.choices = [(k, v) for k, v in ENFORCEMENT_OUTCOME_LABELS.items() if k != "pending"]
    return form



def _path_fields(form: forms.EnforcementForm, case: Case) -> dict:
    return {"kind": form.kind.data, "applied_on": form.applied_on.data, "court": form.court.data or "",
            "court_case_no": form.court_case_no.data or ""}


register(
    Operation(
        "apply_confirmation", _l("Apply for judicial confirmation"),
        _l("The application for judicial confirmation has been recorded."), trigger="apply_confirmation",
        perform=lambda c, u, v, f: services.judicial_confirmation_apply(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.ConfirmationForm(), fill_form=set_today("applied_on"),
        read_form=lambda f, c: {"applied_on": f.applied_on.data, "court": f.court.data or ""},
        api_schema=schemas.ConfirmationSchema,
        api_summary="Apply for judicial confirmation of the agreement (within 30 days of its taking effect)",
        read_body=lambda b, c: {"applied_on": b["applied_on"], "court": b["court"]}),
    Operation(
        "enforce", _l("Start enforcement"), _l("Enforcement has started."), trigger="enforce", style="primary",
        confirm_style="warning",
        perform=lambda c, u, v, f: services.enforcement_start(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.EnforcementForm(), fill_form=set_today("applied_on"), read_form=_path_fields,
        api_schema=schemas.EnforceSchema,
        api_summary="Start enforcement by a payment order or court enforcement (an installment is overdue)",
        read_body=lambda b, c: {"kind": b["kind"], "applied_on": b["applied_on"], "court": b["court"],
                                "court_case_no": b["court_case_no"]}),
    Operation(
        "enforcement_path", _l("Take another enforcement path"), _l("The enforcement path has been recorded."),
        allowed=policy.can_work_enforcement, place="enforcement",
        perform=lambda c, u, v, f: services.enforcement_path_add(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.EnforcementForm(), fill_form=set_today("applied_on"), read_form=_path_fields),
    Operation(
        "enforcement_outcome", _l("Record an enforcement outcome"), _l("The outcome has been recorded."),
        allowed=lambda u, c: policy.can_work_court_paths(u, c) and c.enforcement_pending, place="enforcement",
        perform=lambda c, u, v, f: services.enforcement_outcome(case=c, actor=u, expected_version=v, **f),
        build_form=_outcome_form, fill_form=set_today("outcome_on"),
        read_form=lambda f, c: {"path_id": optional_id(f.path_id.data), "outcome": f.outcome.data,
                                "outcome_on": f.outcome_on.data, "note": f.note.data or ""}),
    Operation(
        "write_off", _l("Close, writing off the rest"), _l("The case has been closed."), trigger="write_off",
        style="outline-danger", confirm_style="danger",
        perform=lambda c, u, v, f: services.case_write_off(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: ReasonForm(), read_form=lambda f, c: {"reason": f.reason.data or ""},
        api_schema=schemas.WriteOffSchema,
        api_summary="Close the case after enforcement, writing off what is still owed",
        read_body=lambda b, c: {"reason": b["reason"], "closed_on": b["closed_on"]}),
)
