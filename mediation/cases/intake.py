"""Taking in a case: validate the referral, record its parties, number it, log it.

The web form and the JSON API call `case_intake` with values their edge has typed (the form's
fields; the referral schema, mediation/cases/schemas.py), so every entry point gets the same
checks of what the edge cannot know (blank after trimming, ID numbers, codes, dates). Errors
are named in the intake's own terms, paths into its input as the
referral body has them: "employer/uscc", "workers/0/id_number", "workers/0/claims/1/amount" (the
second entry of that worker's `claims`, in order). The API passes them through; the page maps
them to its form's fields once (`IntakeForm.field_name`, mediation/cases/forms.py). The case
records its workers and its employer as entered: rows and columns of its own (mediation/models/party.py);
the employer's master record is found by its credit code, or made from this intake when the
code is new, and never renamed by an intake. What other cases recorded under the same numbers
(mediation/cases/parties.py) gives warnings the user must confirm (`IntakeInput.confirmed`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation import policy
from mediation.case_core.events import record_event
from mediation.case_core.numbering import next_case_number
from mediation.cases import parties
from mediation.common.errors import NeedsConfirmation, NotPermitted, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_mobile, check_resident_id, check_uscc
from mediation.common.money import InvalidAmount, parse_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import CHANNELS, CLAIM_KINDS, LANGUAGES, Case, ClaimItem, Employer, Region, User, Venue, Worker

MAX_WORKERS = 500
EARLIEST_RECEIVED_ON = dt.date(2000, 1, 1)


@dataclass
class WorkerInput:
    name: str
    id_number: str
    phone: str = ""
    # claim kind -> amount in yuan (text); errors name an entry by its position: "claims/1/amount"
    claims: dict[str, str] = field(default_factory=dict)


@dataclass
class IntakeInput:
    channel: str
    region_code: str
    received_on: dt.date | None
    employer_name: str
    employer_uscc: str
    workers: list[WorkerInput]
    referral_ref: str = ""
    venue_id: int | None = None
    summary: str = ""
    employer_legal_representative: str = ""
    employer_address: str = ""
    language: str = "zh"  # what the workers need at the table: "zh" or "ko"
    # The user has read the warnings of an earlier attempt (a likely duplicate, another name on
    # record) and goes ahead.
    confirmed: bool = False


@dataclass
class _CleanWorker:
    name: str
    id_number: str
    phone: str | None
    claims: list[tuple[str, int]]


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.warnings: list[str] = []

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(str(message))


def _text(errors: _Errors, name: str, value: str, *, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(name, _l("This field is required."))
    elif len(value) > max_len:
        errors.add(name, _l("At most %(n)d characters.", n=max_len))
    return value


def _clean_workers(errors: _Errors, workers: list[WorkerInput]) -> list[_CleanWorker]:
    if not workers:
        errors.add("workers", _l("A case needs at least one worker."))
    if len(workers) > MAX_WORKERS:
        errors.add("workers", _l("At most %(n)d workers in one case.", n=MAX_WORKERS))
        return []
    clean: list[_CleanWorker] = []
    seen: set[str] = set()
    for index, worker in enumerate(workers):
        prefix = f"workers/{index}/"
        name = _text(errors, prefix + "name", worker.name, max_len=64)
        id_number = ""
        try:
            checked = check_resident_id(worker.id_number, today=today())
            id_number = checked.value
            errors.warnings.extend(f"{name}: {w}" for w in checked.warnings)
            if id_number in seen:
                errors.add(prefix + "id_number", _l("The same ID number is entered twice."))
            seen.add(id_number)
        except InvalidIdentifier as exc:
            errors.add(prefix + "id_number", str(exc))
        phone = None
        if worker.phone is not None and str(worker.phone).strip():
            try:
                phone = check_mobile(worker.phone)
            except InvalidIdentifier as exc:
                errors.add(prefix + "phone", str(exc))
        claims: list[tuple[str, int]] = []
        for position, (kind, amount) in enumerate(worker.claims.items()):
            if kind not in CLAIM_KINDS:
                errors.add(f"{prefix}claims/{position}/kind", _l("Unknown claim kind."))
                continue
            if amount is None or not str(amount).strip():
                continue
            try:
                claims.append((kind, parse_yuan(amount, allow_zero=False)))
            except InvalidAmount as exc:
                errors.add(f"{prefix}claims/{position}/amount", str(exc))
        if not claims and not any(name.startswith(prefix + "claims") for name in errors.fields):
            errors.add(prefix + "claims", _l("Each worker needs at least one claim with an amount."))
        clean.append(_CleanWorker(name, id_number, phone, claims))
    return clean


def _resolve_region_and_venue(errors: _Errors, actor: User, data: IntakeInput) -> tuple[Region | None, Venue | None]:
    region_code = (data.region_code or "").strip()
    region = db.session.get(Region, region_code) if region_code else None
    if region is None:
        errors.add("region_code", _l("Unknown region."))
        return None, None
    if not policy.can_see_region(actor, region):
        raise NotPermitted(_l("You may only take in cases of your own region."))
    venue = None
    if data.venue_id:
        venue = db.session.get(Venue, data.venue_id)  # a whole number in range: the edge has checked
        if venue is None or not venue.active or not policy.can_see_region(actor, venue.region):
            errors.add("venue_id", _l("Unknown venue."))
            venue = None
    return region, venue


def _employer_fields(errors: _Errors, data: IntakeInput) -> dict[str, str]:
    """The case's own record of its employer, by column; errors named as the intake's input has them."""
    return {
        "employer_name": _text(errors, "employer/name", data.employer_name, max_len=120),
        "employer_legal_representative": _text(errors, "employer/legal_representative",
                                               data.employer_legal_representative, max_len=64, required=False),
        "employer_address": _text(errors, "employer/address", data.employer_address, max_len=200, required=False),
    }


def _resolve_employer(errors: _Errors, data: IntakeInput, name: str, legal_rep: str, address: str) -> Employer | None:
    """The master record of the credit code; a new code makes one from this intake's details."""
    try:
        checked = check_uscc(data.employer_uscc)
    except InvalidIdentifier as exc:
        errors.add("employer/uscc", str(exc))
        return None
    employer = db.session.execute(select(Employer).where(Employer.uscc == checked.value)).scalar_one_or_none()
    if checked.checksum_failed and not (employer and employer.uscc_checksum_overridden):
        errors.add("employer/uscc", _l(
            "The check character of this unified social credit code is wrong. If the code is "
            "exactly as printed on the business licence, a supervisor can accept it on the "
            "Employers page."))
        return None
    if errors.fields:
        return None
    if employer is None:  # added with the case, so a refused intake leaves no master behind
        employer = Employer(uscc=checked.value, name=name, legal_representative=legal_rep, address=address,
                            uscc_checksum_overridden=False)
    return employer


