"""Signatures on the agreement: it takes effect when every party has signed and it is sealed.

Labor Dispute Mediation and Arbitration Law, art. 14: the agreement is signed or sealed by
the parties, signed by the mediator and sealed by the mediation organisation, and binds from
then on. Signatures are recorded against the current version of the agreement PDF, since that
is the paper that was signed; a new draft version starts the signing again.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation import policy
from mediation.case_core.checks import required_note, text_problem, valid_date
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import Case, CaseDocument, Signature, User

MAX_REPRESENTATIVE = 100


def current_agreement(case: Case) -> CaseDocument | None:
    return db.session.scalar(select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.kind == "agreement",
        CaseDocument.superseded.is_(False)))


def required_parties(case: Case) -> list[str]:
    """Every signature the agreement needs, as party keys, in the order they are printed."""
    return [f"worker:{w.id}" for w in case.workers] + ["employer", "mediator", "seal"]


def signatures_on(document: CaseDocument | None) -> dict[str, Signature]:
    if document is None:
        return {}
    return {s.party: s for s in db.session.scalars(select(Signature).where(Signature.document_id == document.id))}


def signature_record(*, case: Case, actor: User, expected_version: int | None, parties: list[str],
                     signed_on: dt.date | None, representative: str = "") -> list[Signature]:
    """Record that `parties` signed the current agreement on `signed_on`; when that completes
    the set, the agreement takes effect on the latest signing day."""
    check_version(case, expected_version)
    if not policy.can_draft_agreement(actor, case):
        if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
            raise NotPermitted(_l("Your role may not take this action."))
        raise Refused(_l("Signatures can be recorded only on a settled case whose agreement has not taken effect."))
    document = current_agreement(case)
    if document is None:
        raise Refused(_l("Generate the agreement first: signatures are recorded on its current version."))
    signed = signatures_on(document)
    needed = required_parties(case)
    errors: dict[str, list[str]] = {}
    if not parties:
        errors["parties"] = [str(_l("Choose who signed."))]
    elif unknown := [p for p in parties if p not in needed]:
        errors["parties"] = [str(_l("%(party)s is not a party to this agreement.", party=str(unknown[0])[:40]))]
    elif already := [p for p in parties if p in signed]:
        errors["parties"] = [str(_l("The signature of %(party)s is already recorded.",
                                    party=party_name(case, already[0])))]
    if problem := text_problem(representative, MAX_REPRESENTATIVE):
        errors["representative"] = [str(problem)]
    elif (representative or "").strip() and (len(parties or []) != 1 or "seal" in (parties or [])):
        errors["representative"] = [str(_l("A representative signs for one party at a time, never for the seal."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    signed_on = valid_date(signed_on, case, "signed_on", not_before=case.settled_on)
    workers = {f"worker:{w.id}": w.id for w in case.workers}
    with flush_or_conflict():
        case.updated_at = utcnow()
        created = [Signature(case_id=case.id, document_id=document.id, party=party, worker_id=workers.get(party),
                             signed_on=signed_on, representative=(representative or "").strip(),
                             recorded_by_id=actor.id) for party in dict.fromkeys(parties)]
        db.session.add_all(created)
        record_event(case=case, actor=actor, action="sign", from_state=case.state, to_state=case.state,
                     note=", ".join(party_name(case, p) for p in parties)[:200],
                     detail={"version": document.version, "parties": list(parties), "signed_on": signed_on.isoformat()})
        everyone = {**signed, **{s.party: s for s in created}}
        if all(party in everyone for party in needed):
            case.agreement_effective_on = max(s.signed_on for s in everyone.values())
            record_event(case=case, actor=actor, action="agreement_effective", from_state=case.state,
                         to_state=case.state, detail={"version": document.version,
                                                      "effective_on": case.agreement_effective_on.isoformat()})
    db.session.expire(case, ["signatures"])
    return created


def party_name(case: Case, party: str) -> str:
    """The name a person reads for a party key (workers by name; the rest in the UI language)."""
    if party.startswith("worker:"):
        worker = next((w for w in case.workers if f"worker:{w.id}" == party), None)
        return worker.name if worker else party
    return str({"employer": _l("the employer"), "mediator": _l("the mediator"),
                "seal": _l("the organisation's seal")}.get(party, party))


class SignaturesWouldLapse(Refused):
    """A new version of the agreement would make signatures lapse, and nobody confirmed it."""

    code = "signatures_would_lapse"


def lapsing_parties(case: Case) -> list[str]:
    """The parties whose signatures on the current agreement a new version makes lapse, in print order."""
    signed = signatures_on(current_agreement(case))
    needed = required_parties(case)
    return [p for p in needed if p in signed] + sorted(p for p in signed if p not in needed)


def confirm_lapse(case: Case, *, confirm: bool, reason: str) -> dict | None:
    """Before anything supersedes the current agreement: None when it has no signature; else the
    signatures that lapse (for the event), once `confirm` is given with a reason. Refused without
    the confirmation, naming them (409), so that no signature disappears unnoticed."""
    parties = lapsing_parties(case)
    if not parties:
        return None
    version = current_agreement(case).version
    names = "、".join(party_name(case, p) for p in parties)
    if confirm is not True:
        message = _l("Version %(version)d of the agreement has the signatures of %(names)s: they lapse with a new "
                     "version and must be recorded again. Confirm to go on.", version=version, names=names)
        raise SignaturesWouldLapse(message, field_errors={"confirm": [str(message)]})
    return {"version": version, "parties": parties, "reason": required_note(reason)}
