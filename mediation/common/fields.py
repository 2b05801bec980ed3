"""Marshmallow fields for operation inputs: strict JSON types, translated messages, money as yuan strings.

marshmallow's own messages are English sentences; these fields carry the project's (translated
when the problem is written). Limits match the services' own, and are stated in the OpenAPI
document through the validators, so a client learns them from the schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import validate

from mediation.common.money import InvalidAmount, format_yuan, parse_yuan
from mediation.common.timeutil import as_utc

MAX_ID = 2**31 - 1  # a database integer key: larger numbers are refused before any query
YUAN_PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"
_YUAN = re.compile(YUAN_PATTERN)


class _Messages:
    default_error_messages = {
        "required": _l("This field is required."),
        "null": _l("This field cannot be null."),
        "validator_failed": _l("Invalid value."),
    }


class BaseSchema(ma.Schema):
    """Unknown fields are refused (a misspelt field must not be silently ignored)."""

    error_messages = {"unknown": _l("Unknown field."), "type": _l("Enter a JSON object.")}

    class Meta:
        unknown = ma.RAISE


def _UNSTORABLE() -> list[str]:  # noqa: N802
    # A list, not the lazy string itself: marshmallow wraps only a plain str in a list, and the
    # error merging would then take a lazy string for a sequence of one-character messages.
    return [str(_l("The text contains characters that cannot be stored."))]


def storable(value: str) -> None:
    """NUL and lone surrogates cannot be stored (PostgreSQL refuses them): refuse them here."""
    if "\x00" in value:
        raise ma.ValidationError(_UNSTORABLE())
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ma.ValidationError(_UNSTORABLE()) from None


class Text(_Messages, ma.fields.String):
    default_error_messages = {"invalid": _l("Enter text (a JSON string)."),
                              "invalid_utf8": _l("The text contains characters that cannot be stored.")}

    def __init__(self, max_len: int | None = None, **kwargs: Any) -> None:
        validators = [storable]
        if max_len is not None:
            validators.append(validate.Length(max=max_len, error=_l("At most %(n)d characters.", n=max_len)))
        super().__init__(validate=validators, **kwargs)


class Choice(_Messages, ma.fields.String):
    """One of a fixed set of codes (documented as an enum)."""

    default_error_messages = {"invalid": _l("Enter text (a JSON string).")}

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        choices = list(choices)
        error = _l("Choose one of: %(choices)s.", choices=", ".join(choices))
        super().__init__(validate=validate.OneOf(choices, error=error), **kwargs)


class Id(_Messages, ma.fields.Integer):
    """A record's id: a positive whole number, given as a JSON number."""

    default_error_messages = {"invalid": _l("Enter a whole number."), "too_large": _l("The number is too large.")}

    def __init__(self, *, minimum: int = 1, maximum: int = MAX_ID, strict: bool = True, **kwargs: Any) -> None:
        error = _l("Enter a whole number from %(min)d to %(max)d.", min=minimum, max=maximum)
        super().__init__(strict=strict, validate=validate.Range(minimum, maximum, error=error), **kwargs)


class Day(_Messages, ma.fields.Date):
    default_error_messages = {"invalid": _l("Enter a date as YYYY-MM-DD."),
                              "format": _l("Enter a date as YYYY-MM-DD.")}


class Clock(_Messages, ma.fields.Time):
    """A time of day, "HH:MM"."""

    default_error_messages = {"invalid": _l("Enter a time as HH:MM."), "format": _l("Enter a time as HH:MM.")}


class Flag(_Messages, ma.fields.Boolean):
    """A JSON true or false, nothing else ("yes", 1 and "true" are refused: a confirmation is explicit)."""

    default_error_messages = {"invalid": _l("Enter true or false.")}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:  # type: ignore[override]
        if not isinstance(value, bool):  # 1 == True in Python: checked by type, not by equality
            raise self.make_error("invalid")
        return value


class Instant(ma.fields.DateTime):
    """A moment, always written with its UTC offset (SQLite hands datetimes back without one)."""

    def _serialize(self, value: dt.datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return as_utc(value).isoformat()


class Yuan(_Messages, ma.fields.String):
    """Money: a decimal string in yuan ("12000.00") outside, integer fen inside."""

    default_error_messages = {"invalid": _l('Give amounts as a decimal string in yuan, such as "12000.00".')}

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        metadata = {"pattern": YUAN_PATTERN, "example": "12000.00", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:  # type: ignore[override]
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if not _YUAN.fullmatch(value):
            raise ma.ValidationError(str(_l("Enter an amount in yuan, such as 12000.00.")))
        try:
            return parse_yuan(value, allow_zero=self.allow_zero)
        except InvalidAmount as error:
            raise ma.ValidationError(str(error)) from None

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_yuan(value, grouping=False)


class Items(_Messages, ma.fields.List):
    default_error_messages = {"invalid": _l("Enter a JSON list.")}

    def __init__(self, inner: Any, *, max_items: int | None = None, min_items: int = 0, **kwargs: Any) -> None:
        validators = []
        if max_items is not None or min_items:
            error = _l("Enter from %(min)d to %(max)d items.", min=min_items, max=max_items or MAX_ID)
            validators.append(validate.Length(min=min_items, max=max_items, error=error))
        super().__init__(inner, validate=validators, **kwargs)


class Object(_Messages, ma.fields.Nested):
    default_error_messages = {"type": _l("Enter a JSON object.")}
