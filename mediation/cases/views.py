"""Case pages: list, intake, detail, and one page per action. Thin: load, check, call a service."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.case_core.history import event_subjects
from mediation.case_core.operations import OPERATIONS, buttons
from mediation.case_core.pages import case_page_parts
from mediation.cases.forms import CaseFilterForm, IntakeForm
from mediation.cases.intake import IntakeInput, WorkerInput, case_intake
from mediation.cases.selectors import CaseFilters, case_list_query, regions_in_scope, venues_in_scope
from mediation.common.errors import NeedsConfirmation
from mediation.common.labels import CHANNEL_LABELS, STATE_LABELS
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import CLAIM_KINDS
from mediation.stats.links import figure_filter
from mediation.web.commit import perform
from mediation.web.input_guard import page_number
from mediation.web.pages import case_or_404
from workflows import STATES

bp = Blueprint("cases", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every case page needs a signed-in user."""


@bp.route("/")
def index():
    form = CaseFilterForm(request.args)
    regions = regions_in_scope(current_user)
    locale = str(get_locale())
    form.state.choices = [("", _("All states"))] + [(s, STATE_LABELS[s]) for s in STATES]
    form.region.choices = [("", _("All regions"))] + [(r.code, r.name(locale)) for r in regions]
    form.channel.choices = [("", _("All sources"))] + list(CHANNEL_LABELS.items())
    form.overdue.choices = [("", _("Any")), ("overdue", _("Overdue")), ("due_soon", _("Due within 3 days"))]
    behind = figure_filter(request.args)
    if not form.validate() or behind.error:
        return render_template("cases/list.html", form=form, page=None, behind=behind), 400
    filters = CaseFilters(q=form.q.data or "", state=form.state.data or "", region=form.region.data or "",
                          channel=form.channel.data or "", overdue=form.overdue.data or "",
                          employer=(request.args.get("employer") or "").strip().upper()[:18],
                          conditions=behind.conditions(region=form.region.data or "", channel=form.channel.data or ""))
    page = db.paginate(case_list_query(current_user, filters, today=today()),
                       page=page_number(), per_page=current_app.config["CASES_PER_PAGE"],
                       error_out=False)
    return render_template("cases/list.html", form=form, page=page, behind=behind)


def _intake_form() -> IntakeForm:
    form = IntakeForm()
    locale = str(get_locale())
    form.region_code.choices = [(r.code, f"{r.code} {r.name(locale)}") for r in regions_in_scope(current_user)]
    form.venue_id.choices = [("", _("Not yet"))] + [
        (str(v.id), v.name) for v in venues_in_scope(current_user)]
    return form


def _intake_input(form: IntakeForm) -> IntakeInput:
    workers = [
        WorkerInput(name=row.form.name.data or "", id_number=row.form.id_number.data or "",
                    phone=row.form.phone.data or "",
                    claims={kind: getattr(row.form, kind).data for kind in CLAIM_KINDS})
        for row in form.filled_rows()
    ]
    return IntakeInput(
        channel=form.channel.data, region_code=form.region_code.data, received_on=form.received_on.data,
        employer_name=form.employer_name.data or "", employer_uscc=form.employer_uscc.data or "",
        employer_legal_representative=form.employer_legal_representative.data or "",
        employer_address=form.employer_address.data or "", workers=workers,
        referral_ref=form.referral_ref.data or "",
        venue_id=int(form.venue_id.data) if (form.venue_id.data or "").isdigit() else None,
        summary=form.summary.data or "", language=form.language.data or "zh", confirmed=bool(form.confirm.data))


def _warning_lines(form: IntakeForm, warnings: dict[str, list[str]]) -> list[str]:
    """A confirmation's warnings, each said of the row or the party it concerns."""
    lines = []
    for name, messages in warnings.items():
        parts = form.field_name(name).split("-")
        about = (_("Worker %(n)d", n=int(parts[1]) + 1) if parts[0] == "workers" and parts[1].isdigit()
                 else _("Employer"))
        lines += [f"{about}: {message}" for message in messages]
    return lines


