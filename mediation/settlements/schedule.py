"""The payment schedule of an agreement: installments per worker, set while it is a draft.

Every worker with an agreed amount gets one or more installments that add up to exactly that
amount, due on or after the day the terms were agreed. The schedule is printed in the
agreement, so changing it supersedes the current draft (its signatures lapse with it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update

from mediation import policy
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.money import MAX_ITEM_FEN, format_yuan
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import Case, CaseDocument, Installment, User, Worker
from mediation.settlements.signing import confirm_lapse

MAX_INSTALLMENTS_PER_WORKER = 60  # five years of monthly payments
MAX_SCHEDULE_YEARS = 5


@dataclass(frozen=True)
class InstallmentInput:
    worker_id: int | None
    due_on: dt.date | None
    amount_fen: int | None


def unscheduled_workers(case: Case) -> list[Worker]:
    """Workers whose installments do not add up to what was agreed for them."""
    return [w for w in case.workers
            if sum(i.amount_fen for i in case.installments_of(w)) != case.agreed_for(w)]


def _row_errors(case: Case, index: int, row: InstallmentInput, workers: dict[int, Worker]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    prefix = f"rows-{index}-"
    if row.worker_id not in workers:
        errors[prefix + "worker_id"] = [str(_l("Choose a worker of this case."))]
    latest = case.settled_on + dt.timedelta(days=366 * MAX_SCHEDULE_YEARS)
    if row.due_on is None:
        errors[prefix + "due_on"] = [str(_l("Enter the due date."))]
    elif row.due_on < case.settled_on:
        errors[prefix + "due_on"] = [str(_l("A due date cannot be before the agreement (%(date)s).",
                                            date=case.settled_on.isoformat()))]
    elif row.due_on > latest:
        errors[prefix + "due_on"] = [str(_l("A due date more than %(n)d years after the agreement is not plausible.",
                                            n=MAX_SCHEDULE_YEARS))]
    amount = row.amount_fen
    if amount is None:
        errors[prefix + "amount"] = [str(_l("Enter the amount."))]
    elif amount <= 0:
        errors[prefix + "amount"] = [str(_l("The amount must be greater than zero."))]
    elif amount > MAX_ITEM_FEN:
        errors[prefix + "amount"] = [str(_l(
            "The amount is too large to be a real claim (at most 10,000,000.00 yuan)."))]
    return errors


def schedule_set(*, case: Case, actor: User, expected_version: int | None,
                 rows: list[InstallmentInput], confirm: bool = False, reason: str = "") -> list[Installment]:
    """Replace the schedule of a draft agreement with `rows`; all of them or nothing. It supersedes
    the draft: signatures on it lapse, only with `confirm` and a reason (signing.confirm_lapse)."""
    check_version(case, expected_version)
    if not policy.can_draft_agreement(actor, case):
        if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
            raise NotPermitted(_l("Your role may not take this action."))
        raise Refused(_l("The schedule can be set only on a settled case whose agreement has not taken effect."))
    workers = {w.id: w for w in case.workers}
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        errors.update(_row_errors(case, index, row, workers))
    if not rows:
        errors["rows"] = [str(_l("Enter at least one installment."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    problems = []
    for worker in case.workers:
        mine = [r for r in rows if r.worker_id == worker.id]
        total, agreed = sum(r.amount_fen for r in mine), case.agreed_for(worker)
        if len(mine) > MAX_INSTALLMENTS_PER_WORKER:
            problems.append(str(_l("%(name)s has more than %(n)d installments.", name=worker.name,
                                   n=MAX_INSTALLMENTS_PER_WORKER)))
        elif total != agreed:
            problems.append(str(_l("The installments of %(name)s add up to %(total)s yuan, not the agreed "
                                   "%(agreed)s yuan.", name=worker.name, total=format_yuan(total),
                                   agreed=format_yuan(agreed))))
    if problems:
        raise ValidationFailed(_l("The schedule does not add up to the agreement."), field_errors={"rows": problems})
    lapsed = confirm_lapse(case, confirm=confirm, reason=reason)
    with flush_or_conflict():
        case.updated_at = utcnow()
        db.session.execute(delete(Installment).where(Installment.case_id == case.id))
        # The printed schedule no longer matches: the current draft and its signatures lapse.
        db.session.execute(update(CaseDocument).where(
            CaseDocument.case_id == case.id, CaseDocument.kind == "agreement").values(superseded=True))
        installments = []
        for worker in case.workers:
            mine = sorted((r for r in rows if r.worker_id == worker.id), key=lambda r: r.due_on)
            for seq, row in enumerate(mine, 1):
                installments.append(Installment(case_id=case.id, worker_id=worker.id, seq=seq,
                                                due_on=row.due_on, amount_fen=row.amount_fen))
        db.session.add_all(installments)
        detail = {"installments": len(installments), "total_fen": sum(r.amount_fen for r in rows)}
        if lapsed:  # the draft it superseded had signatures: who had signed which version
            detail["lapsed"] = {"version": lapsed["version"], "signed": lapsed["parties"]}
        record_event(case=case, actor=actor, action="installments", from_state=case.state, to_state=case.state,
                     note=lapsed["reason"] if lapsed else "", detail=detail)
    db.session.expire(case, ["installments"])
    return installments
