"""Form plumbing shared by the domains: yuan fields and service errors mapped onto fields."""

from __future__ import annotations

from collections.abc import Iterator

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from mediation.money import InvalidAmount, parse_yuan


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
    """Put a service's errors on the fields of the same name; return those with no field."""
    by_name = {field.name: field for field in all_fields(form)}
    unplaced = []
    for name, messages in field_errors.items():
        field = by_name.get(name)
        if field is None:
            unplaced.extend(messages)
            continue
        field.errors = list(field.errors or []) + list(messages)
    return unplaced


__all__ = ["YuanField", "VersionedForm", "all_fields", "apply_field_errors", "IntegerField",
           "InputRequired", "NumberRange"]
