"""Risk screening writes: record a hazard, add a step, close it. Each flushes, records who and when in
the audit log, and raises (ValidationFailed naming the field, NotPermitted, Conflict); none commits.

The input is what a person or script typed (text), checked here once, for the pages and the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from mediation import policy
from mediation.audit.log import audit_record
from mediation.common.errors import Conflict, NotPermitted, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_uscc
from mediation.common.money import InvalidAmount, parse_yuan
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.models import (
    Case,
    Employer,
    Hazard,
    HazardKind,
    HazardLevel,
    HazardOutcome,
    HazardSource,
    HazardStep,
    Region,
    User,
)

# More workers than any employer of the province has: a larger figure is a typing error.
MAX_WORKERS_AFFECTED = 100_000
MAX_TEXT = 1000
HAZARD_CONFLICT = _l("Someone else changed this hazard while you were working on it. Nothing was saved: "
                     "reload the page, check their change, and try again.")


@dataclass(frozen=True)
class HazardInput:
    """A hazard as typed: every value as text (a number or a date from a form or a JSON body)."""

    region_code: str
    employer_uscc: str
    employer_name: str
    source: str
    kind: str
    level: str
    found_on: object
    workers_affected: object
    amount: object
    description: str = ""


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: object) -> None:
        self.fields.setdefault(name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(str(_l("Please correct the marked fields.")), field_errors=self.fields)


def _text(errors: _Errors, name: str, value: object, *, max_len: int, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        errors.add(name, _l("Enter text."))
        return ""
    text = (value or "").strip()
    if required and not text:
        errors.add(name, _l("This field is required."))
    elif len(text) > max_len:
        errors.add(name, _l("At most %(n)d characters.", n=max_len))
    return text


def _code(errors: _Errors, name: str, value: object, enum: type) -> str:
    if not isinstance(value, str) or value not in enum.values():
        errors.add(name, _l("Choose one of the listed values."))
        return ""
    return value


def _date(errors: _Errors, name: str, value: object, *, not_before: dt.date | None = None) -> dt.date | None:
    """A date no later than today (what was found or done has happened), and not before `not_before`."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value.strip()) if isinstance(value, str) and value.strip() else None
        except ValueError:
            day = None
        if day is None:
            errors.add(name, _l("Enter a date as YYYY-MM-DD."))
            return None
    if day > today():
        errors.add(name, _l("The date cannot be in the future."))
    elif not_before is not None and day < not_before:
        errors.add(name, _l("The date cannot be before the hazard was found (%(date)s).", date=not_before.isoformat()))
    return day


def _workers(errors: _Errors, value: object) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
        errors.add("workers_affected", _l("Enter a whole number of workers."))
        return 0
    count = int(value)
    if count < 1:
        errors.add("workers_affected", _l("At least one worker is affected."))
    elif count > MAX_WORKERS_AFFECTED:
        errors.add("workers_affected", _l("At most %(n)d workers.", n=MAX_WORKERS_AFFECTED))
    return count


def _amount(errors: _Errors, value: object) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0  # not yet estimated
    if not isinstance(value, str | int) or isinstance(value, bool):
        errors.add("amount", _l("Enter an amount in yuan, such as 12000.00."))
        return 0
    try:
        return parse_yuan(value)
    except InvalidAmount as exc:
        errors.add("amount", exc)
        return 0


def _region(errors: _Errors, actor: User, code: object) -> Region | None:
    region = db.session.get(Region, code.strip()) if isinstance(code, str) and code.strip() else None
    if region is None:
        errors.add("region_code", _l("Unknown region."))
        return None
    if not policy.can_see_region(actor, region):
        raise NotPermitted(str(_l("You may only record hazards of your own region.")))
    return region


def _employer(errors: _Errors, raw_uscc: object, name: str) -> Employer | None:
    """The master record of the credit code, never renamed here; a new code makes one, as intake does."""
    try:
        checked = check_uscc(raw_uscc if isinstance(raw_uscc, str) else "")
    except InvalidIdentifier as exc:
        errors.add("employer_uscc", exc)
        return None
    employer = db.session.execute(select(Employer).where(Employer.uscc == checked.value)).scalar_one_or_none()
    if checked.checksum_failed and not (employer and employer.uscc_checksum_overridden):
        errors.add("employer_uscc", _l(
            "The check character of this unified social credit code is wrong. If the code is exactly as printed "
            "on the business licence, a supervisor can accept it on the Employers page."))
        return None
    if employer is None:
        if not name:
            errors.add("employer_name", _l("A new employer needs its name."))
            return None
        employer = Employer(uscc=checked.value, name=name, legal_representative="", address="",
                            uscc_checksum_overridden=False)
    return employer


def require_recorder(actor: User) -> None:
    if not policy.can_record_hazards(actor):
        raise NotPermitted(str(_l("Only mediators and union lawyers record hazards.")))


