"""Correcting what a case recorded of a party (issue 15 §3): a worker's name, ID number, phone or
address, or the case's own record of its employer (name, credit code, representative, address).

Each correction is of this case only (no other case's record changes, nor the employer's master
record: a corrected credit code links the case to that code's master, made from this case's
details if the code is new), needs a reason, and writes one event with the fields before and
after (the history page masks ID numbers and phones: mediation/case_core/history.py). It is
taken while the case is open; a case that has ended is closed to it. The statistics follow at
the commit point, as for any event.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import workflows
from mediation import policy
from mediation.case_core.checks import required_note
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_mobile, check_resident_id, check_uscc
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, CaseDocument, Employer, User, Worker

WORKER_FIELDS = {"name": 64, "id_number": 18, "phone": 20, "address": 200}
EMPLOYER_FIELDS = {"name": 120, "uscc": 18, "legal_representative": 64, "address": 200}
REQUIRED = ("name", "id_number", "uscc")  # a party always has these; the others may be emptied
EMPLOYER_COLUMNS = {"name": "employer_name", "uscc": "employer_uscc",
                    "legal_representative": "employer_legal_representative", "address": "employer_address"}


@dataclass(frozen=True)
class PartyCorrected:
    """What the page says after a correction: the agreement that no longer matches, if any."""

    fields: tuple[str, ...]
    notice: str | None = None


def correctable_parties(case: Case) -> list[tuple[str, str]]:
    """(party key, label) of every party of the case: each worker, then the employer."""
    return [(f"worker:{w.id}", w.name) for w in case.workers] + [("employer", case.employer.name)]


def _fail(field: str, message) -> ValidationFailed:  # noqa: ANN001
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(message)]})


def _refusal(case: Case, actor: User) -> None:
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        raise NotPermitted(_l("Your role may not take this action."))
    if case.state in workflows.TERMINAL_STATES:
        raise Refused(_l("The case has ended: its parties' details can no longer be corrected."))


def _party(case: Case, party: str) -> Worker | None:
    """The worker the key names (None: the employer); refused when the case has no such party."""
    if party == "employer":
        return None
    worker_id = party.removeprefix("worker:") if isinstance(party, str) else ""
    worker = next((w for w in case.workers if worker_id.isdigit() and w.id == int(worker_id)), None)
    if worker is None:
        raise _fail("party", _l("This case has no such party."))
    return worker


def _clean(case: Case, worker: Worker | None, changes: dict) -> dict[str, str | None]:
    """Every changed field, checked; an error names the field."""
    allowed = WORKER_FIELDS if worker is not None else EMPLOYER_FIELDS
    errors: dict[str, list[str]] = {}
    clean: dict[str, str | None] = {}
    for name, value in changes.items():
        if name not in allowed:
            errors[name] = [str(_l("This party has no such detail."))]
            continue
        if value is not None and not isinstance(value, str):
            errors[name] = [str(_l("This field is required."))]
            continue
        text = (value or "").strip()
        if name in REQUIRED and not text:
            errors[name] = [str(_l("This field is required."))]
        elif len(text) > allowed[name]:
            errors[name] = [str(_l("At most %(n)d characters.", n=allowed[name]))]
        else:
            try:
                clean[name] = _checked(case, worker, name, text)
            except InvalidIdentifier as exc:
                errors[name] = [str(exc)]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    return clean


def _checked(case: Case, worker: Worker | None, name: str, text: str) -> str | None:
    if name == "id_number":
        number = check_resident_id(text, today=today()).value
        if any(other.id_number == number for other in case.workers if other is not worker):
            raise InvalidIdentifier(_l("Another worker of this case has this ID number."))
        return number
    if name == "phone":
        return check_mobile(text) if text else None
    if name == "uscc":
        checked = check_uscc(text)
        master = db.session.scalar(select(Employer).where(Employer.uscc == checked.value))
        if checked.checksum_failed and not (master and master.uscc_checksum_overridden):
            raise InvalidIdentifier(_l(
                "The check character of this unified social credit code is wrong. If the code is exactly as "
                "printed on the business licence, a supervisor can accept it on the Employers page."))
        return checked.value
    return text


def _notice(case: Case) -> str | None:
    """What a correction leaves to do about an agreement already made with the old details."""
    made = db.session.scalar(select(CaseDocument.id).where(CaseDocument.case_id == case.id,
                                                           CaseDocument.kind == "agreement").limit(1))
    if made is None:
        return None
    if case.agreement_effective_on is None:
        return str(_l("The agreement names the details as they were: generate it again (its signatures lapse)."))
    return str(_l("The signed agreement names the details as they were: the correction is on the case's record "
                  "and in its history."))


def party_correct(*, case: Case, actor: User, expected_version: int | None, party: str, changes: dict,
                  reason: str) -> PartyCorrected:
    """Correct one party's details on this case; `changes` holds only the fields to change."""
    check_version(case, expected_version)
    _refusal(case, actor)
    reason = required_note(reason)
    worker = _party(case, party)
    clean = _clean(case, worker, changes)
    before = ({name: getattr(worker, name) for name in clean} if worker is not None
              else {name: getattr(case, EMPLOYER_COLUMNS[name]) for name in clean})
    changed = {name: value for name, value in clean.items() if (before[name] or None) != (value or None)}
    if not changed:
        raise ValidationFailed(_l("Nothing to correct: the details are as the case recorded them."))
    with flush_or_conflict():
        if worker is not None:
            for name, value in changed.items():
                setattr(worker, name, value)
        else:
            _correct_employer(case, changed)
        record_event(case=case, actor=actor, action="correct_party", note=reason, detail={
            "party": "employer" if worker is None else f"worker:{worker.id}",
            "worker_id": worker.id if worker is not None else None,
            "before": {name: before[name] for name in changed}, "after": changed})
    return PartyCorrected(fields=tuple(changed), notice=_notice(case))


def _correct_employer(case: Case, changed: dict[str, str | None]) -> None:
    for name, value in changed.items():
        setattr(case, EMPLOYER_COLUMNS[name], value or "")
    if "uscc" in changed:  # the master record of the corrected code, never a renamed one
        master = db.session.scalar(select(Employer).where(Employer.uscc == case.employer_uscc))
        if master is None:
            master = Employer(uscc=case.employer_uscc, name=case.employer_name, uscc_checksum_overridden=False,
                              legal_representative=case.employer_legal_representative,
                              address=case.employer_address)
            db.session.add(master)
        case.employer_master = master
