"""The agreement's operations on a case: the payment schedule, generating the agreement, the
signatures, and the payments and their voiding (see mediation/case_core/operations.py for what an entry holds)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.operations import Operation, register
from mediation.common.labels import ENFORCEMENT_KIND_LABELS
from mediation.common.money import format_yuan
from mediation.models import Case, User
from mediation.settlements import forms, ledger, schedule, schemas, services, signing, voiding
from mediation.web.forms import optional_id, set_today

BLANK_INSTALLMENT_ROWS = 4


def _installment_choices(form: forms.InstallmentsForm, case: Case) -> None:
    choices = [("", "—")] + [(str(w.id), w.name) for w in case.workers]
    for row in form.rows:
        row.form.worker_id.choices = choices


def _lapsing(form, case: Case):  # noqa: ANN001, ANN202
    """The signatures a new version of the agreement makes lapse, for the page to list (its fields
    template reads `form.lapsing`: (party name, day signed) pairs)."""
    signed = signing.signatures_on(signing.current_agreement(case))
    form.lapsing = [(signing.party_name(case, p), signed[p].signed_on) for p in signing.lapsing_parties(case)]
    return form


def _installments_form(case: Case, user: User) -> forms.InstallmentsForm:
    form = forms.InstallmentsForm()
    _installment_choices(form, case)
    return _lapsing(form, case)


def _fill_installments(form: forms.InstallmentsForm, case: Case) -> None:
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


def _installment_rows(form: forms.InstallmentsForm, case: Case) -> dict:
    return {"confirm": bool(form.confirm.data), "reason": form.reason.data or "", "rows": [
        schedule.InstallmentInput(worker_id=optional_id(row.form.worker_id.data), due_on=row.form.due_on.data,
                                  amount_fen=row.form.amount.fen)
        for row in form.rows
        if row.form.worker_id.data or row.form.due_on.data or (row.form.amount.data or "").strip()]}


def _signatures_form(case: Case, user: User) -> forms.SignaturesForm:
    form = forms.SignaturesForm()
    signed = signing.signatures_on(signing.current_agreement(case))
    form.parties.choices = [(p, signing.party_name(case, p)) for p in signing.required_parties(case)
                            if p not in signed]
    return form


def _payment_form(case: Case, user: User) -> forms.PaymentForm:
    form = forms.PaymentForm()
    form.worker_id.choices = [(w.id, w.name) for w in case.workers]
    form.enforcement_path_id.choices = [("", _l("Paid by the employer"))] + [
        (str(p.id), f"{ENFORCEMENT_KIND_LABELS[p.kind]} {p.court_case_no}".strip()) for p in case.enforcement_paths]
    return form


def _void_form(case: Case, user: User) -> forms.VoidPaymentForm:
    form = forms.VoidPaymentForm()
    form.payment_id.choices = [("", "—")] + [(str(p.id), voiding.payment_label(p)) for p in case.payments]
    return form


def _fill_void(form: forms.VoidPaymentForm, case: Case) -> None:
    """The payment whose "void" link was followed on the ledger."""
    form.payment_id.data = request.args.get("payment_id", "")[:12]


def _generate(case: Case, user: User, version: int | None, fields: dict):  # noqa: ANN202
    return services.agreement_generate(case=case, actor=user, expected_version=version,
                                       verify_url=url_for("settlements.verify", _external=True), **fields)


register(
    Operation(
        "installments", _l("Payment schedule"),
        _l("The payment schedule has been saved. Generate the agreement again."),
        allowed=policy.can_draft_agreement, place="agreement",
        perform=lambda c, u, v, f: schedule.schedule_set(case=c, actor=u, expected_version=v, **f),
        build_form=_installments_form, fill_form=_fill_installments, read_form=_installment_rows,
        fields_template="settlements/_installments_fields.html"),
    Operation(
        "generate_agreement", _l("Generate the agreement (PDF)"),
        _l("A new version of the agreement has been generated: see the documents."),
        allowed=lambda u, c: policy.can_draft_agreement(u, c) and bool(c.installments), place="agreement",
        perform=_generate, build_form=lambda c, u: _lapsing(forms.GenerateAgreementForm(), c),
        read_form=lambda f, c: {"confirm": bool(f.confirm.data), "reason": f.reason.data or ""},
        fields_template="settlements/_generate_fields.html",
        api_schema=schemas.GenerateAgreementSchema,
        api_summary="Generate a new version of the agreement PDF (signatures on the current one lapse: confirm)",
        read_body=lambda b, c: {"confirm": b["confirm"], "reason": b["reason"]}),
    Operation(
        "sign", _l("Record signatures"), _l("The signatures have been recorded."), style="primary", place="agreement",
        allowed=lambda u, c: policy.can_draft_agreement(u, c) and signing.current_agreement(c) is not None,
        perform=lambda c, u, v, f: signing.signature_record(case=c, actor=u, expected_version=v, **f),
        build_form=_signatures_form, fill_form=set_today("signed_on"),
        read_form=lambda f, c: {"parties": list(f.parties.data or []), "signed_on": f.signed_on.data,
                                "representative": f.representative.data or ""},
        fields_template="settlements/_sign_fields.html"),
    Operation(
        "payment", _l("Record a payment"), _l("The payment has been recorded."), style="outline-success",
        allowed=policy.can_record_payment,
        perform=lambda c, u, v, f: ledger.payment_record(case=c, actor=u, expected_version=v, **f),
        build_form=_payment_form, fill_form=set_today("paid_on"),
        read_form=lambda f, c: {"worker_id": f.worker_id.data, "amount_fen": f.amount.fen or 0,
                                "paid_on": f.paid_on.data, "method": f.method.data,
                                "receipt_no": f.receipt_no.data or "",
                                "enforcement_path_id": optional_id(f.enforcement_path_id.data)}),
    Operation(
        "void_payment", _l("Void a payment"), _l("The payment has been voided."), style="outline-danger",
        confirm_style="danger", allowed=policy.can_void_payment,
        perform=lambda c, u, v, f: voiding.payment_void(case=c, actor=u, expected_version=v, **f),
        build_form=_void_form, fill_form=_fill_void,
        read_form=lambda f, c: {"payment_id": optional_id(f.payment_id.data), "reason": f.reason.data or ""},
        api_schema=schemas.VoidPaymentSchema, api_summary="Void a payment recorded in error (it stays on the ledger)",
        read_body=lambda b, c: {"payment_id": b["payment_id"], "reason": b["reason"]}),
)
