"""A consultation taken in as a mediation case: the intake page of mediation/cases, filled in with
what the consultation recorded; the case it saves is linked to the consultation in the same
transaction (so a refused intake links nothing, and a linked consultation is not taken in twice).

What a consultation does not record (the worker's ID number, the claim amounts, a credit code
when none was named) the user adds on the page, as for any intake.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.cases.intake import case_intake
from mediation.cases.views import _intake_form, _intake_input, _warning_lines
from mediation.common.errors import NeedsConfirmation
from mediation.common.timeutil import today
from mediation.consultations.services import consultation_link_case
from mediation.models import Consultation
from mediation.web.commit import perform


def _prefill(form, consultation: Consultation) -> None:  # noqa: ANN001 (a cases.forms.IntakeForm)
    form.channel.data = "walk_in"  # the worker came to the union, not referred by a court or bureau
    form.received_on.data = today()
    form.region_code.data = consultation.region_code
    form.employer_name.data = consultation.employer_name
    form.employer_uscc.data = consultation.employer_uscc or ""
    form.summary.data = _("Consultation %(n)d (%(date)s): %(question)s", n=consultation.id,
                          date=consultation.held_on.isoformat(), question=consultation.question)
    worker = form.workers[0].form
    worker.name.data = consultation.worker_name
    # The phone is never on a page in full (mediation/disclosure): the first worker's stays blank
    # here, and a blank one is taken from the consultation when the case is saved.


def _input(form, consultation: Consultation):  # noqa: ANN001, ANN202
    data = _intake_input(form)
    if data.workers and not (data.workers[0].phone or "").strip() and consultation.worker_phone:
        data.workers[0].phone = consultation.worker_phone
    return data


def _take_in(consultation: Consultation, form):  # noqa: ANN001, ANN202
    case, warnings = case_intake(actor=current_user, data=_input(form, consultation))
    consultation_link_case(consultation=consultation, case=case)
    return case, warnings


def intake_page(consultation: Consultation):  # noqa: ANN201
    form = _intake_form()
    page = {"consultation": consultation}
    if request.method == "GET":
        _prefill(form, consultation)
        return render_template("consultations/to_case.html", form=form, **page)
    if not form.validate():
        flash(_("Please correct the marked fields."), "danger")
        return render_template("consultations/to_case.html", form=form, **page), 400
    outcome = perform(form, lambda: _take_in(consultation, form), field_name=form.field_name)
    if isinstance(outcome.error, NeedsConfirmation):
        form.confirm.data = False
        return render_template("consultations/to_case.html", form=form,
                               warnings=_warning_lines(form, outcome.error.warnings), **page), outcome.status
    if outcome.error is not None:
        return render_template("consultations/to_case.html", form=form, **page), outcome.status
    case, warnings = outcome.result
    for warning in warnings:
        flash(warning, "warning")
    flash(_("Case %(number)s has been taken in.", number=case.number), "success")
    return redirect(url_for("cases.detail", number=case.number))
