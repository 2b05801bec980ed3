"""The payment ledger: money actually paid to a worker, allocated to their installments.

A payment settles the worker's oldest unpaid installment first, then the next, so a partial
payment leaves the rest of an installment outstanding and a later installment untouched.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.checks import text_problem, valid_date
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.money import format_yuan
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import PAYMENT_METHODS, Case, Installment, Payment, PaymentAllocation, User


def allocate(installments: list[Installment], amount_fen: int) -> list[tuple[Installment, int]]:
    """(installment, part) pairs that take `amount_fen`, oldest due first."""
    parts, left = [], amount_fen
    for installment in sorted(installments, key=lambda i: (i.due_on, i.seq)):
        if left <= 0:
            break
        part = min(installment.outstanding_fen, left)
        if part > 0:
            parts.append((installment, part))
            left -= part
    return parts


def _refusal(actor: User, case: Case) -> Exception:
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        return NotPermitted(_l("Your role may not take this action."))
    if case.state in policy.PAYMENT_STATES and case.agreement_effective_on is None:
        return Refused(_l("Payments can be recorded only once the agreement has taken effect "
                          "(every signature and the seal recorded)."))
    return Refused(_l("Payments can be recorded only on a settled case with money still owed."))


def payment_record(*, case: Case, actor: User, expected_version: int | None, worker_id: int,
                   amount_fen: int, paid_on: dt.date | None, method: str, receipt_no: str = "",
                   enforcement_path_id: int | None = None) -> Payment:
    """Money paid to one worker under the effective agreement, allocated to their installments."""
    check_version(case, expected_version)
    if not policy.can_record_payment(actor, case):
        raise _refusal(actor, case)
    worker = next((w for w in case.workers if w.id == worker_id), None)
    errors: dict[str, list[str]] = {}
    if worker is None:
        errors["worker_id"] = [str(_l("Choose a worker of this case."))]
    if method not in PAYMENT_METHODS:
        errors["method"] = [str(_l("Choose how the money was paid."))]
    if problem := text_problem(receipt_no, 64):
        errors["receipt_no"] = [str(problem)]
    if enforcement_path_id is not None and enforcement_path_id not in {p.id for p in case.enforcement_paths}:
        errors["enforcement_path_id"] = [str(_l("Choose an enforcement path of this case."))]
    if amount_fen is None or amount_fen <= 0:
        errors["amount"] = [str(_l("The amount must be greater than zero."))]
    elif worker is not None:
        owed = case.agreed_for(worker) - case.paid_to(worker)
        if amount_fen > owed:
            errors["amount"] = [str(_l("This is more than the %(owed)s yuan still owed to this worker.",
                                       owed=format_yuan(owed)))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    paid_on = valid_date(paid_on, case, "paid_on", not_before=case.settled_on)
    with flush_or_conflict():
        payment = Payment(case_id=case.id, worker_id=worker_id, amount_fen=amount_fen, paid_on=paid_on,
                          method=method, receipt_no=(receipt_no or "").strip(), recorded_by_id=actor.id,
                          enforcement_path_id=enforcement_path_id)
        db.session.add(payment)
        db.session.flush()  # the payment's id, for its allocations
        parts = allocate(case.installments_of(worker), amount_fen)
        db.session.add_all(PaymentAllocation(payment_id=payment.id, installment_id=installment.id, amount_fen=part)
                           for installment, part in parts)
        case.updated_at = utcnow()
        record_event(case=case, actor=actor, action="payment",
                     detail={"worker_id": worker_id, "amount_fen": amount_fen, "paid_on": paid_on.isoformat(),
                             "installments": [i.id for i, _part in parts],
                             "enforcement_path_id": enforcement_path_id})
    db.session.expire(case, ["payments"])
    for installment, _part in parts:
        db.session.expire(installment, ["allocations"])
    return payment

