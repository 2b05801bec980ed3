"""Consultation pages: the list (mine, the region's), log one, read one, edit it, and take it in
as a mediation case. Thin: load in scope (404 outside), check the role, call a service."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation.cases.selectors import regions_in_scope
from mediation.common.labels import CLAIM_KIND_LABELS
from mediation.common.timeutil import today
from mediation.consultations import access
from mediation.consultations.forms import FIELD_LABELS, ConsultationFilterForm, ConsultationForm
from mediation.consultations.intake import intake_page
from mediation.consultations.selectors import ConsultationFilters, consultation_in_scope, consultation_list_query
from mediation.consultations.services import ConsultationInput, consultation_edit, consultation_record
from mediation.extensions import db
from mediation.models import Consultation, ConsultationChannel, Region
from mediation.web.commit import perform
from mediation.web.input_guard import page_number

bp = Blueprint("consultations", __name__, url_prefix="/consultations")
CHANNEL_LABELS = ConsultationChannel.labels()


@bp.before_request
@login_required
def require_login() -> None:
    """Every consultation page needs a signed-in user."""


@bp.app_context_processor
def consultation_words() -> dict:
    return {"consultation_channel_labels": CHANNEL_LABELS, "claim_kind_labels": CLAIM_KIND_LABELS}


def _or_404(consultation_id: int) -> Consultation:
    consultation = consultation_in_scope(current_user, consultation_id)
    if consultation is None:
        abort(404)  # another region's consultation does not exist for this user
    return consultation


@bp.route("")
def index():
    form = ConsultationFilterForm(request.args)
    locale = str(get_locale())
    form.mine.choices = [("", _("Anyone")), ("1", _("Me"))]
    form.region.choices = [("", _("All regions"))] + [(r.code, r.name(locale)) for r in regions_in_scope(current_user)]
    form.channel.choices = [("", _("All channels"))] + list(CHANNEL_LABELS.items())
    form.topic.choices = [("", _("All topics"))] + list(CLAIM_KIND_LABELS.items())
    if not form.validate():
        return render_template("consultations/list.html", form=form, page=None), 400
    filters = ConsultationFilters(
        recorded_by_id=current_user.id if form.mine.data == "1" else None,
        region=db.session.get(Region, form.region.data) if form.region.data else None,
        channel=form.channel.data or "", topic=form.topic.data or "", start=form.start.data, end=form.end.data)
    page = db.paginate(consultation_list_query(current_user, filters), page=page_number(),
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
    return render_template("consultations/list.html", form=form, page=page)


def _form(consultation: Consultation | None = None) -> ConsultationForm:
    form = ConsultationForm(obj=consultation if request.method == "GET" else None)
    locale = str(get_locale())
    # a provincial user says where the question came from; everyone else logs it in their own region
    form.region_code.choices = [("", _("My region"))] + [
        (r.code, f"{r.code} {r.name(locale)}") for r in regions_in_scope(current_user)]
    return form


def _input(form: ConsultationForm) -> ConsultationInput:
    return ConsultationInput(
        channel=form.channel.data, held_on=form.held_on.data, duration_minutes=form.duration_minutes.data,
        topic=form.topic.data, question=form.question.data or "", answer=form.answer.data or "",
        worker_name=form.worker_name.data or "", worker_phone=form.worker_phone.data or "",
        employer_name=form.employer_name.data or "", employer_uscc=form.employer_uscc.data or "",
        region_code=(form.region_code.data or "") if current_user.region.level == "province" else "")


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not access.can_record(current_user):
        abort(403)
    form = _form()
    if request.method == "GET":
        form.held_on.data = today()
        return render_template("consultations/form.html", form=form, consultation=None)
    if form.validate():
        outcome = perform(form, lambda: consultation_record(actor=current_user, data=_input(form)))
        if outcome.error is None:
            flash(_("The consultation has been logged."), "success")
            return redirect(url_for("consultations.detail", consultation_id=outcome.result.id))
        return render_template("consultations/form.html", form=form, consultation=None), outcome.status
    flash(_("Please correct the marked fields."), "danger")
    return render_template("consultations/form.html", form=form, consultation=None), 400


@bp.route("/<int:consultation_id>")
def detail(consultation_id: int):
    consultation = _or_404(consultation_id)
    return render_template("consultations/detail.html", consultation=consultation, field_labels=FIELD_LABELS,
                           may_edit=access.can_edit(current_user, consultation),
                           may_take_in=access.can_take_in(current_user, consultation))


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit(consultation_id: int):
    consultation = _or_404(consultation_id)
    if not access.can_edit(current_user, consultation):
        abort(403)
    form = _form(consultation)
    if request.method == "GET":
        form.version.data = str(consultation.version)
        form.worker_phone.data = ""  # never shown in full: blank keeps it (see the masked value)
        form.region_code.data = consultation.region_code
        return render_template("consultations/form.html", form=form, consultation=consultation)
    if form.validate():
        data = _input(form)
        if not data.worker_phone.strip():
            data.worker_phone = consultation.worker_phone or ""
        outcome = perform(form, lambda: consultation_edit(consultation=consultation, actor=current_user,
                                                          expected_version=form.expected_version(), data=data))
        if outcome.error is None:
            flash(_("The consultation has been saved.") if outcome.result else _("Nothing was changed."), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation.id))
        return render_template("consultations/form.html", form=form, consultation=consultation), outcome.status
    flash(_("Please correct the marked fields."), "danger")
    return render_template("consultations/form.html", form=form, consultation=consultation), 400


@bp.route("/<int:consultation_id>/case", methods=["GET", "POST"])
def to_case(consultation_id: int):
    """The intake page, filled in with what the consultation recorded; saved, the case is linked."""
    consultation = _or_404(consultation_id)
    if current_user.role not in access.INTAKE_ROLES:
        abort(403)
    if consultation.case_id is not None:
        flash(_("This consultation has already been taken in as a case."), "warning")
        return redirect(url_for("consultations.detail", consultation_id=consultation.id))
    return intake_page(consultation)
