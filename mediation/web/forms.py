"""Form plumbing shared by the domains: yuan fields, the case version a form carries, the reason and note
forms, and a service's field errors put onto the form's fields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from mediation.common.money import InvalidAmount, parse_yuan
from mediation.common.timeutil import today

T = TypeVar("T")


class YuanField(StringField):
    """An amount in yuan typed by a person; `.fen` holds the exact value after validation."""

    def __init__(self, *args, allow_zero: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allow_zero = allow_zero
        self.fen: int | None = None

    def pre_validate(self, form) -> None:  # noqa: ANN001
        self.fen = None
        if self.data is None or not str(self.data).strip():
            return  # emptiness is the validators' business (Optional / InputRequired)
        try:
            self.fen = parse_yuan(self.data, allow_zero=self.allow_zero)
        except InvalidAmount as exc:
            raise ValidationError(str(exc)) from None


class VersionedForm(FlaskForm):
    """Carries the case version the user saw, so a concurrent edit becomes a conflict."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class ReasonForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class NoteForm(VersionedForm):
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


def optional_id(value: str | None) -> int | None:
    """A select's id, or None for the blank choice (or anything that is no id)."""
    return int(value) if (value or "").isdigit() else None


def set_today(field_name: str) -> Callable[[FlaskForm, object], None]:
    """A form's default: today in the named date field."""
    def fill(form: FlaskForm, _case: object) -> None:
        getattr(form, field_name).data = today()
    return fill


def all_fields(form) -> Iterator[Field]:  # noqa: ANN001
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from all_fields(entry.form)
                else:
                    yield entry
        elif isinstance(field, FormField):
            yield from all_fields(field.form)
        else:
            yield field


def apply_field_errors(form, field_errors: dict[str, list[str]]) -> list[str]:  # noqa: ANN001
    """Put a service's errors on the fields of the same name; return those with no field.

    A service names its fields plainly ("ends_on"); a prefixed form calls the same field
    "roster-ends_on", and a nested row "workers-0-name": both are found.
    """
    by_name = {field.name: field for field in all_fields(form)}
    by_name.update({field.short_name: field for field in form})
    unplaced = []
    for name, messages in field_errors.items():
        field = by_name.get(name)
        if field is None:
            unplaced.extend(messages)
            continue
        field.errors = list(field.errors or []) + list(messages)
    return unplaced
