"""Writes of consultations: log one, edit one (the replaced values kept), link the case taken in
from one. They flush and raise, never commit (mediation/web/commit.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import Conflict, NotPermitted, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_mobile, check_uscc, mask_phone
from mediation.common.timeutil import today
from mediation.consultations import access
from mediation.extensions import db
from mediation.models import (
    CONSULTATION_CHANNELS,
    CONSULTATION_TOPICS,
    Case,
    Consultation,
    ConsultationEdit,
    Employer,
    Region,
    User,
)

MAX_MINUTES = 600
MAX_TEXT = 4000
EARLIEST = dt.date(2000, 1, 1)
EDITABLE = ("region_code", "channel", "held_on", "duration_minutes", "topic", "question", "answer", "worker_name",
            "worker_phone", "employer_name", "employer_uscc")


@dataclass
class ConsultationInput:
    channel: str
    held_on: dt.date | None
    duration_minutes: int | None
    topic: str
    question: str
    answer: str
    worker_name: str = ""
    worker_phone: str = ""
    employer_name: str = ""
    employer_uscc: str = ""
    region_code: str = ""  # blank: the recording user's own region


class _Errors(dict):
    def add(self, name: str, message: object) -> None:
        self.setdefault(name, []).append(str(message))


def _text(errors: _Errors, name: str, value: object, *, max_len: int, required: bool) -> str:
    if value is not None and not isinstance(value, str):
        errors.add(name, _l("This field is required."))
        return ""
    text = (value or "").strip()
    if required and not text:
        errors.add(name, _l("This field is required."))
    elif len(text) > max_len:
        errors.add(name, _l("At most %(n)d characters.", n=max_len))
    return text


def _region(errors: _Errors, actor: User, code: object) -> str:
    if not code:
        return actor.region_code
    region = db.session.get(Region, code) if isinstance(code, str) else None
    if region is None or not region.path.startswith(actor.region.path):
        errors.add("region_code", _l("Unknown region."))
        return ""
    return region.code


def _uscc(errors: _Errors, raw: object) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        checked = check_uscc(raw)
    except InvalidIdentifier as exc:
        errors.add("employer_uscc", exc)
        return None
    if checked.checksum_failed and not db.session.scalar(
            select(Employer.uscc_checksum_overridden).where(Employer.uscc == checked.value)):
        errors.add("employer_uscc", _l("The check character of this unified social credit code is wrong."))
        return None
    return checked.value


def clean(actor: User, data: ConsultationInput) -> dict:
    """The stored values of the input, or ValidationFailed naming every bad field."""
    errors = _Errors()
    values: dict = {"region_code": _region(errors, actor, data.region_code)}
    if data.channel not in CONSULTATION_CHANNELS:
        errors.add("channel", _l("Choose how the question came in."))
    if data.topic not in CONSULTATION_TOPICS:
        errors.add("topic", _l("Choose the topic."))
    if not isinstance(data.held_on, dt.date) or isinstance(data.held_on, dt.datetime):
        errors.add("held_on", _l("This field is required."))
    elif data.held_on > today():
        errors.add("held_on", _l("The date cannot be in the future."))
    elif data.held_on < EARLIEST:
        errors.add("held_on", _l("The date is too far in the past."))
    minutes = data.duration_minutes
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
        errors.add("duration_minutes", _l("Between 1 and %(n)d minutes.", n=MAX_MINUTES))
    values.update(channel=data.channel, topic=data.topic, held_on=data.held_on, duration_minutes=minutes,
                  question=_text(errors, "question", data.question, max_len=MAX_TEXT, required=True),
                  answer=_text(errors, "answer", data.answer, max_len=MAX_TEXT, required=True),
                  worker_name=_text(errors, "worker_name", data.worker_name, max_len=64, required=False),
                  employer_name=_text(errors, "employer_name", data.employer_name, max_len=120, required=False),
                  employer_uscc=_uscc(errors, data.employer_uscc), worker_phone=None)
    if isinstance(data.worker_phone, str) and data.worker_phone.strip():
        try:
            values["worker_phone"] = check_mobile(data.worker_phone)
        except InvalidIdentifier as exc:
            errors.add("worker_phone", exc)
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=dict(errors))
    return values


def consultation_record(*, actor: User, data: ConsultationInput) -> Consultation:
    if not access.can_record(actor):
        raise NotPermitted(_l("Lawyers and mediators log consultations."))
    consultation = Consultation(recorded_by=actor, **clean(actor, data))
    db.session.add(consultation)
    db.session.flush()
    return consultation


def _shown(name: str, value: object) -> object:
    """A value as an edit keeps it: dates as text, a phone masked (the record is read by many)."""
    if name == "worker_phone":
        return mask_phone(value) or None
    return value.isoformat() if isinstance(value, dt.date) else value


def consultation_edit(*, consultation: Consultation, actor: User, expected_version: int | None,
                      data: ConsultationInput) -> ConsultationEdit | None:
    """Change what was logged; the values replaced are kept with who and when. None: nothing changed."""
    if not access.can_edit(actor, consultation):
        raise NotPermitted(_l("Lawyers and mediators of its region edit a consultation."))
    check_version(consultation, expected_version)
    if not data.region_code:  # an editor from the prefecture keeps the county it was logged in
        data = dataclasses.replace(data, region_code=consultation.region_code)
    values = clean(actor, data)
    changes = {name: [_shown(name, getattr(consultation, name)), _shown(name, values[name])]
               for name in EDITABLE if getattr(consultation, name) != values[name]}
    if not changes:
        return None
    with flush_or_conflict():
        for name in changes:
            setattr(consultation, name, values[name])
        edit = ConsultationEdit(consultation=consultation, edited_by=actor, changes=changes)
        db.session.add(edit)
    return edit


def consultation_link_case(*, consultation: Consultation, case: Case) -> None:
    """The case taken in from the consultation, in the intake's own transaction."""
    if consultation.case_id is not None:
        raise Conflict(_l("This consultation has already been taken in as a case."))
    with flush_or_conflict():
        consultation.case = case
