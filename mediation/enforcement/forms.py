"""Forms of the court paths: a judicial confirmation applied for, an enforcement path taken, an outcome."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from mediation.common.labels import ENFORCEMENT_KIND_LABELS
from mediation.web.forms import VersionedForm

# Judicial confirmation has its own form (ConfirmationForm): it needs no default.
ENFORCEMENT_CHOICES = [(k, v) for k, v in ENFORCEMENT_KIND_LABELS.items() if k != "judicial_confirmation"]


class ConfirmationForm(VersionedForm):
    applied_on = DateField(_l("Applied on"), validators=[InputRequired()])
    court = StringField(_l("Court"), validators=[Length(max=200)])


class EnforcementForm(VersionedForm):
    kind = SelectField(_l("Enforcement path"), choices=ENFORCEMENT_CHOICES, validators=[InputRequired()])
    applied_on = DateField(_l("Applied on"), validators=[InputRequired()])
    court = StringField(_l("Court"), validators=[Length(max=200)])
    court_case_no = StringField(_l("Court case number"), validators=[Length(max=64)])


class EnforcementOutcomeForm(VersionedForm):
    path_id = SelectField(_l("Enforcement path"), coerce=str, validators=[InputRequired()])
    outcome = SelectField(_l("Outcome"), validators=[InputRequired()])
    outcome_on = DateField(_l("Decided on"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
