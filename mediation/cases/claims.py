"""Correcting the claims of a case before it is settled: amounts per worker and claim kind, a kind
added or removed, always with a reason and one event holding the claims before and after.

Once the case is settled the agreed amounts (and the signed agreement) rest on the claims, so a
correction is refused then; a case that ended without settling is refused too (its record stands).
The statistics follow at the commit point: the event names the case as touched.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.checks import required_note
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.money import MAX_ITEM_FEN
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import CLAIM_KINDS, Case, ClaimItem, User

Amounts = dict[tuple[int, str], int]  # (worker id, claim kind) -> claimed fen; absent: no such claim


def field_name(worker_id: int, kind: str) -> str:
    """The form's (and the service's) name of one amount: "claim-<worker id>-<kind>"."""
    return f"claim-{worker_id}-{kind}"


def current_amounts(case: Case) -> Amounts:
    amounts: Amounts = defaultdict(int)
    for item in case.claims:
        amounts[(item.worker_id, item.kind)] += item.claimed_fen
    return dict(amounts)


def _as_detail(amounts: Amounts) -> dict[str, dict[str, int]]:
    detail: dict[str, dict[str, int]] = defaultdict(dict)
    for (worker_id, kind), fen in sorted(amounts.items()):
        detail[str(worker_id)][kind] = fen
    return dict(detail)


def _refusal(actor: User, case: Case) -> Exception | None:
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        return NotPermitted(_l("Your role may not take this action."))
    if case.settled_on is not None or case.state in ("settled", "enforcing", "closed"):
        return Refused(_l("The case is settled: its claims can no longer be corrected, since the agreed "
                          "amounts and the agreement rest on them."))
    if case.state not in policy.CLAIM_CORRECTION_STATES:
        return Refused(_l("The case has ended: its claims can no longer be corrected."))
    return None


def _errors(case: Case, amounts: Amounts) -> dict[str, list[str]]:
    workers = {w.id: w for w in case.workers}
    errors: dict[str, list[str]] = {}
    for (worker_id, kind), fen in amounts.items():
        name = field_name(worker_id, kind)
        if worker_id not in workers or kind not in CLAIM_KINDS:
            errors[name] = [str(_l("Choose a worker of this case and a claim kind."))]
        elif not isinstance(fen, int) or isinstance(fen, bool):
            errors[name] = [str(_l("Enter an amount in yuan, such as 12000.00."))]
        elif fen <= 0:
            errors[name] = [str(_l("The amount must be greater than zero: leave it empty to remove the claim."))]
        elif fen > MAX_ITEM_FEN:
            errors[name] = [str(_l("The amount is too large to be a real claim (at most 10,000,000.00 yuan)."))]
    for worker in case.workers:
        if not any(worker_id == worker.id for worker_id, _kind in amounts):
            errors[f"claims-{worker.id}"] = [str(_l("%(name)s needs at least one claim with an amount.",
                                                    name=worker.name))]
    return errors


def claims_correct(*, case: Case, actor: User, expected_version: int | None, amounts: Amounts,
                   reason: str) -> None:
    """Make the case's claims exactly `amounts` (every claim of every worker), for `reason`."""
    check_version(case, expected_version)
    if (refused := _refusal(actor, case)) is not None:
        raise refused
    if not isinstance(amounts, dict):
        amounts = {}
    reason = required_note(reason)
    errors = _errors(case, amounts)
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    before = current_amounts(case)
    if before == amounts:
        raise ValidationFailed(_l("Nothing to correct: the claims are as recorded."),
                               field_errors={"claims": [str(_l("Change at least one amount."))]})
    with flush_or_conflict():
        kept: set[tuple[int, str]] = set()
        for item in list(case.claims):
            key = (item.worker_id, item.kind)
            if key in amounts and key not in kept:
                item.claimed_fen = amounts[key]
                kept.add(key)
            else:  # removed, or a second item of one kind (an old import): the amount is the first's
                case.claims.remove(item)
        case.claims.extend(ClaimItem(worker_id=worker_id, kind=kind, claimed_fen=fen)
                           for (worker_id, kind), fen in sorted(amounts.items()) if (worker_id, kind) not in kept)
        case.updated_at = utcnow()
        db.session.flush()
        record_event(case=case, actor=actor, action="correct_claims", note=reason, detail={
            "before": _as_detail(before), "after": _as_detail(amounts),
            "claimed_fen": {"before": sum(before.values()), "after": sum(amounts.values())}})
