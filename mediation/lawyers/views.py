"""Lawyers' pages: workroom, supervision, profiles, venue rosters, and assigning a lawyer to a case."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation import policy
from mediation.cases.selectors import regions_in_scope
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers import selectors, services
from mediation.lawyers.forms import AssignLawyerForm, ConflictForm, LawyerForm, RosterExceptionForm, RosterForm
from mediation.lawyers.proposal import next_working_day, propose_lawyers
from mediation.lawyers.sessions import sessions_booked
from mediation.models import DutyRoster, User, Venue
from mediation.web.commit import perform
from mediation.web.pages import case_or_404

bp = Blueprint("lawyers", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


@bp.route("/workroom")
def workroom():
    if current_user.role != "lawyer":
        abort(403)
    return render_template("lawyers/workroom.html", room=selectors.workroom(current_user, today=today()),
                           conflict_form=ConflictForm())


@bp.route("/supervision")
def supervision():
    if current_user.role not in ("supervisor", "admin"):
        abort(403)
    return render_template("lawyers/supervision.html", view=selectors.supervision(current_user, today=today()))


# --- profiles ---------------------------------------------------------------------------

@bp.route("/lawyers")
def index():
    if current_user.role not in ("supervisor", "admin"):
        abort(403)
    return render_template("lawyers/list.html", rows=selectors.lawyers_in_scope(current_user))


def _load_lawyer(user_id: int) -> User:
    lawyer = db.session.get(User, user_id)
    if lawyer is None or lawyer.role != "lawyer" or not policy.can_see_region(current_user, lawyer.region):
        abort(404)
    return lawyer


@bp.route("/lawyers/new", methods=["GET", "POST"])
@bp.route("/lawyers/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int | None = None):
    lawyer = _load_lawyer(user_id) if user_id is not None else None
    if current_user.role != "admin" and not (lawyer and request.method == "GET" and current_user.role == "supervisor"):
        abort(403)
    profile = lawyer.lawyer_profile if lawyer else None
    form = LawyerForm(obj=profile)
    locale = str(get_locale())
    form.region_code.choices = [(r.code, f"{r.code} {r.name(locale)}") for r in regions_in_scope(current_user)]
    if lawyer and request.method == "GET":
        form.active.data = lawyer.active
    if form.validate_on_submit():
        status = perform(form, lambda: services.lawyer_profile_save(
            actor=current_user, user=lawyer, law_firm=form.law_firm.data, licence_no=form.licence_no.data,
            phone=form.phone.data or "", languages=form.languages.data or [],
            specialties=form.specialties.data or [], username=form.username.data or "",
            full_name=form.full_name.data or "", region_code=form.region_code.data or "",
            password=form.password.data or "", active=form.active.data)).status
        if status is None:
            flash(_("The lawyer has been saved."), "success")
            return redirect(url_for("lawyers.index"))
    else:
        status = 400 if form.is_submitted() else 200
    return render_template("lawyers/form.html", form=form, lawyer=lawyer, conflict_form=ConflictForm()), status


@bp.route("/lawyers/<int:user_id>/conflicts", methods=["POST"])
def declare_conflict(user_id: int):
    lawyer = _load_lawyer(user_id)
    if not (current_user.id == lawyer.id or current_user.role == "admin"):
        abort(403)
    form = ConflictForm()
    status = perform(form, lambda: services.conflict_declare(
        actor=current_user, lawyer=lawyer, employer_uscc=form.employer_uscc.data or "",
        note=form.note.data or "")).status if form.validate_on_submit() else 400
    if status is None:
        flash(_("The conflict has been recorded."), "success")
        if current_user.id == lawyer.id:
            return redirect(url_for("lawyers.workroom"))
        return redirect(url_for("lawyers.edit", user_id=lawyer.id))
    if current_user.id == lawyer.id:
        return render_template("lawyers/workroom.html", room=selectors.workroom(lawyer, today=today()),
                               conflict_form=form), status
    profile_form = LawyerForm(obj=lawyer.lawyer_profile)
    return render_template("lawyers/form.html", form=profile_form, lawyer=lawyer, conflict_form=form), status


# --- venue rosters ----------------------------------------------------------------------

def _load_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None or not policy.can_see_region(current_user, venue.region):
        abort(404)
    return venue


def _roster_forms(venue: Venue) -> tuple[RosterForm, RosterExceptionForm]:
    choices = [(u.id, f"{u.full_name} ({u.region.name(str(get_locale()))})")
               for u, _profile in selectors.lawyers_in_scope(current_user) if u.active]
    roster_form, exception_form = RosterForm(prefix="roster"), RosterExceptionForm(prefix="exception")
    roster_form.lawyer_id.choices = exception_form.lawyer_id.choices = choices
    return roster_form, exception_form


def _render_week(venue: Venue, roster_form: RosterForm, exception_form: RosterExceptionForm, status: int = 200,
                 booked: list | None = None):
    try:
        asked = dt.date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        asked = today()
    monday, _sunday = selectors.week_of(asked)
    return render_template(
        "lawyers/venue_week.html", venue=venue, days=selectors.venue_week(venue, monday=monday), monday=monday,
        roster=selectors.roster_of(venue), can_edit=services.can_manage_roster(current_user, venue),
        roster_form=roster_form, exception_form=exception_form, timedelta=dt.timedelta, booked=booked or [],
        may_move=lambda case: policy.can_reschedule_session(current_user, case)), status


@bp.route("/venues/<int:venue_id>/week")
def venue_week(venue_id: int):
    venue = _load_venue(venue_id)
    return _render_week(venue, *_roster_forms(venue))


@bp.route("/venues/<int:venue_id>/roster", methods=["POST"])
def roster_add(venue_id: int):
    venue = _load_venue(venue_id)
    roster_form, exception_form = _roster_forms(venue)
    if not services.can_manage_roster(current_user, venue):
        abort(403)
    if not roster_form.validate_on_submit():
        return _render_week(venue, roster_form, exception_form, 400)
    status = perform(roster_form, lambda: services.roster_add(
        actor=current_user, lawyer=_load_lawyer(roster_form.lawyer_id.data), venue=venue,
        weekday=roster_form.weekday.data, starts_on=roster_form.starts_on.data,
        ends_on=roster_form.ends_on.data)).status
    if status:
        return _render_week(venue, roster_form, exception_form, status)
    flash(_("The roster has been updated."), "success")
    return redirect(url_for("lawyers.venue_week", venue_id=venue.id))


@bp.route("/venues/<int:venue_id>/roster/<int:entry_id>/delete", methods=["POST"])
def roster_delete(venue_id: int, entry_id: int):
    venue = _load_venue(venue_id)
    entry = db.session.get(DutyRoster, entry_id)
    if entry is None or entry.venue_id != venue.id:
        abort(404)
    if not services.can_manage_roster(current_user, venue):
        abort(403)
    if (error := perform(None, lambda: services.roster_remove(actor=current_user, entry=entry)).error) is not None:
        return _render_week(venue, *_roster_forms(venue), error.status)  # the reason is flashed
    flash(_("The roster has been updated."), "success")
    return redirect(url_for("lawyers.venue_week", venue_id=venue.id))


@bp.route("/venues/<int:venue_id>/exceptions", methods=["POST"])
def roster_exception(venue_id: int):
    venue = _load_venue(venue_id)
    roster_form, exception_form = _roster_forms(venue)
    if not services.can_manage_roster(current_user, venue):
        abort(403)
    if not exception_form.validate_on_submit():
        return _render_week(venue, roster_form, exception_form, 400)
    lawyer = _load_lawyer(exception_form.lawyer_id.data)
    status = perform(exception_form, lambda: services.roster_exception_add(
        actor=current_user, lawyer=lawyer, venue=venue, on_date=exception_form.on_date.data,
        kind=exception_form.kind.data, note=exception_form.note.data or "",
        confirm_booked=bool(exception_form.confirm_booked.data))).status
    if status:  # leave on a booked day: the sessions, each with a link to move it
        booked = sessions_booked(lawyer_id=lawyer.id, venue_id=venue.id, on_date=exception_form.on_date.data,
                                 viewer=current_user) if exception_form.confirm_booked.errors else []
        return _render_week(venue, roster_form, exception_form, status, booked)
    flash(_("The roster has been updated."), "success")
    return redirect(url_for("lawyers.venue_week", venue_id=venue.id))


# --- assigning a lawyer to a case -------------------------------------------------------

@bp.route("/cases/<number>/lawyer", methods=["GET", "POST"])
def assign(number: str):
    case = case_or_404(number)
    if policy.acting_role(current_user, case) not in ("mediator", "admin"):
        abort(403)
    try:
        on_date = dt.date.fromisoformat(request.values.get("on_date", ""))
    except ValueError:
        on_date = next_working_day(today())
    proposal = propose_lawyers(case=case, venue=case.venue, on_date=on_date)
    form = AssignLawyerForm()
    status = 200
    if request.method == "GET":
        form.version.data = str(case.version)
    elif form.validate():
        lawyer = db.session.get(User, int(form.lawyer_id.data)) if form.lawyer_id.data.isdigit() else None
        if lawyer is None:
            form.lawyer_id.errors = [_("Choose a lawyer.")]
            status = 400
        else:
            status = perform(form, lambda: services.case_assign_lawyer(
                case=case, actor=current_user, lawyer=lawyer, expected_version=form.expected_version(),
                reason=form.reason.data or "", proposal=proposal, region_override=form.region_override.data)).status
            if status is None:
                flash(_("The lawyer has been assigned."), "success")
                return redirect(url_for("cases.detail", number=case.number))
            case = case_or_404(number)
    else:
        status = 400
    return render_template("lawyers/assign.html", case=case, proposal=proposal, form=form, on_date=on_date), status
