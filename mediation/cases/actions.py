"""The action pages of a case: for each, its form, its defaults and the service it calls.

A registry, so the view stays one function and a new action is one entry here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.cases import forms, services
from mediation.cases.selectors import venues_in_scope
from mediation.enforcement import services as enforcement
from mediation.extensions import db
from mediation.labels import ENFORCEMENT_KIND_LABELS, ENFORCEMENT_OUTCOME_LABELS
from mediation.lawyers import services as lawyer_services
from mediation.lawyers.proposal import next_working_day
from mediation.models import Case, User, Venue
from mediation.money import format_yuan
from mediation.settlements import ledger, schedule, signing
from mediation.timeutil import today

BLANK_INSTALLMENT_ROWS = 4


def _pick_venue(form) -> Venue | None:  # noqa: ANN001
    return db.session.get(Venue, int(form.venue_id.data)) if (form.venue_id.data or "").isdigit() else None


def _assign_form(case: Case, user: User):
    form = forms.AssignForm()
    form.venue_id.choices = [(str(v.id), f"{v.name}") for v in venues_in_scope(user)]
    return form


def _fill_assign(form, case: Case) -> None:  # noqa: ANN001
    form.venue_id.data = str(case.venue_id or "")


def _settle_form(case: Case, user: User):
    return forms.settle_form_class([item.id for item in case.claims])()


def _fill_settle(form, case: Case) -> None:  # noqa: ANN001
    form.settled_on.data = today()
    for item in case.claims:
        form[f"agreed-{item.id}"].data = "" if item.agreed_fen is None else format_yuan(item.agreed_fen, grouping=False)


def _payment_form(case: Case, user: User):
    form = forms.PaymentForm()
    form.worker_id.choices = [(w.id, w.name) for w in case.workers]
    form.enforcement_path_id.choices = [("", _l("Paid by the employer"))] + [
        (str(p.id), f"{ENFORCEMENT_KIND_LABELS[p.kind]} {p.court_case_no}".strip()) for p in case.enforcement_paths]
    return form


def _optional_id(value: str | None) -> int | None:
    return int(value) if (value or "").isdigit() else None


def _installment_choices(form, case: Case) -> None:  # noqa: ANN001
    choices = [("", "—")] + [(str(w.id), w.name) for w in case.workers]
    for row in form.rows:
        row.form.worker_id.choices = choices


def _installments_form(case: Case, user: User):
    form = forms.InstallmentsForm()
    _installment_choices(form, case)
    return form


def _fill_installments(form, case: Case) -> None:  # noqa: ANN001
    """The current schedule, or one installment per worker for the whole agreed amount; then blank rows."""
    while form.rows.entries:
        form.rows.pop_entry()
    rows = [{"worker_id": str(i.worker_id), "due_on": i.due_on, "amount": format_yuan(i.amount_fen, grouping=False)}
            for i in case.installments] or [
        {"worker_id": str(w.id), "due_on": None, "amount": format_yuan(case.agreed_for(w), grouping=False)}
        for w in case.workers if case.agreed_for(w) > 0]
    for row in rows + [{}] * BLANK_INSTALLMENT_ROWS:
        form.rows.append_entry(row)
    _installment_choices(form, case)


def _installment_rows(form) -> list[schedule.InstallmentInput]:  # noqa: ANN001
    return [schedule.InstallmentInput(worker_id=_optional_id(row.form.worker_id.data), due_on=row.form.due_on.data,
                                      amount_fen=row.form.amount.fen)
            for row in form.rows
            if row.form.worker_id.data or row.form.due_on.data or (row.form.amount.data or "").strip()]


def _signatures_form(case: Case, user: User):
    form = forms.SignaturesForm()
    signed = signing.signatures_on(signing.current_agreement(case))
    form.parties.choices = [(p, signing.party_name(case, p)) for p in signing.required_parties(case)
                            if p not in signed]
    return form


def _enforcement_form(case: Case, user: User):
    return forms.EnforcementForm()


def _outcome_form(case: Case, user: User):
    form = forms.EnforcementOutcomeForm()
    form.path_id.choices = [(str(p.id), f"{ENFORCEMENT_KIND_LABELS[p.kind]} · {p.applied_on.isoformat()}")
                            for p in case.enforcement_paths if p.outcome == "pending"]
    form.outcome.choices = [(k, v) for k, v in ENFORCEMENT_OUTCOME_LABELS.items() if k != "pending"]
    return form


def _set_today(field_name: str) -> Callable:
    def fill(form, case: Case) -> None:  # noqa: ANN001
        getattr(form, field_name).data = today()
    return fill


def _fill_schedule(form, case: Case) -> None:  # noqa: ANN001
    form.on_date.data = next_working_day(today())
    form.starts_at.data, form.ends_at.data = dt.time(9, 0), dt.time(11, 0)


def _nothing(form, case: Case) -> None:  # noqa: ANN001
    return None


@dataclass(frozen=True)
class ActionSpec:
    title: object
    build_form: Callable
    run: Callable
    allowed: Callable[[User, Case], bool]
    done: object
    fill_defaults: Callable = _nothing
    button_style: str = "primary"

    def done_message(self) -> str:
        return str(self.done)


def _trigger_allowed(trigger: str) -> Callable[[User, Case], bool]:
    return lambda user, case: trigger in policy.available_actions(user, case)


ACTIONS: dict[str, ActionSpec] = {
    "assign": ActionSpec(
        _l("Venue"), _assign_form,
        lambda f, c, u: services.case_assign(case=c, actor=u, expected_version=f.expected_version(),
                                             venue=_pick_venue(f), lawyer=c.lawyer, reason=f.note.data or ""),
        policy.can_edit_assignment, _l("The assignment has been saved."), _fill_assign),
    "refer": ActionSpec(
        _l("Refer to venue"), _assign_form,
        lambda f, c, u: services.case_refer(case=c, actor=u, expected_version=f.expected_version(),
                                            venue=_pick_venue(f), lawyer=c.lawyer, note=f.note.data or ""),
        _trigger_allowed("refer"), _l("The case has been referred."), _fill_assign),
    "start_mediation": ActionSpec(
        _l("Start mediation"), lambda c, u: forms.StartMediationForm(),
        lambda f, c, u: services.case_start_mediation(case=c, actor=u, expected_version=f.expected_version(),
                                                      started_on=f.started_on.data),
        _trigger_allowed("start_mediation"), _l("Mediation has started."), _set_today("started_on")),
    "session": ActionSpec(
        _l("Record a mediation session"), lambda c, u: forms.SessionForm(),
        lambda f, c, u: services.session_record(case=c, actor=u, expected_version=f.expected_version(),
                                                held_on=f.held_on.data, outcome=f.outcome.data,
                                                attendees=f.attendees.data or "", notes=f.notes.data or ""),
        policy.can_record_session, _l("The session has been recorded."), _set_today("held_on")),
    "extend": ActionSpec(
        _l("Extend the mediation period"), lambda c, u: forms.ExtendForm(),
        lambda f, c, u: services.case_extend(case=c, actor=u, expected_version=f.expected_version(),
                                             days=f.days.data, agreement=f.agreement.data or ""),
        _trigger_allowed("extend"), _l("The mediation period has been extended.")),
    "settle": ActionSpec(
        _l("Settle"), _settle_form,
        lambda f, c, u: services.case_settle(
            case=c, actor=u, expected_version=f.expected_version(), settled_on=f.settled_on.data,
            note=f.note.data or "", agreed_fen={item.id: f[f"agreed-{item.id}"].fen for item in c.claims}),
        _trigger_allowed("settle"), _l("The case has been settled."), _fill_settle, "success"),
    "fail": ActionSpec(
        _l("Record failure"), lambda c, u: forms.ReasonForm(),
        lambda f, c, u: services.case_fail(case=c, actor=u, expected_version=f.expected_version(),
                                           reason=f.reason.data or ""),
        _trigger_allowed("fail"), _l("The failure has been recorded."), button_style="danger"),
    "withdraw": ActionSpec(
        _l("Withdraw"), lambda c, u: forms.ReasonForm(),
        lambda f, c, u: services.case_withdraw(case=c, actor=u, expected_version=f.expected_version(),
                                               reason=f.reason.data or ""),
        _trigger_allowed("withdraw"), _l("The case has been withdrawn."), button_style="secondary"),
    "reject": ActionSpec(
        _l("Reject"), lambda c, u: forms.ReasonForm(),
        lambda f, c, u: services.case_reject(case=c, actor=u, expected_version=f.expected_version(),
                                             reason=f.reason.data or ""),
        _trigger_allowed("reject"), _l("The case has been rejected."), button_style="secondary"),
    "schedule": ActionSpec(
        _l("Schedule a session"), lambda c, u: forms.ScheduleForm(),
        lambda f, c, u: lawyer_services.session_schedule(
            case=c, actor=u, expected_version=f.expected_version(), on_date=f.on_date.data,
            starts_at=f.starts_at.data, ends_at=f.ends_at.data, override_reason=f.override_reason.data or ""),
        policy.can_schedule_session, _l("The session has been booked."), _fill_schedule),
    "decline": ActionSpec(
        _l("Decline the case"), lambda c, u: forms.ReasonForm(),
        lambda f, c, u: lawyer_services.lawyer_decline(case=c, actor=u, expected_version=f.expected_version(),
                                                       reason=f.reason.data or ""),
        policy.can_decline, _l("You have declined the case."), button_style="danger"),
    "installments": ActionSpec(
        _l("Payment schedule"), _installments_form,
        lambda f, c, u: schedule.schedule_set(case=c, actor=u, expected_version=f.expected_version(),
                                              rows=_installment_rows(f)),
        policy.can_draft_agreement, _l("The payment schedule has been saved. Generate the agreement again."),
        _fill_installments),
    "sign": ActionSpec(
        _l("Record signatures"), _signatures_form,
        lambda f, c, u: signing.signature_record(case=c, actor=u, expected_version=f.expected_version(),
                                                 parties=list(f.parties.data or []), signed_on=f.signed_on.data,
                                                 representative=f.representative.data or ""),
        lambda u, c: policy.can_draft_agreement(u, c) and signing.current_agreement(c) is not None,
        _l("The signatures have been recorded."), _set_today("signed_on")),
    "payment": ActionSpec(
        _l("Record a payment"), _payment_form,
        lambda f, c, u: ledger.payment_record(case=c, actor=u, expected_version=f.expected_version(),
                                              worker_id=f.worker_id.data, amount_fen=f.amount.fen or 0,
                                              paid_on=f.paid_on.data, method=f.method.data,
                                              receipt_no=f.receipt_no.data or "",
                                              enforcement_path_id=_optional_id(f.enforcement_path_id.data)),
        policy.can_record_payment, _l("The payment has been recorded."), _set_today("paid_on")),
    "enforce": ActionSpec(
        _l("Start enforcement"), _enforcement_form,
        lambda f, c, u: enforcement.enforcement_start(
            case=c, actor=u, expected_version=f.expected_version(), kind=f.kind.data, applied_on=f.applied_on.data,
            court=f.court.data or "", court_case_no=f.court_case_no.data or ""),
        _trigger_allowed("enforce"), _l("Enforcement has started."), _set_today("applied_on"), "warning"),
    "enforcement_path": ActionSpec(
        _l("Take another enforcement path"), _enforcement_form,
        lambda f, c, u: enforcement.enforcement_path_add(
            case=c, actor=u, expected_version=f.expected_version(), kind=f.kind.data, applied_on=f.applied_on.data,
            court=f.court.data or "", court_case_no=f.court_case_no.data or ""),
        policy.can_work_enforcement, _l("The enforcement path has been recorded."), _set_today("applied_on")),
    "enforcement_outcome": ActionSpec(
        _l("Record an enforcement outcome"), _outcome_form,
        lambda f, c, u: enforcement.enforcement_outcome(
            case=c, actor=u, expected_version=f.expected_version(), path_id=_optional_id(f.path_id.data),
            outcome=f.outcome.data, outcome_on=f.outcome_on.data, note=f.note.data or ""),
        lambda u, c: policy.can_work_enforcement(u, c) and c.enforcement_pending,
        _l("The outcome has been recorded."), _set_today("outcome_on")),
    "write_off": ActionSpec(
        _l("Close, writing off the rest"), lambda c, u: forms.ReasonForm(),
        lambda f, c, u: enforcement.case_write_off(case=c, actor=u, expected_version=f.expected_version(),
                                                   reason=f.reason.data or ""),
        _trigger_allowed("write_off"), _l("The case has been closed."), button_style="danger"),
    "close": ActionSpec(
        _l("Close"), lambda c, u: forms.NoteForm(),
        lambda f, c, u: services.case_close(case=c, actor=u, expected_version=f.expected_version(),
                                            note=f.note.data or ""),
        _trigger_allowed("close"), _l("The case has been closed.")),
}
