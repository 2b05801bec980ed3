"""Form of the API tokens page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from mediation.tokens.services import NAME_MAX_LENGTH


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=NAME_MAX_LENGTH)])
