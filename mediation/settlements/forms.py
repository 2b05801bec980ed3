"""Forms of the agreement: the payment schedule, the signatures, a payment, and the public verification
form (a code typed from the paper, or the PDF file itself)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, Optional

from mediation.common.labels import PAYMENT_METHOD_LABELS
from mediation.web.forms import VersionedForm, YuanField


class VerifyForm(FlaskForm):
    code = StringField(_l("Verification code"), validators=[Optional(), Length(max=32)])
    pdf = FileField(_l("Or the PDF file"))


class PaymentForm(VersionedForm):
    worker_id = SelectField(_l("Worker"), coerce=int, validators=[InputRequired()])
    amount = YuanField(_l("Amount (yuan)"), allow_zero=False, validators=[InputRequired()])
    paid_on = DateField(_l("Paid on"), validators=[InputRequired()])
    method = SelectField(_l("Method"), choices=list(PAYMENT_METHOD_LABELS.items()), validators=[InputRequired()])
    receipt_no = StringField(_l("Receipt number"), validators=[Length(max=64)])
    enforcement_path_id = SelectField(_l("Recovered through"), coerce=str, validators=[Optional()])


class InstallmentRowForm(FlaskForm):
    """One installment: a worker, a due date and an amount (a blank row is unused)."""

    class Meta:
        csrf = False

    worker_id = SelectField(_l("Worker"), coerce=str, validators=[Optional()])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    amount = YuanField(_l("Amount (yuan)"), allow_zero=False, validators=[Optional()])


class InstallmentsForm(VersionedForm):
    rows = FieldList(FormField(InstallmentRowForm), min_entries=1, max_entries=2000)
    # shown only when the draft has signatures, which a new schedule makes lapse
    confirm = BooleanField(_l("Save the schedule: the signatures listed lapse and are recorded again"))
    reason = TextAreaField(_l("Why the schedule changes"), validators=[Length(max=2000)])


class SignaturesForm(VersionedForm):
    parties = SelectMultipleField(_l("Who signed"), validators=[InputRequired()],
                                  widget=widgets.ListWidget(prefix_label=False),
                                  option_widget=widgets.CheckboxInput())
    signed_on = DateField(_l("Signed on"), validators=[InputRequired()])
    representative = StringField(_l("Signed by a representative (name)"), validators=[Length(max=100)])


class VoidPaymentForm(VersionedForm):
    payment_id = SelectField(_l("Payment"), coerce=str, validators=[InputRequired()])
    reason = TextAreaField(_l("Why it is voided"), validators=[InputRequired(), Length(max=2000)])


class GenerateAgreementForm(VersionedForm):
    """Generating a new version: when the current one has signatures, they lapse, so it takes a tick
    and a reason (the page lists the signatures)."""

    confirm = BooleanField(_l("Generate a new version: the signatures listed lapse and are recorded again"))
    reason = TextAreaField(_l("Why a new version"), validators=[Length(max=2000)])
