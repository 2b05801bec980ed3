"""Form plumbing shared by the domains: yuan fields, and calling a service for a form (errors onto fields)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField, StringField
from wtforms.validators import ValidationError

from mediation.errors import ServiceError
from mediation.extensions import db
from mediation.money import InvalidAmount, parse_yuan

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


def run_service(form, call: Callable[[], T]) -> tuple[T | None, int | None]:  # noqa: ANN001
    """Call a service for a submitted form and commit once.

    On a ServiceError: roll back (nothing half-written), put its messages on the form's fields
    and flash the rest, and return (None, the error's HTTP status). Otherwise (result, None).
    """
    try:
        result = call()
    except ServiceError as error:
        db.session.rollback()
        for message in apply_field_errors(form, error.field_errors):
            flash(message, "danger")
        flash(error.message, "danger")
        return None, error.status
    db.session.commit()
    return result, None
