"""Administration pages: users and venues (admins), accepted employer codes (supervisors)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from mediation import policy
from mediation.admin import services
from mediation.admin.forms import EmployerCodeForm, EmployerMasterForm, UserEditForm, UserForm, VenueForm
from mediation.cases.selectors import regions_in_scope
from mediation.extensions import db
from mediation.models import Employer, User, Venue
from mediation.web.commit import perform

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Administration needs a signed-in user; each view checks the role."""


def _require_admin() -> None:
    if not policy.can_manage_users(current_user):
        abort(403)


def _region_choices() -> list[tuple[str, str]]:
    locale = str(get_locale())
    return [(r.code, f"{r.code} {r.name(locale)}") for r in regions_in_scope(current_user)]


def _in_scope(obj) -> None:  # noqa: ANN001
    if obj is None or not policy.can_see_region(current_user, obj.region):
        abort(404)


def _save(form, template: str, run, done: str, back: str, **context):  # noqa: ANN001
    """Validate, call the service, commit once; re-render with errors otherwise."""
    if form.validate_on_submit():
        _result, status = perform(form, run)
        if status:
            return render_template(template, form=form, **context), status
        flash(done, "success")
        return redirect(url_for(back))
    if form.is_submitted():
        flash(_("Please correct the marked fields."), "danger")
        return render_template(template, form=form, **context), 400
    return render_template(template, form=form, **context), 200


@bp.route("/users")
def users():
    _require_admin()
    rows = db.session.execute(
        select(User).where(User.region_code.in_(policy.region_subtree_codes(current_user.region)))
        .order_by(User.region_code, User.username)).scalars()
    return render_template("admin/users.html", users=list(rows))


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    _require_admin()
    form = UserForm()
    form.region_code.choices = _region_choices()
    return _save(form, "admin/user_form.html", lambda: services.user_create(
        actor=current_user, username=form.username.data, full_name=form.full_name.data, role=form.role.data,
        region_code=form.region_code.data, password=form.password.data or ""),
        _("The user has been created."), "admin.users", user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    _require_admin()
    user = db.session.get(User, user_id)
    _in_scope(user)
    form = UserEditForm(obj=user)
    form.region_code.choices = _region_choices()
    return _save(form, "admin/user_form.html", lambda: services.user_update(
        actor=current_user, user=user, full_name=form.full_name.data, role=form.role.data,
        region_code=form.region_code.data, active=form.active.data, password=form.password.data or ""),
        _("The user has been saved."), "admin.users", user=user)


@bp.route("/venues")
def venues():
    _require_admin()
    rows = db.session.execute(
        select(Venue).where(Venue.region_code.in_(policy.region_subtree_codes(current_user.region)))
        .order_by(Venue.region_code, Venue.name)).scalars()
    return render_template("admin/venues.html", venues=list(rows))


@bp.route("/venues/new", methods=["GET", "POST"])
@bp.route("/venues/<int:venue_id>", methods=["GET", "POST"])
def venue_edit(venue_id: int | None = None):
    _require_admin()
    venue = None
    if venue_id is not None:
        venue = db.session.get(Venue, venue_id)
        _in_scope(venue)
    form = VenueForm(obj=venue)
    form.region_code.choices = _region_choices()
    return _save(form, "admin/venue_form.html", lambda: services.venue_save(
        actor=current_user, venue=venue, name=form.name.data, kind=form.kind.data,
        region_code=form.region_code.data, address=form.address.data or "", active=form.active.data),
        _("The venue has been saved."), "admin.venues", venue=venue)


@bp.route("/employers", methods=["GET", "POST"])
def employers():
    if not policy.can_override_uscc(current_user):
        abort(403)
    if request.method == "GET" and request.args.get("uscc"):  # "change a master record": find it by its code
        return redirect(url_for("admin.employer_master", uscc=request.args["uscc"].strip().upper()[:18]))
    form = EmployerCodeForm()
    accepted = list(db.session.execute(
        select(Employer).where(Employer.uscc_checksum_overridden.is_(True)).order_by(Employer.name)).scalars())
    return _save(form, "admin/employers.html", lambda: services.employer_accept_code(
        actor=current_user, uscc=form.uscc.data, name=form.name.data),
        _("The code has been accepted."), "admin.employers", accepted=accepted)


@bp.route("/employers/<uscc>", methods=["GET", "POST"])
def employer_master(uscc: str):
    """An employer's master record, changed with a reason (audited); the cases keep their own."""
    if not policy.can_edit_employer_master(current_user):
        abort(403)
    employer = services.employer_master_in_scope(current_user, uscc)
    if employer is None:
        abort(404)  # unknown, or known only to other regions: the same answer
    form = EmployerMasterForm(obj=employer if request.method == "GET" else None)
    return _save(form, "admin/employer_master.html", lambda: services.employer_master_update(
        actor=current_user, employer=employer, name=form.name.data,
        legal_representative=form.legal_representative.data or "", address=form.address.data or "",
        reason=form.reason.data),
        _("The employer's master record has been changed; the cases keep the details they recorded."),
        "admin.employers", employer=employer)
