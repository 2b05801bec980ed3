"""The values of a ledger's cells: codes with their Chinese names, dates as clerks type them,
amounts in yuan. Each parser returns the clean value or raises FieldError with the reason."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l

from mediation.common.money import InvalidAmount, parse_yuan


class FieldError(ValueError):
    """The cell's value is unusable; args[0] is the message for the user (a lazy string)."""


CHANNELS = {"court": "court", "法院": "court", "hr": "hr", "人社": "hr", "walk_in": "walk_in", "来访": "walk_in"}
OUTCOMES = {"settled": "settled", "调解成功": "settled", "failed": "failed", "调解不成": "failed",
            "withdrawn": "withdrawn", "撤回": "withdrawn", "pending": "pending", "在办": "pending"}
# The system's own labels (拖欠工资 ...) and the shorter words ledgers use for the same kinds.
CLAIM_KINDS = {
    "wages": "wages", "拖欠工资": "wages", "工资": "wages",
    "overtime": "overtime", "加班费": "overtime",
    "severance": "severance", "经济补偿": "severance", "经济补偿金": "severance",
    "social_insurance": "social_insurance", "社会保险": "social_insurance", "社保": "social_insurance",
    "work_injury": "work_injury", "工伤待遇": "work_injury", "工伤": "work_injury",
    "other": "other", "其他": "other",
}

EARLIEST_DATE = dt.date(2000, 1, 1)  # as intake: older dates are typing errors
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_E_NOTATION = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")


def choice(text: str, names: dict[str, str], message) -> str:  # noqa: ANN001
    key = names.get(text) or names.get(text.lower().replace("-", "_").replace(" ", "_"))
    if key is None:
        raise FieldError(message)
    return key


UNKNOWN_CHANNEL = _l("Unknown source: use court (法院), hr (人社) or walk_in (来访).")
UNKNOWN_OUTCOME = _l("Unknown result: use settled (调解成功), failed (调解不成), withdrawn (撤回) or pending (在办).")
UNKNOWN_KIND = _l("Unknown claim kind: use wages (拖欠工资), overtime (加班费), severance (经济补偿), "
                  "social_insurance (社会保险), work_injury (工伤待遇) or other (其他).")


def channel(text: str) -> str:
    return choice(text, CHANNELS, UNKNOWN_CHANNEL)


def outcome(text: str) -> str:
    return choice(text, OUTCOMES, UNKNOWN_OUTCOME)


def claim_kind(text: str) -> str:
    return choice(text, CLAIM_KINDS, UNKNOWN_KIND)


def date(text: str, today: dt.date) -> dt.date:
    """2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 (a time after it is ignored)."""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise FieldError(_l("Enter a date as year-month-day, such as 2024-03-05."))
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldError(_l("This date does not exist.")) from None
    if day > today:
        raise FieldError(_l("The date cannot be in the future."))
    if day < EARLIEST_DATE:
        raise FieldError(_l("The date is too far in the past."))
    return day


def amount(text: str, *, allow_zero: bool = True) -> int:
    """Yuan as text ('12,000.50', '12000元', '¥12000') -> fen."""
    text = text.replace("元", "").replace("¥", "").replace("￥", "").strip()
    try:
        return parse_yuan(text, allow_zero=allow_zero)
    except InvalidAmount as error:
        raise FieldError(error.args[0]) from None


def text(value: str, max_len: int) -> str:
    if len(value) > max_len:
        raise FieldError(_l("At most %(n)d characters.", n=max_len))
    return value


def looks_like_a_number_cell(value: str) -> bool:
    """An ID number that Excel kept as a number: shown as 2.20102E+17, its last digits lost."""
    return bool(_E_NOTATION.match(value))


NUMBER_CELL_MESSAGE = _l("Excel stored this ID number as a number and dropped its last digits: format the column "
                         "as text and type the numbers again.")
