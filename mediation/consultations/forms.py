"""Forms of the consultation pages: the log (new and edit) and the list's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mediation.common.labels import CLAIM_KIND_LABELS
from mediation.consultations.services import MAX_TEXT
from mediation.models import ConsultationChannel
from mediation.web.forms import VersionedForm


class ConsultationForm(VersionedForm):
    # The service checks the ranges and the rest, so every entry point says the same words.
    region_code = SelectField(_l("Region"), validators=[Optional()])
    channel = SelectField(_l("Channel"), choices=list(ConsultationChannel.labels().items()),
                          validators=[InputRequired()])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[InputRequired()])
    topic = SelectField(_l("Topic"), choices=list(CLAIM_KIND_LABELS.items()), validators=[InputRequired()])
    question = TextAreaField(_l("Question"), validators=[Length(max=MAX_TEXT)])
    answer = TextAreaField(_l("Answer given"), validators=[Length(max=MAX_TEXT)])
    worker_name = StringField(_l("Worker's name (optional)"), validators=[Length(max=64)])
    worker_phone = StringField(_l("Worker's mobile (optional)"), validators=[Optional(), Length(max=20)])
    employer_name = StringField(_l("Employer (if named)"), validators=[Length(max=120)])
    employer_uscc = StringField(_l("Unified social credit code (optional)"), validators=[Length(max=18)])


class ConsultationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    mine = SelectField(_l("Logged by"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


# The words of each field an edit may change, for the record of edits on the detail page.
FIELD_LABELS = {
    "region_code": _l("Region"), "channel": _l("Channel"), "held_on": _l("Date"),
    "duration_minutes": _l("Duration (minutes)"), "topic": _l("Topic"), "question": _l("Question"),
    "answer": _l("Answer given"), "worker_name": _l("Worker's name (optional)"),
    "worker_phone": _l("Worker's mobile (optional)"), "employer_name": _l("Employer (if named)"),
    "employer_uscc": _l("Unified social credit code (optional)"),
}