@bp.route("/cases/new", methods=["GET", "POST"])
def new():
    if current_user.role not in ("mediator", "admin"):
        abort(403)
    form = _intake_form()
    if request.method == "GET":
        form.received_on.data = today()
        if current_user.region.level == "county":
            form.region_code.data = current_user.region_code
        return render_template("cases/new.html", form=form)
    if form.validate():
        outcome = perform(form, lambda: case_intake(actor=current_user, data=_intake_input(form)),
                          field_name=form.field_name)
        if isinstance(outcome.error, NeedsConfirmation):  # its message is flashed: check, then confirm
            form.confirm.data = False  # confirmed afresh, for the warnings shown now
            return render_template("cases/new.html", form=form,
                                   warnings=_warning_lines(form, outcome.error.warnings)), outcome.status
        if outcome.error is not None:
            return render_template("cases/new.html", form=form), outcome.status
        case, warnings = outcome.result
        for warning in warnings:
            flash(warning, "warning")
        flash(_("Case %(number)s has been taken in.", number=case.number), "success")
        return redirect(url_for("cases.detail", number=case.number))
    flash(_("Please correct the marked fields."), "danger")
    return render_template("cases/new.html", form=form), 400


@bp.route("/cases/<number>")
def detail(number: str):
    case = case_or_404(number)
    panels, names = case_page_parts(current_user, case)
    return render_template(
        "cases/detail.html", case=case, buttons=lambda place: buttons(current_user, case, place),
        may_show_personal=policy.can_see_personal_data(current_user, case),
        may_correct=policy.can_correct_party(current_user, case),
        overdue=case.is_overdue(today()), panels=panels, subjects=event_subjects(case), **names)


@bp.route("/cases/<number>/<action>", methods=["GET", "POST"])
def act(number: str, action: str):
    """The page of one operation of the table (mediation/case_core/operations.py)."""
    operation = OPERATIONS.get(action)
    if operation is None:
        abort(404)
    case = case_or_404(number)
    if not policy.can_act_on_case(current_user, case):
        abort(403)  # a supervisor, or a lawyer not assigned to the case: read-only
    if not operation.role_may_ever_take(current_user, case):
        abort(403)  # e.g. a lawyer on the mediator's referral: not the state's doing, so no "not yet"
    form = operation.build_form(case, current_user)

    def page(status: int = 200):  # noqa: ANN202
        if status >= 400 and not operation.may_take(current_user, case):
            # refused in a state the operation does not fit: not its page, whose fields may read what
            # the case does not have (a schedule, the day the terms were agreed); the reason is flashed
            return render_template("error.html", title=operation.heading, code=status,
                                   back=url_for("cases.detail", number=case.number)), status
        return render_template("cases/action.html", case=case, form=form, action=action,
                               operation=operation), status

    if request.method == "GET":
        if not operation.may_take(current_user, case):
            flash(_("This action is not possible in the case's current state."), "warning")
            return redirect(url_for("cases.detail", number=case.number))
        operation.fill_form(form, case)
        form.version.data = str(case.version)
        return page()
    if form.validate():
        _result, status = perform(form, lambda: operation.perform(
            case, current_user, form.expected_version(), operation.read_form(form, case)))
        if status:
            case = case_or_404(number)
            return page(status)
        flash(str(operation.done), "success")
        if notice := getattr(_result, "notice", None):  # what the operation leaves to do (correct_party)
            flash(notice, "warning")
        if action == "refer" and case.lawyer_id is None and policy.can_assign_lawyer(current_user, case):
            # a referred case needs its lawyer next: go straight to the proposal
            return redirect(url_for("lawyers.assign", number=case.number))
        return redirect(url_for("cases.detail", number=case.number))
    if not operation.may_take(current_user, case):  # the state is the problem, not what was typed
        flash(_("This action is not possible in the case's current state."), "danger")
        return page(409)
    flash(_("Please correct the marked fields."), "danger")
    return page(400)