def intake_warnings(actor: User, clean: list[_CleanWorker], uscc: str, employer_name: str) -> dict[str, list[str]]:
    """What other cases recorded under these numbers, as far as the actor may be told (by field)."""
    index = parties.look_up(actor, [w.id_number for w in clean], [uscc])
    warnings: dict[str, list[str]] = {}
    for position, worker in enumerate(clean):
        for name, found in ((f"workers/{position}/name", parties.person_warnings(index, worker.id_number, worker.name)),
                            (f"workers/{position}/id_number", parties.duplicate_warnings(index, worker.id_number,
                                                                                        uscc))):
            if found:
                warnings.setdefault(name, []).extend(str(message) for message in found)
    if found := parties.employer_warnings(index, uscc, employer_name):
        warnings["employer/name"] = [str(message) for message in found]
    return warnings


def validate_intake(actor: User, data: IntakeInput) -> tuple[_Errors, Region | None, Venue | None, list[_CleanWorker]]:
    errors = _Errors()
    if data.channel not in CHANNELS:
        errors.add("channel", _l("Choose where the case comes from."))
    if data.language not in LANGUAGES:
        errors.add("language", _l("Choose the language of the workers."))
    ref = _text(errors, "referral_ref", data.referral_ref, max_len=64, required=data.channel in ("court", "hr"))
    if ref and data.channel in CHANNELS:
        existing = db.session.execute(
            select(Case.number).where(Case.channel == data.channel, Case.referral_ref == ref)
        ).scalar_one_or_none()
        if existing:
            errors.add("referral_ref", _l("This referral is already registered as case %(number)s.",
                                          number=existing))
    _text(errors, "summary", data.summary, max_len=4000, required=False)
    if data.received_on is None:
        errors.add("received_on", _l("This field is required."))
    elif data.received_on > today():
        errors.add("received_on", _l("The date cannot be in the future."))
    elif data.received_on < EARLIEST_RECEIVED_ON:
        errors.add("received_on", _l("The date is too far in the past."))
    region, venue = _resolve_region_and_venue(errors, actor, data)
    clean = _clean_workers(errors, data.workers)
    return errors, region, venue, clean


def case_intake(*, actor: User, data: IntakeInput) -> tuple[Case, list[str]]:
    """Register a new case in state intake. Returns the case and any warnings to show.

    Raises NeedsConfirmation, writing nothing, when other cases recorded these people or this
    employer under other names, or an open case has the same worker and employer, unless the
    input is `confirmed`."""
    if actor.role not in ("mediator", "admin"):
        raise NotPermitted(_l("Your role may not take in cases."))
    errors, region, venue, clean = validate_intake(actor, data)
    employer_fields = _employer_fields(errors, data)
    # Nothing is written before every field has passed (a new master record is added last).
    with db.session.no_autoflush:
        employer = _resolve_employer(errors, data, employer_fields["employer_name"],
                                     employer_fields["employer_legal_representative"],
                                     employer_fields["employer_address"])
    if errors.fields or employer is None:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors.fields)
    assert region is not None and data.received_on is not None
    warnings = intake_warnings(actor, clean, employer.uscc, employer_fields["employer_name"])
    if warnings and data.confirmed is not True:
        raise NeedsConfirmation(_l("Check these warnings, then confirm that you have checked them to take the "
                                   "case in."), warnings=warnings)
    workers = [Worker(name=item.name, id_number=item.id_number, phone=item.phone) for item in clean]
    case = Case(
        number=next_case_number(region_code=region.code, year=data.received_on.year),
        channel=data.channel,
        referral_ref=(data.referral_ref or "").strip() or None,
        region_code=region.code,
        venue_id=venue.id if venue else None,
        employer_master=employer,
        employer_uscc=employer.uscc,
        **employer_fields,
        mediator_id=actor.id if actor.role == "mediator" else None,
        state="intake",
        language=data.language,
        summary=(data.summary or "").strip(),
        worker_count=len(workers),
        received_on=data.received_on,
        workers=workers,
    )
    case.claims = [
        ClaimItem(worker=worker, kind=kind, claimed_fen=fen)
        for worker, item in zip(workers, clean, strict=True)
        for kind, fen in item.claims
    ]
    db.session.add(case)
    db.session.flush()
    detail = {"workers": len(workers), "claimed_fen": case.claimed_fen}
    if warnings:  # the user confirmed them: which fields, never what another case holds
        detail["confirmed_warnings"] = sorted(warnings)
    record_event(case=case, actor=actor, action="intake", to_state="intake", detail=detail)
    db.session.flush()
    return case, [str(w) for w in errors.warnings]
