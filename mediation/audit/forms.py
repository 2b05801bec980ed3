"""The filter of the audit log page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from mediation.audit.selectors import ACTION_LABELS


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: nothing changes

    action = SelectField(_l("Action"), default="", choices=[("", _l("All actions"))] + list(ACTION_LABELS.items()))
    user = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
