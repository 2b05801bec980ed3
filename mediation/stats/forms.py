"""The statistics page's filter form (a GET form) and its reading into StatsFilters."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from mediation.stats import period as periods

UNIT_LABELS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year"), "custom": _l("Custom range")}
FIRST_YEAR = 2008  # the Labor Dispute Mediation and Arbitration Law took effect on 1 May 2008


class StatsFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    unit = SelectField(_l("Period"), choices=list(UNIT_LABELS.items()), validators=[Optional()])
    month = StringField(_l("Month"), validators=[Optional()])
    # Any quarter or year that parses may be asked for (a link to an old one, then "Show"): the
    # choices are what is offered, periods.parse is the check (its error goes under the field).
    quarter = SelectField(_l("Quarter"), validators=[Optional()], validate_choice=False)
    year = SelectField(_l("Year"), validators=[Optional()], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    channel = SelectField(_l("Source"), validators=[Optional()])
    kind = SelectField(_l("Dispute kind"), validators=[Optional()])
    venue = SelectField(_l("Venue"), validators=[Optional()])

    def offer_periods(self, today: dt.date) -> None:
        years = list(range(today.year, FIRST_YEAR - 1, -1))
        self.year.choices = [(str(y), str(y)) for y in years]
        self.quarter.choices = [(f"{y}-Q{q}", f"{y} Q{q}") for y in years[:5] for q in (4, 3, 2, 1)
                                if periods.quarter(y, q).start <= today]

    def chosen_period(self, explicit_key: str, today: dt.date) -> periods.Period | None:
        """The period asked for (an explicit ?period= key wins); None with the error set on a field.
        The selector is then set to show it, so that "Show" asks for the period on screen."""
        period = self._chosen(explicit_key, today)
        if period is not None:
            self.show(period)
        return period

    def show(self, period: periods.Period) -> None:
        """Set the selector to `period`. Without this, the first load (no unit chosen: the default
        quarter) and a link's ?period= key left the unit select on its first choice, "Month", with
        an empty month, over figures of another period."""
        self.unit.data = period.kind
        if period.kind == "custom":
            self.start.data, self.end.data = period.start, period.end
            return
        field = {"month": self.month, "quarter": self.quarter, "year": self.year}[period.kind]
        field.data = period.key
        if isinstance(field, SelectField) and period.key not in {value for value, _label in field.choices}:
            # a period older than the choices offered (a link, a locked report): shown all the same
            label = period.key.replace("-Q", " Q")
            field.choices = sorted([*field.choices, (period.key, label)], key=lambda choice: choice[0], reverse=True)

    def _chosen(self, explicit_key: str, today: dt.date) -> periods.Period | None:
        if explicit_key:
            return self._parsed(explicit_key, self.unit)
        unit = self.unit.data or "quarter"
        if unit not in UNIT_LABELS:
            return None  # the choice validator has said so under the field
        if unit == "custom":
            if not self.start.data or not self.end.data:
                (self.start if not self.start.data else self.end).errors = [str(_l("Enter both dates."))]
                return None
            return self._parsed(f"{self.start.data.isoformat()}..{self.end.data.isoformat()}", self.end)
        field = {"month": self.month, "quarter": self.quarter, "year": self.year}[unit]
        if not field.data:
            return periods.containing(unit, today)
        return self._parsed(field.data, field)

    @staticmethod
    def _parsed(key: str, field) -> periods.Period | None:  # noqa: ANN001
        try:
            return periods.parse(key)
        except periods.PeriodError as error:
            field.errors = [str(_l(str(error)))]
            return None
