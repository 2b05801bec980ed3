"""Voiding a payment recorded in error: never deleted, marked voided (who, when, why).

A voided payment counts nowhere: not in what was paid or is owed, not toward any installment, not
in the statistics. Its worker's remaining payments are allocated again, oldest due first in the
order they were paid, exactly as if the voided one had never been recorded, so the schedule and
its overdue status follow. The case event keeps the payment and the worker's ledger before and
after; the commit point then keeps the statistics of the case (and a locked period's drift shows).

A closed case is refused: closing is the workflow's end (workflows/ has no way out of "closed"),
and it was closed because the money was all paid, or written off after enforcement. Reopening it
silently would undo a closing people relied on and published; the message says what to do instead.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from mediation import policy
from mediation.case_core.checks import field_error, required_note
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotPermitted, Refused
from mediation.common.money import format_yuan
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import Case, Installment, Payment, PaymentAllocation, User


def reallocation(installments: list[Installment], payments: list[Payment]) -> list[tuple[Payment, Installment, int]]:
    """(payment, installment, part) for `payments` in the order they were paid, each settling the
    oldest installment still unpaid first: what the ledger holds when only these were recorded."""
    left = {i.id: i.amount_fen for i in installments}
    ordered = sorted(installments, key=lambda i: (i.due_on, i.seq))
    parts = []
    for payment in sorted(payments, key=lambda p: (p.paid_on, p.id)):
        amount = payment.amount_fen
        for installment in ordered:
            part = min(left[installment.id], amount)
            if part > 0:
                parts.append((payment, installment, part))
                left[installment.id] -= part
                amount -= part
    return parts


def _ledger(case: Case, worker_id: int) -> dict:
    """What the worker's part of the ledger says: paid, owed, and paid per installment."""
    paid = sum(p.amount_fen for p in case.payments if p.worker_id == worker_id)
    agreed = sum(i.agreed_fen or 0 for i in case.claims if i.worker_id == worker_id)
    per_installment: dict[str, int] = defaultdict(int)
    for installment in case.installments:
        if installment.worker_id == worker_id:
            per_installment[str(installment.id)] = installment.paid_fen
    return {"paid_fen": paid, "outstanding_fen": max(agreed - paid, 0), "installments": dict(per_installment)}


def void_refusal(actor: User, case: Case) -> Exception | None:
    """Why this actor may not void payments of this case now (None: they may)."""
    if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
        return NotPermitted(_l("Your role may not take this action."))
    if case.state == "closed":
        return Refused(_l(
            "The case is closed, and a closed case is not reopened: its payments can no longer be voided. "
            "If money recorded here never reached the worker, take it up as a new case."))
    if case.state not in policy.PAYMENT_STATES:
        return Refused(_l("Payments can be voided only on a settled case or one in enforcement."))
    return None


def payment_void(*, case: Case, actor: User, expected_version: int | None, payment_id: int | None,
                 reason: str) -> Payment:
    """Void one payment of the case with a reason; its worker's other payments are allocated again."""
    check_version(case, expected_version)
    if (refused := void_refusal(actor, case)) is not None:
        raise refused
    valid_id = isinstance(payment_id, int) and not isinstance(payment_id, bool)
    payment = next((p for p in case.payment_records if valid_id and p.id == payment_id), None)
    if payment is None:
        raise field_error("payment_id", _l("Choose a payment of this case."))
    if payment.voided:
        raise Refused(_l("This payment was already voided on %(date)s: a payment is voided once.",
                         date=payment.voided_at.date().isoformat()),
                      field_errors={"payment_id": [str(_l("This payment is already voided."))]})
    reason = required_note(reason)
    worker_id = payment.worker_id
    before = _ledger(case, worker_id)
    with flush_or_conflict():
        payment.voided_at, payment.voided_by_id, payment.void_reason = utcnow(), actor.id, reason
        mine = [p for p in case.payments if p.worker_id == worker_id and p.id != payment.id]
        installments = case.installments_of(payment.worker)
        # the allocations are derived from the payments: made again without the voided one
        db.session.execute(delete(PaymentAllocation).where(
            PaymentAllocation.payment_id.in_([payment.id, *(p.id for p in mine)])))
        db.session.add_all(PaymentAllocation(payment_id=p.id, installment_id=i.id, amount_fen=part)
                           for p, i, part in reallocation(installments, mine))
        case.updated_at = utcnow()
        db.session.flush()
        _expire(case, installments)
        record_event(case=case, actor=actor, action="void_payment", note=reason, detail={
            "payment_id": payment.id, "worker_id": worker_id, "amount_fen": payment.amount_fen,
            "paid_on": payment.paid_on.isoformat(), "before": before, "after": _ledger(case, worker_id)})
    _expire(case, installments)
    return payment


def _expire(case: Case, installments: list[Installment]) -> None:
    db.session.expire(case, ["payments", "payment_records"])
    for installment in installments:
        db.session.expire(installment, ["allocations"])


def payment_label(payment: Payment) -> str:
    """A payment as a person picks it from a list: day, worker, amount."""
    return f"{payment.paid_on.isoformat()} · {payment.worker.name} · {format_yuan(payment.amount_fen)}"
