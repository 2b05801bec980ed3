"""Forms of the hazard register; the service checks the values (one place for the pages and the API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mediation.models import HazardKind, HazardLevel, HazardOutcome, HazardSource
from mediation.web.forms import VersionedForm

STATUS_LABELS = {"open": _l("Being handled"), "closed": _l("Closed (off the register)")}


class HazardFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    status = SelectField(_l("Status"), validators=[Optional()])
    level = SelectField(_l("Level"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])


class HazardForm(FlaskForm):
    region_code = SelectField(_l("Region"), validators=[InputRequired()])
    employer_uscc = StringField(_l("Employer's unified social credit code"), validators=[InputRequired(),
                                                                                        Length(max=32)])
    employer_name = StringField(_l("Employer name (for an employer not yet on record)"),
                                validators=[Length(max=120)])
    source = SelectField(_l("How it was found"), choices=list(HazardSource.labels().items()))
    kind = SelectField(_l("Kind of hazard"), choices=list(HazardKind.labels().items()))
    level = SelectField(_l("Level"), choices=list(HazardLevel.labels().items()))
    found_on = DateField(_l("Found on"), validators=[InputRequired()])
    workers_affected = StringField(_l("Workers affected"), validators=[InputRequired()])
    amount = StringField(_l("Estimated amount at stake (yuan)"), validators=[Optional()])
    description = TextAreaField(_l("What was found"), validators=[Length(max=1000)])


class StepForm(VersionedForm):
    taken_on = DateField(_l("Date"), validators=[InputRequired()])
    text = TextAreaField(_l("Step taken"), validators=[InputRequired(), Length(max=1000)])


class CloseForm(VersionedForm):
    outcome = SelectField(_l("Outcome"), choices=list(HazardOutcome.labels().items()))
    closed_on = DateField(_l("Closed on"), validators=[InputRequired()])
    case_number = StringField(_l("Case number (if it became a case)"), validators=[Length(max=32)])
    note = TextAreaField(_l("Note"), validators=[Length(max=1000)])


class NoticeForm(VersionedForm):
    reply_by = DateField(_l("Reply due by"), validators=[InputRequired()])
