"""Forms of the case pages: intake, list filters, and one form per action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mediation.common.labels import (
    CHANNEL_LABELS,
    CLAIM_KIND_LABELS,
    LANGUAGE_LABELS,
    SESSION_OUTCOME_LABELS,
)
from mediation.models import CLAIM_KINDS
from mediation.web.forms import VersionedForm, YuanField
from workflows import MAX_EXTENSION_DAYS

MAX_WORKER_ROWS = 500


def _choices(labels: dict) -> list[tuple[str, object]]:
    return list(labels.items())


class WorkerRowForm(FlaskForm):
    """One worker and their claim amounts, one column per claim kind (blank: no such claim)."""

    class Meta:
        csrf = False  # a sub-form: the outer form carries the token

    name = StringField(_l("Name"), validators=[Length(max=64)])
    id_number = StringField(_l("Resident ID number"), validators=[Length(max=18)])
    phone = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    wages = YuanField(CLAIM_KIND_LABELS["wages"], allow_zero=False)
    overtime = YuanField(CLAIM_KIND_LABELS["overtime"], allow_zero=False)
    severance = YuanField(CLAIM_KIND_LABELS["severance"], allow_zero=False)
    social_insurance = YuanField(CLAIM_KIND_LABELS["social_insurance"], allow_zero=False)
    work_injury = YuanField(CLAIM_KIND_LABELS["work_injury"], allow_zero=False)
    other = YuanField(CLAIM_KIND_LABELS["other"], allow_zero=False)

    def claim_fields(self):
        return [getattr(self, kind) for kind in CLAIM_KINDS]


class IntakeForm(FlaskForm):
    channel = SelectField(_l("Source"), choices=_choices(CHANNEL_LABELS), validators=[InputRequired()])
    referral_ref = StringField(_l("Referring body's reference"), validators=[Length(max=64)])
    region_code = SelectField(_l("Region"), validators=[InputRequired()])
    venue_id = SelectField(_l("Venue"), coerce=str, validators=[Optional()])
    received_on = DateField(_l("Received on"), validators=[InputRequired()])
    language = SelectField(_l("Language of the workers"), choices=list(LANGUAGE_LABELS.items()),
                           validators=[InputRequired()])
    summary = TextAreaField(_l("Facts of the dispute in brief"), validators=[Length(max=4000)])
    employer_name = StringField(_l("Employer"), validators=[Length(max=120)])
    employer_uscc = StringField(_l("Unified social credit code"), validators=[Length(max=18)])
    employer_legal_representative = StringField(_l("Legal representative"), validators=[Length(max=64)])
    employer_address = StringField(_l("Address"), validators=[Length(max=200)])
    workers = FieldList(FormField(WorkerRowForm), min_entries=1, max_entries=MAX_WORKER_ROWS)
    # shown with the warnings of a first attempt (another name on record, a likely duplicate)
    confirm = BooleanField(_l("I have checked these warnings: take the case in"))

    def filled_rows(self) -> list[FormField]:
        """The worker rows with anything typed in: a row left completely blank is an unused row."""
        return [row for row in self.workers
                if any((f.data or "").strip() for f in row.form if f.name.rsplit("-", 1)[-1] != "csrf_token")]

    def field_name(self, name: str) -> str:
        """The field of this form an intake error names (mediation/cases/intake.py: the intake's own
        terms). Workers are the filled rows in order, a row's claims its columns in CLAIM_KINDS order:
        "workers/1/claims/2/amount" is "workers-<second filled row>-severance"; "employer/uscc" is
        "employer_uscc". A name with no field of its own (a row's claims) is flashed."""
        parts = name.split("/")
        if parts[0] == "employer" and len(parts) == 2:
            return f"employer_{parts[1]}"
        if parts[0] != "workers" or len(parts) < 3 or not parts[1].isdigit():
            return name
        rows = self.filled_rows()
        row = rows[int(parts[1])].name if int(parts[1]) < len(rows) else f"workers-{parts[1]}"
        amount = len(parts) == 5 and parts[2] == "claims" and parts[4] == "amount" and parts[3].isdigit()
        if amount and int(parts[3]) < len(CLAIM_KINDS):
            return f"{row}-{CLAIM_KINDS[int(parts[3])]}"
        return f"{row}-{parts[2]}"


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Search"), validators=[Optional(), Length(max=64)])
    state = SelectField(_l("State"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    channel = SelectField(_l("Source"), validators=[Optional()])
    overdue = SelectField(_l("Deadline"), validators=[Optional()])


class AssignForm(VersionedForm):
    """The venue; the lawyer is chosen on the proposal page."""

    venue_id = SelectField(_l("Venue"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class StartMediationForm(VersionedForm):
    started_on = DateField(_l("Mediation started on"), validators=[InputRequired()])


class ExtendForm(VersionedForm):
    days = IntegerField(_l("Extra days"), validators=[InputRequired(), NumberRange(1, MAX_EXTENSION_DAYS)])
    agreement = TextAreaField(_l("The parties' agreement to extend"),
                              validators=[InputRequired(), Length(max=2000)])


class SessionForm(VersionedForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    outcome = SelectField(_l("Outcome"), choices=_choices(SESSION_OUTCOME_LABELS), validators=[InputRequired()])
    attendees = StringField(_l("Who attended"), validators=[Length(max=500)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class WorkerCorrectionForm(VersionedForm):
    """A worker's details on this case. The ID number and phone are never shown in full here: a
    blank one is kept as it is (see the masked value beside it)."""

    party = HiddenField()
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=64)])
    id_number = StringField(_l("Resident ID number"), validators=[Length(max=18)])
    phone = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    remove_phone = BooleanField(_l("Remove the phone number"))
    address = StringField(_l("Address"), validators=[Length(max=200)])
    reason = TextAreaField(_l("Reason for the correction"), validators=[InputRequired(), Length(max=2000)])


class EmployerCorrectionForm(VersionedForm):
    """The case's own record of its employer."""

    party = HiddenField()
    name = StringField(_l("Employer"), validators=[InputRequired(), Length(max=120)])
    uscc = StringField(_l("Unified social credit code"), validators=[InputRequired(), Length(max=18)])
    legal_representative = StringField(_l("Legal representative"), validators=[Length(max=64)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    reason = TextAreaField(_l("Reason for the correction"), validators=[InputRequired(), Length(max=2000)])


def settle_form_class(claim_ids: list[int]) -> type[VersionedForm]:
    """A settle form with one agreed-amount field per claim item of the case."""

    class SettleForm(VersionedForm):
        settled_on = DateField(_l("Terms agreed on"), validators=[InputRequired()])
        note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    for claim_id in claim_ids:
        setattr(SettleForm, f"agreed-{claim_id}",
                YuanField(_l("Agreed amount"), validators=[InputRequired()], allow_zero=True))
    return SettleForm


def claims_form_class(worker_ids: list[int]) -> type[VersionedForm]:
    """The claims of a case as a grid: one amount field per worker and claim kind ("claim-<worker
    id>-<kind>", blank: no such claim), and the reason for the correction."""

    class ClaimsForm(VersionedForm):
        reason = TextAreaField(_l("Reason for the correction"), validators=[InputRequired(), Length(max=2000)])

    for worker_id in worker_ids:
        for kind in CLAIM_KINDS:
            setattr(ClaimsForm, f"claim-{worker_id}-{kind}",
                    YuanField(CLAIM_KIND_LABELS[kind], allow_zero=False, validators=[Optional()]))
    return ClaimsForm
