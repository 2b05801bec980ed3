"""Settlement documents: build a PDF and store it as a new, verifiable version of its kind."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from mediation import policy
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.models import Case, CaseDocument, User
from mediation.settlements.pdf import Stamp, agreement_pdf
from mediation.settlements.schedule import unscheduled_workers
from mediation.settlements.signing import confirm_lapse

# No 0/O, 1/I/L: a code read off paper and typed in must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


def store_document(*, case: Case, kind: str, actor: User, verify_url: str,
                   build: Callable[[Stamp], bytes], lapsed: dict | None = None) -> CaseDocument:
    """Build the next version of `kind` for the case, store it hashed with a fresh verification
    code and mark the older versions superseded. `verify_url` is the public verification page:
    the document's QR code points there with its code."""
    version = (db.session.scalar(select(func.max(CaseDocument.version)).where(
        CaseDocument.case_id == case.id, CaseDocument.kind == kind)) or 0) + 1
    code = new_verification_code()
    stamp = Stamp(version=version, verification_code=code, verify_url=f"{verify_url}?code={code}",
                  issued_on=today())
    content = build(stamp)
    # Touching the case bumps its version: of two generations at once, the second flush finds
    # the case changed and becomes a Conflict instead of a duplicate version number.
    with flush_or_conflict():
        case.updated_at = utcnow()
        db.session.execute(update(CaseDocument).where(
            CaseDocument.case_id == case.id, CaseDocument.kind == kind).values(superseded=True))
        document = CaseDocument(case_id=case.id, kind=kind, version=version,
                                sha256=hashlib.sha256(content).hexdigest(), verification_code=code,
                                content=content, created_by_id=actor.id, superseded=False)
        db.session.add(document)
        detail = {"kind": kind, "version": version, "sha256": document.sha256}
        if lapsed:  # the signatures the new version made lapse: before, the old version and who had signed
            detail["before"] = {"version": lapsed["version"], "signed": lapsed["parties"]}
            detail["after"] = {"version": version, "signed": []}
        record_event(case=case, actor=actor, action="document", from_state=case.state, to_state=case.state,
                     note=f"v{version}" + (f" · {lapsed['reason']}" if lapsed else ""), detail=detail)
    return document


def agreement_generate(*, case: Case, actor: User, verify_url: str, expected_version: int | None = None,
                       confirm: bool = False, reason: str = "") -> CaseDocument:
    """Build the agreement of a settled case whose agreement has not yet taken effect. When the
    current version has signatures they lapse: only with `confirm` and a reason (signing.confirm_lapse)."""
    check_version(case, expected_version)
    if not policy.can_generate_agreement(actor, case):
        raise NotPermitted(_l("Only the case's mediator, its lawyer or an administrator may do this."))
    if case.state not in policy.AGREEMENT_STATES:
        raise Refused(_l("An agreement can be generated only for a settled case."))
    if case.agreement_effective_on is not None:
        raise Refused(_l("The agreement has taken effect: it can no longer be changed or generated again."))
    missing = unscheduled_workers(case)
    if missing:
        raise Refused(_l("Set the payment schedule first: the installments of %(names)s do not add up "
                         "to the agreed amounts.", names="、".join(w.name for w in missing[:5])))
    lapsed = confirm_lapse(case, confirm=confirm, reason=reason)
    return store_document(case=case, kind="agreement", actor=actor, verify_url=verify_url,
                          build=lambda stamp: agreement_pdf(case, stamp), lapsed=lapsed)
