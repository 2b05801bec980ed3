"""The purpose asked before full numbers are shown, and the filter of the access records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from mediation.common.labels import DISCLOSURE_PURPOSE_LABELS


class ShowForm(FlaskForm):
    # the service checks the purpose and the note (the API calls it too): the form only collects
    purpose = SelectField(_l("Why do you need the full numbers?"), validate_choice=False,
                          choices=[("", _l("Choose…"))] + list(DISCLOSURE_PURPOSE_LABELS.items()))
    note = StringField(_l("Note (required for “other”)"))


class AccessFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: nothing changes

    case = StringField(_l("Case number"), validators=[Optional(), Length(max=32)])
    user = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
