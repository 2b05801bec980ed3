"""The employer risk register (预警): a page for supervisors and administrators, and its CSV.

Thin: read the period (a GET form), ask queries.employer_risk for one page of rows, render or
export. The counts cover every region (see queries.py); the links go to the case list, which
shows each viewer only the cases of their own region's subtree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from mediation import policy
from mediation.common.money import format_yuan
from mediation.common.spreadsheet import safe_cell
from mediation.common.timeutil import today
from mediation.risk import queries
from mediation.stats import period as periods
from mediation.web.input_guard import page_number

bp = Blueprint("risk", __name__)

PER_PAGE = 50

KIND_LABELS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}
KEY_HINTS = {
    "month": _l("Enter a month as YYYY-MM, for example 2026-05."),
    "quarter": _l("Enter a quarter as YYYY-Qn, for example 2026-Q2."),
    "year": _l("Enter a year as YYYY, for example 2026."),
}
ANY_KEY_HINT = _l("Enter a month (2026-05), a quarter (2026-Q2) or a year (2026).")


class RiskFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = SelectField(_l("Period"), choices=list(KIND_LABELS.items()), validators=[Optional()])
    period = StringField(_l("Month, quarter or year"), validators=[Optional()])

    def chosen_period(self, today: dt.date) -> periods.Period | None:
        """The period asked for, by default the current quarter; None with the error under a field.

        A kind alone means the month, quarter or year that contains today; a key alone names
        its own kind; both must agree.
        """
        kind, key = self.kind.data or "", (self.period.data or "").strip()
        if kind and kind not in KIND_LABELS:
            self.kind.errors = [str(ANY_KEY_HINT)]
            return None
        if not key:
            chosen = periods.containing(kind or "quarter", today)
        else:
            try:
                chosen = periods.parse(key)
            except periods.PeriodError:
                chosen = None
            if chosen is None or chosen.kind not in KIND_LABELS or (kind and chosen.kind != kind):
                self.period.errors = [str(KEY_HINTS[kind] if kind else ANY_KEY_HINT)]
                return None
        self.kind.data, self.period.data = chosen.kind, chosen.key
        return chosen


@bp.before_request
@login_required
def require_supervisor() -> None:
    if not policy.can_read_statistics(current_user):  # mediators and lawyers work cases, not registers
        abort(403)


@bp.route("/risk")
def index():
    form = RiskFilterForm(request.args)
    chosen = form.chosen_period(today())
    if chosen is None:
        return render_template("risk/index.html", form=form, period=None, rows=[], glossary=queries.GLOSSARY,
                               heads=queries.LABELS), 400
    total = queries.employer_risk_count(chosen)
    pages = max(math.ceil(total / PER_PAGE), 1)
    number = page_number()
    if number > pages:
        abort(404)
    rows = queries.employer_risk(chosen, region=current_user.region, limit=PER_PAGE,
                                 offset=(number - 1) * PER_PAGE)
    return render_template("risk/index.html", form=form, period=chosen, rows=rows, total=total, page=number,
                           pages=pages, glossary=queries.GLOSSARY, heads=queries.LABELS)


@bp.route("/risk.csv")
def export_csv():
    """Every row of the period's register (not only one page), in the same order."""
    form = RiskFilterForm(request.args)
    chosen = form.chosen_period(today())
    if chosen is None:
        abort(400)
    rows = queries.employer_risk(chosen, region=current_user.region, limit=None)
    labels = queries.LABELS
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    header = [labels[name] for name in ("rank", "employer", "uscc", "disputes", "in_region", "workers",
                                        "defaults", "claimed", "regions", "hazards")]
    writer.writerow([safe_cell(str(label)) for label in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in (
            row.rank, row.name, row.uscc, row.disputes, row.in_region, row.workers, row.defaults,
            format_yuan(row.claimed_fen, grouping=False), row.regions, row.hazards)])
    response = Response(out.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="employer-risk-{chosen.key}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
