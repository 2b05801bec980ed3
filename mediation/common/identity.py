"""Identity numbers and phones: validated with python-stdnum and phonenumbers, and masked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers
from flask_babel import lazy_gettext as _l
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

_COMPACT_RIC = re.compile(r"[0-9]{17}[0-9X]")


class InvalidIdentifier(ValueError):
    """A hard error: the number cannot be right."""


@dataclass
class Checked:
    value: str
    warnings: list[str] = field(default_factory=list)
    checksum_failed: bool = False


def check_resident_id(raw: str, *, today: dt.date) -> Checked:
    """Checksum and birth date are hard errors; an unknown birth-place code is a warning,
    since real cards carry county codes that were later retired."""
    if not isinstance(raw, str):
        number = ""  # stdnum raises on non-text
    elif _COMPACT_RIC.fullmatch(raw):
        number = raw  # already what compact() returns: a bulk import skips its cost
    else:
        number = ric.compact(raw)
    if len(number) != 18:
        raise InvalidIdentifier(_l("A resident ID number has 18 characters."))
    # isascii: str.isdigit() also passes "²", which int() then trips on (stdnum folds full-width digits)
    if not number.isascii() or not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        raise InvalidIdentifier(_l("A resident ID number is 17 digits followed by a digit or X."))
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidIdentifier(_l("The check digit of this resident ID number is wrong."))
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise InvalidIdentifier(_l("The birth date in this resident ID number does not exist.")) from None
    if born > today or born.year < 1900:
        raise InvalidIdentifier(_l("The birth date in this resident ID number is impossible."))
    checked = Checked(number)
    if not _birth_place_known(number[:6], born.year):
        checked.warnings.append(
            _l("The birth-place code %(code)s is not in the current code list; please check it.",
               code=number[:6])
        )
    return checked


@lru_cache(maxsize=8192)
def _birth_place_known(area: str, year: int) -> bool:
    """stdnum's place lookup reads only the area code and the birth year, and costs more than all
    the other checks together: a bulk import checks each (area, year) once."""
    try:
        ric.get_birth_place(f"{area}{year:04d}0101" + "0000")
    except (stdnum_errors.ValidationError, KeyError):  # KeyError: stdnum knows a city, no county
        return False
    return True


def check_uscc(raw: str) -> Checked:
    """Format errors are hard; a checksum failure is reported for a supervisor to override."""
    code = uscc.compact(raw) if isinstance(raw, str) else ""
    if len(code) != 18:
        raise InvalidIdentifier(_l("A unified social credit code has 18 characters."))
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        return Checked(code, [_l("The check character of this unified social credit code is wrong.")], True)
    except stdnum_errors.ValidationError:
        raise InvalidIdentifier(_l("This is not a valid unified social credit code.")) from None
    return Checked(code)


def check_mobile(raw: str) -> str:
    """A mainland China mobile number, returned as its 11 digits."""
    text = raw.strip() if isinstance(raw, str) else ""
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier(_l("This is not a phone number.")) from None
    # A mainland number of a mobile type is a valid number (is_valid_number is "type is known"
    # for the number's region): asking it again would compute the type twice, a bulk import's cost.
    if (
        parsed.country_code != 86
        or phonenumbers.number_type(parsed)
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        raise InvalidIdentifier(_l("A mobile number in mainland China has 11 digits and starts with 1."))
    return str(parsed.national_number)


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


def mask_phone(number: str | None) -> str:
    if not number:
        return ""
    return number[:3] + "****" + number[-4:] if len(number) == 11 else "*" * len(number)
