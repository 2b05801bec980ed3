"""Forms of the lawyers' pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mediation.common.labels import CLAIM_KIND_LABELS, LANGUAGE_LABELS, WEEKDAY_LABELS
from mediation.web.forms import VersionedForm


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LawyerForm(FlaskForm):
    username = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=64)])
    region_code = SelectField(_l("Home region"), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=256)])
    law_firm = StringField(_l("Law firm"), validators=[InputRequired(), Length(max=120)])
    licence_no = StringField(_l("Licence number"), validators=[InputRequired(), Length(max=17)])
    phone = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    languages = CheckboxesField(_l("Languages"), choices=list(LANGUAGE_LABELS.items()), default=["zh"])
    specialties = CheckboxesField(_l("Specialties"), choices=list(CLAIM_KIND_LABELS.items()))
    active = BooleanField(_l("Active"), default=True)


class RosterForm(FlaskForm):
    lawyer_id = SelectField(_l("Union lawyer"), coerce=int, validators=[InputRequired()])
    weekday = SelectField(_l("Weekday"), coerce=int, choices=list(WEEKDAY_LABELS.items()), validators=[InputRequired()])
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until"), validators=[Optional()])


class RosterExceptionForm(FlaskForm):
    lawyer_id = SelectField(_l("Union lawyer"), coerce=int, validators=[InputRequired()])
    on_date = DateField(_l("Date"), validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=[("leave", _l("Leave")), ("extra", _l("Extra day"))],
                       validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Length(max=200)])
    confirm_booked = BooleanField(_l("Record the leave although sessions are booked that day (move them next)"))


class ConflictForm(FlaskForm):
    employer_uscc = StringField(_l("Unified social credit code"), validators=[InputRequired(), Length(max=18)])
    note = StringField(_l("Note"), validators=[Length(max=2000)])


class AssignLawyerForm(VersionedForm):
    lawyer_id = StringField(_l("Union lawyer"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
    region_override = BooleanField(_l("Assign a lawyer from outside the case's region"))


class ScheduleForm(VersionedForm):
    on_date = DateField(_l("Date"), validators=[InputRequired()])
    starts_at = TimeField(_l("From"), validators=[InputRequired()])
    ends_at = TimeField(_l("Until"), validators=[InputRequired()])
    override_reason = TextAreaField(_l("Reason for booking outside the lawyer's duty days"),
                                    validators=[Length(max=2000)])


class CancelSessionForm(VersionedForm):
    session_id = SelectField(_l("Booked session"), coerce=str, validators=[InputRequired()])
    reason = TextAreaField(_l("Why it is cancelled"), validators=[InputRequired(), Length(max=2000)])


class RescheduleSessionForm(VersionedForm):
    session_id = SelectField(_l("Booked session"), coerce=str, validators=[InputRequired()])
    on_date = DateField(_l("New date"), validators=[InputRequired()])
    starts_at = TimeField(_l("From"), validators=[InputRequired()])
    ends_at = TimeField(_l("Until"), validators=[InputRequired()])
    reason = TextAreaField(_l("Why it is moved"), validators=[InputRequired(), Length(max=2000)])
    override_reason = TextAreaField(_l("Reason for booking outside the lawyer's duty days"),
                                    validators=[Length(max=2000)])
