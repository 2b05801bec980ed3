"""Pages of the hazard register: the list, recording a hazard, a hazard with its steps, adding a step,
closing it. Thin: load (404 outside the user's region), check the right (403), call one service."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.cases.selectors import regions_in_scope
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards import services
from mediation.hazards.forms import STATUS_LABELS, CloseForm, HazardFilterForm, HazardForm, NoticeForm, StepForm
from mediation.hazards.notices import notice_generate, notice_version
from mediation.hazards.selectors import HazardFilters, hazard_list_query, hazard_or_404
from mediation.models import Hazard, HazardKind, HazardLevel, HazardOutcome, HazardSource
from mediation.web.commit import perform
from mediation.web.input_guard import page_number
from mediation.web.responses import private_pdf

bp = Blueprint("hazards", __name__)

REPLY_DAYS = 15  # the notice's default reply deadline

CODES = {"source": HazardSource.labels(), "kind": HazardKind.labels(), "level": HazardLevel.labels(),
         "outcome": HazardOutcome.labels()}


@bp.before_request
@login_required
def require_reader() -> None:
    if not policy.can_read_hazards(current_user):
        abort(403)


def _region_choices() -> list[tuple[str, str]]:
    locale = str(get_locale())
    return [(r.code, f"{r.code} {r.name(locale)}") for r in regions_in_scope(current_user)]


@bp.route("/hazards")
def index():
    form = HazardFilterForm(request.args)
    form.status.choices = [("", _("Open and closed"))] + list(STATUS_LABELS.items())
    form.level.choices = [("", _("All levels"))] + list(HazardLevel.labels().items())
    form.kind.choices = [("", _("All kinds"))] + list(HazardKind.labels().items())
    form.region.choices = [("", _("All regions"))] + _region_choices()
    if not form.validate():
        return render_template("hazards/list.html", form=form, page=None, codes=CODES), 400
    filters = HazardFilters(status=form.status.data or "", level=form.level.data or "", kind=form.kind.data or "",
                            region=form.region.data or "",
                            employer=(request.args.get("employer") or "").strip().upper()[:18])
    page = db.paginate(hazard_list_query(current_user, filters), page=page_number(),
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
    return render_template("hazards/list.html", form=form, page=page, codes=CODES)


@bp.route("/hazards/new", methods=["GET", "POST"])
def new():
    if not policy.can_record_hazards(current_user):
        abort(403)
    form = HazardForm()
    form.region_code.choices = _region_choices()
    if request.method == "GET":
        form.found_on.data = today()
        return render_template("hazards/new.html", form=form)
    if not form.validate():
        return render_template("hazards/new.html", form=form), 400
    outcome = perform(form, lambda: services.hazard_record(actor=current_user, data=services.HazardInput(
        region_code=form.region_code.data, employer_uscc=form.employer_uscc.data or "",
        employer_name=form.employer_name.data or "", source=form.source.data, kind=form.kind.data,
        level=form.level.data, found_on=form.found_on.data, workers_affected=form.workers_affected.data or "",
        amount=form.amount.data or "", description=form.description.data or "")))
    if outcome.error is not None:
        return render_template("hazards/new.html", form=form), outcome.status
    flash(_("The hazard has been recorded."), "success")
    return redirect(url_for("hazards.detail", hazard_id=outcome.result.id))


def _render_detail(hazard: Hazard, step_form: StepForm | None = None, close_form: CloseForm | None = None,
                   status: int = 200, notice_form: NoticeForm | None = None):
    # A fresh form carries the version shown; a refused one keeps the version its user saw.
    if step_form is None:
        step_form = StepForm(formdata=None, taken_on=today(), version=str(hazard.version))
    if close_form is None:
        close_form = CloseForm(formdata=None, closed_on=today(), version=str(hazard.version))
    if notice_form is None:
        notice_form = NoticeForm(formdata=None, reply_by=today() + dt.timedelta(days=REPLY_DAYS),
                                 version=str(hazard.version))
    return render_template("hazards/detail.html", hazard=hazard, codes=CODES, step_form=step_form,
                           close_form=close_form, notice_form=notice_form,
                           may_record=policy.can_record_hazards(current_user) and hazard.is_open), status


@bp.route("/hazards/<int:hazard_id>")
def detail(hazard_id: int):
    return _render_detail(hazard_or_404(current_user, hazard_id))


@bp.route("/hazards/<int:hazard_id>/steps", methods=["POST"])
def add_step(hazard_id: int):
    hazard = hazard_or_404(current_user, hazard_id)
    if not policy.can_record_hazards(current_user):
        abort(403)
    form = StepForm()
    if not form.validate():
        return _render_detail(hazard, step_form=form, status=400)
    outcome = perform(form, lambda: services.hazard_add_step(
        hazard=hazard, actor=current_user, expected_version=form.expected_version(), taken_on=form.taken_on.data,
        text=form.text.data or ""))
    if outcome.error is not None:
        db.session.refresh(hazard)
        return _render_detail(hazard, step_form=form, status=outcome.status)
    flash(_("The step has been added."), "success")
    return redirect(url_for("hazards.detail", hazard_id=hazard.id) + "#steps")


@bp.route("/hazards/<int:hazard_id>/close", methods=["POST"])
def close(hazard_id: int):
    hazard = hazard_or_404(current_user, hazard_id)
    if not policy.can_record_hazards(current_user):
        abort(403)
    form = CloseForm()
    if not form.validate():
        return _render_detail(hazard, close_form=form, status=400)
    outcome = perform(form, lambda: services.hazard_close(
        hazard=hazard, actor=current_user, expected_version=form.expected_version(), outcome=form.outcome.data,
        closed_on=form.closed_on.data, case_number=(form.case_number.data or "").strip(),
        note=form.note.data or ""))
    if outcome.error is not None:
        db.session.refresh(hazard)
        return _render_detail(hazard, close_form=form, status=outcome.status)
    flash(_("The hazard has been closed."), "success")
    return redirect(url_for("hazards.detail", hazard_id=hazard.id))


@bp.route("/hazards/<int:hazard_id>/notice", methods=["POST"])
def make_notice(hazard_id: int):
    """A new version of the labor-law supervision notice to the employer, verifiable on /verify."""
    hazard = hazard_or_404(current_user, hazard_id)
    if not policy.can_record_hazards(current_user):
        abort(403)
    form = NoticeForm()
    if not form.validate():
        return _render_detail(hazard, notice_form=form, status=400)
    outcome = perform(form, lambda: notice_generate(
        hazard=hazard, actor=current_user, expected_version=form.expected_version(), reply_by=form.reply_by.data,
        verify_url=url_for("settlements.verify", _external=True)))
    if outcome.error is not None:
        db.session.refresh(hazard)
        return _render_detail(hazard, notice_form=form, status=outcome.status)
    flash(_("Version %(version)d of the notice has been generated.", version=outcome.result.version), "success")
    return redirect(url_for("hazards.detail", hazard_id=hazard.id) + "#notices")


@bp.route("/hazards/<int:hazard_id>/notices/<int:version>.pdf")
def notice_download(hazard_id: int, version: int):
    hazard = hazard_or_404(current_user, hazard_id)
    notice = notice_version(hazard, version)
    if notice is None:
        abort(404)
    return private_pdf(notice.content, f"notice-{hazard.id}-v{version}.pdf")
