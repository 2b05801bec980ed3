"""The statistics pages: figures per region with their cases behind them, charts, the lawyer and
venue tables, exports, and locked period reports.

Thin: read the filters (the region must lie in the user's own subtree: 404 otherwise), build
the report, render or export it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from mediation import policy
from mediation.cases.selectors import regions_in_scope, venues_in_scope
from mediation.common.labels import CHANNEL_LABELS, CLAIM_KIND_LABELS
from mediation.common.timeutil import today
from mediation.consultations.stats import consultation_counts
from mediation.extensions import db
from mediation.models import LockedReport, Region
from mediation.stats import figures as definitions
from mediation.stats import period as periods
from mediation.stats.figures import StatsFilters
from mediation.stats.filters import region_for
from mediation.stats.forms import StatsFilterForm
from mediation.stats.links import figure_url
from mediation.stats.locks import compare, figure_label, lock_for, report_lock
from mediation.stats.report import build
from mediation.web.commit import perform

bp = Blueprint("stats", __name__)


@bp.before_request
@login_required
def require_supervisor() -> None:
    if not policy.can_read_statistics(current_user):
        abort(403)


def _form() -> StatsFilterForm:
    form = StatsFilterForm(request.args)
    locale = str(get_locale())
    form.offer_periods(today())
    form.region.choices = [(r.code, f"{'　' * (r.path.count('/') - current_user.region.path.count('/'))}"
                                    f"{r.name(locale)}") for r in regions_in_scope(current_user)]
    form.channel.choices = [("", _("All sources"))] + list(CHANNEL_LABELS.items())
    form.kind.choices = [("", _("All kinds"))] + list(CLAIM_KIND_LABELS.items())
    form.venue.choices = [("", _("All venues"))] + [(str(v.id), v.name) for v in venues_in_scope(current_user)]
    return form


def read_filters() -> tuple[StatsFilterForm, StatsFilters | None, Region | None]:
    """The form, and the filters and region it asks for (None, None when it is invalid)."""
    form = _form()
    if not form.region.data:
        form.region.data = current_user.region_code
    valid = form.validate()
    chosen = form.chosen_period((request.args.get("period") or "").strip(), today())
    region = region_for(current_user, form.region.data)
    if region is None:
        abort(404)  # another region's figures do not exist for this user, whatever the URL says
    if not valid or chosen is None:
        return form, None, None
    venue = int(form.venue.data) if (form.venue.data or "").isdigit() else None
    return form, StatsFilters(period=chosen, region=region.code, channel=form.channel.data or "",
                              kind=form.kind.data or "", venue_id=venue), region


@bp.route("/statistics")
def index():
    form, filters, region = read_filters()
    if filters is None:
        return render_template("stats/index.html", form=form, report=None), 400
    report, locale = build(filters, region), str(get_locale())
    return render_template(
        "stats/index.html", form=form, report=report, defs=definitions, figure_url=figure_url,
        lock=lock_for(filters), locale=locale, today=today(),
        consultations=consultation_counts(region, filters.period.start, filters.period.end),
        export_args={**request.args.to_dict(), "period": filters.period.key},
        region_bars=[(row.region.name(locale), row.figures.amounts["recovered"]) for row in report.rows],
        month_points=sorted(report.months.items()))


def _export(kind: str) -> Response:
    _form_, filters, region = read_filters()
    if filters is None:
        abort(400)
    from mediation.stats import exports, pdf  # ReportLab and openpyxl: loaded for exports only

    report, locale = build(filters, region), str(get_locale())
    makers = {"csv": (exports.report_csv, "text/csv"),  # Flask adds "; charset=utf-8" to text types
              "xlsx": (exports.report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              "pdf": (pdf.report_pdf, "application/pdf")}
    make, mimetype = makers[kind]
    response = Response(make(report, locale), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="recovery-{region.code}-{filters.period.key.replace("..", "_")}.{kind}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/statistics.csv")
def export_csv():
    return _export("csv")


@bp.route("/statistics.xlsx")
def export_xlsx():
    return _export("xlsx")


@bp.route("/statistics.pdf")
def export_pdf():
    return _export("pdf")


@bp.route("/statistics/locks", methods=["POST"])
def lock():
    """Lock the whole region's figures of the month or quarter on the page."""
    region = db.session.get(Region, (request.form.get("region") or "").strip())
    if region is None or not policy.can_see_region(current_user, region):
        abort(404)
    try:
        chosen = periods.parse(request.form.get("period") or "")
    except periods.PeriodError as error:
        return render_template("error.html", title=_(str(error)), code=400), 400
    outcome = perform(None, lambda: report_lock(actor=current_user, region=region, period=chosen),
                      flash_errors=False)
    if (error := outcome.error) is not None:
        return render_template("error.html", title=error.message, code=error.status), error.status
    report = outcome.result
    flash(_("The figures of %(period)s are locked.", period=chosen.key), "success")
    return redirect(url_for("stats.locked", report_id=report.id))


@bp.route("/statistics/locks/<int:report_id>")
def locked(report_id: int):
    report = db.session.get(LockedReport, report_id)
    if report is None or not policy.can_see_region(current_user, report.region):
        abort(404)
    return render_template("stats/locked.html", report=report, comparison=compare(report),
                           figure_label=figure_label, locale=str(get_locale()))


@bp.route("/statistics/locks")
def locks():
    subtree = policy.region_subtree_codes(current_user.region)
    reports = db.session.scalars(select(LockedReport).where(LockedReport.region_code.in_(subtree))
                                 .order_by(LockedReport.period_start.desc(), LockedReport.region_code)).all()
    return render_template("stats/locks.html", reports=reports, locale=str(get_locale()))
