"""The upload form of a case ledger."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    ledger = FileField(_l("Ledger file (CSV or XLSX)"), validators=[
        FileRequired(_l("Choose the ledger file.")),
        FileAllowed(["csv", "xlsx", "txt"], _l("The ledger must be a CSV or XLSX file."))])
    skip_invalid = BooleanField(_l("If some cases have errors, import the others and skip those"))