def check_hazard_version(hazard: Hazard, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != hazard.version:
        raise Conflict(str(HAZARD_CONFLICT))


def flush_hazard() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(str(HAZARD_CONFLICT)) from None


def hazard_record(*, actor: User, data: HazardInput) -> Hazard:
    """A new, open hazard at an employer of the actor's region subtree."""
    require_recorder(actor)
    errors = _Errors()
    region = _region(errors, actor, data.region_code)
    name = _text(errors, "employer_name", data.employer_name, max_len=120, required=False)
    fields = {
        "source": _code(errors, "source", data.source, HazardSource),
        "kind": _code(errors, "kind", data.kind, HazardKind),
        "level": _code(errors, "level", data.level, HazardLevel),
        "found_on": _date(errors, "found_on", data.found_on),
        "workers_affected": _workers(errors, data.workers_affected),
        "amount_fen": _amount(errors, data.amount),
        "description": _text(errors, "description", data.description, max_len=MAX_TEXT, required=False),
    }
    employer = _employer(errors, data.employer_uscc, name)
    errors.raise_if_any()  # before the new employer is added: a refused hazard leaves no master behind
    assert region is not None and employer is not None
    if employer.id is None:
        db.session.add(employer)
    hazard = Hazard(region_code=region.code, employer=employer, created_by_id=actor.id, updated_by_id=actor.id,
                    **fields)
    db.session.add(hazard)
    flush_hazard()
    audit_record(actor=actor, action="hazard.record", region_code=region.code, target_kind="hazard",
                 target_id=hazard.id, detail={"employer": employer.uscc, "kind": hazard.kind, "level": hazard.level,
                                              "workers_affected": hazard.workers_affected,
                                              "amount_fen": hazard.amount_fen})
    return hazard


def hazard_add_step(*, hazard: Hazard, actor: User, expected_version: int | None, taken_on: object,
                    text: object) -> HazardStep:
    """Append a step taken on an open hazard; steps are never changed afterwards."""
    require_recorder(actor)
    check_hazard_version(hazard, expected_version)
    if not hazard.is_open:
        raise Conflict(str(_l("This hazard is closed: no more steps can be added.")))
    errors = _Errors()
    day = _date(errors, "taken_on", taken_on, not_before=hazard.found_on)
    words = _text(errors, "text", text, max_len=MAX_TEXT)
    errors.raise_if_any()
    seq = (db.session.scalar(select(func.max(HazardStep.seq)).where(HazardStep.hazard_id == hazard.id)) or 0) + 1
    step = HazardStep(hazard_id=hazard.id, seq=seq, taken_on=day, text=words, created_by_id=actor.id)
    db.session.add(step)
    # Touching the hazard bumps its version: two steps at once, the second is a conflict.
    hazard.updated_at, hazard.updated_by_id = utcnow(), actor.id
    flush_hazard()
    audit_record(actor=actor, action="hazard.step", region_code=hazard.region_code, target_kind="hazard",
                 target_id=hazard.id, detail={"seq": seq, "taken_on": day.isoformat()})
    return step


def hazard_close(*, hazard: Hazard, actor: User, expected_version: int | None, outcome: object, closed_on: object,
                 case_number: object = "", note: object = "") -> Hazard:
    """Close an open hazard with its outcome; "became a case" names a case of the same employer in scope."""
    require_recorder(actor)
    check_hazard_version(hazard, expected_version)
    if not hazard.is_open:
        raise Conflict(str(_l("This hazard is already closed.")))
    errors = _Errors()
    chosen = _code(errors, "outcome", outcome, HazardOutcome)
    day = _date(errors, "closed_on", closed_on, not_before=hazard.found_on)
    words = _text(errors, "note", note, max_len=MAX_TEXT, required=False)
    number = _text(errors, "case_number", case_number, max_len=32, required=False)
    case = None
    if chosen == HazardOutcome.BECAME_CASE:
        case = _linked_case(errors, actor, hazard, number)
    elif number:
        errors.add("case_number", _l("Only a hazard that became a case names one."))
    errors.raise_if_any()
    hazard.outcome, hazard.closed_on, hazard.closing_note = chosen, day, words
    hazard.case_id = case.id if case is not None else None
    hazard.updated_by_id = actor.id
    flush_hazard()
    audit_record(actor=actor, action="hazard.close", region_code=hazard.region_code, target_kind="hazard",
                 target_id=hazard.id, detail={"outcome": chosen, "closed_on": day.isoformat(),
                                              "case": case.number if case is not None else None})
    return hazard


def _linked_case(errors: _Errors, actor: User, hazard: Hazard, number: str) -> Case | None:
    if not number:
        errors.add("case_number", _l("Enter the number of the case the hazard became."))
        return None
    case = db.session.execute(select(Case).where(Case.number == number)).scalar_one_or_none()
    if case is None or not policy.can_see_case(actor, case):  # another region's case does not exist here
        errors.add("case_number", _l("No case with this number in your region."))
        return None
    if case.employer_id != hazard.employer_id:
        errors.add("case_number", _l("That case is against another employer."))
        return None
    return case
