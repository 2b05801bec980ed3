"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mediation.common.labels import ROLE_LABELS, VENUE_KIND_LABELS


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=64)])
    full_name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=64)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()), validators=[InputRequired()])
    region_code = SelectField(_l("Home region"), validators=[InputRequired()])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=256)])


class UserEditForm(UserForm):
    """An existing user: the username is not editable (it names the user in every history), so
    the form has none to require."""

    username = None


class VenueForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=list(VENUE_KIND_LABELS.items()), validators=[InputRequired()])
    region_code = SelectField(_l("Region"), validators=[InputRequired()])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


class EmployerCodeForm(FlaskForm):
    uscc = StringField(_l("Unified social credit code"), validators=[InputRequired(), Length(max=18)])
    name = StringField(_l("Employer"), validators=[InputRequired(), Length(max=120)])


class EmployerMasterForm(FlaskForm):
    """An employer's master record: what the risk register and statistics name it by."""

    name = StringField(_l("Employer"), validators=[InputRequired(), Length(max=120)])
    legal_representative = StringField(_l("Legal representative"), validators=[Length(max=64)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    reason = TextAreaField(_l("Reason for the change"), validators=[InputRequired(), Length(max=500)])
