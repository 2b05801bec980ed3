"""Valid calls of every case service, so a test can spoil one argument, actor or state at a time."""

from __future__ import annotations

import functools

from mediation.case_core.operations import OPERATIONS
from mediation.enforcement import services as enforcement
from mediation.extensions import db
from mediation.settlements import ledger
from tests.factories import make_case, make_user, make_venue

NOTE = "双方当事人同意"


def _through_table(name: str):  # noqa: ANN202
    """The operation's service, called as the pages and the API call it (the operations table)."""
    def call(*, case, actor, expected_version, **fields):  # noqa: ANN001, ANN003, ANN202
        return OPERATIONS[name].perform(case, actor, expected_version, fields)
    return call


SERVICES = {name: _through_table(name) for name in (
    "refer", "reject", "withdraw", "start_mediation", "extend", "settle", "fail", "close", "assign", "session",
    "payment", "apply_confirmation", "enforce", "write_off")}
# The state from which each service should succeed for the case's mediator.
READY = {"refer": "intake", "reject": "intake", "withdraw": "referred", "start_mediation": "referred",
         "extend": "mediating", "settle": "mediating", "fail": "mediating", "close": "effective",
         "assign": "intake", "session": "mediating", "payment": "effective",
         "apply_confirmation": "effective", "enforce": "defaulted", "write_off": "enforcing"}


def owed_to(case, worker) -> int:
    return sum(i.agreed_fen or 0 for i in case.claims_of(worker)) - sum(
        p.amount_fen for p in case.payments if p.worker_id == worker.id)


def pay_everything(case) -> None:
    for worker in case.workers:
        ledger.payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=worker.id,
                                amount_fen=owed_to(case, worker), paid_on=None, method="bank_transfer")
    db.session.commit()


def ready_case(service: str, **kwargs):
    case = make_case(READY[service], **kwargs)
    if service == "close":
        pay_everything(case)
    elif service == "write_off":  # the court paths have run their course without the money
        for path in list(case.enforcement_paths):
            enforcement.enforcement_outcome(case=case, actor=case.mediator, expected_version=None,
                                            path_id=path.id, outcome="refused", outcome_on=None)
            db.session.commit()
    return case


def prepared(service: str, case, actor, **overrides):
    """The service call with valid arguments; an override may be a function of the case."""
    kwargs = {"case": case, "actor": actor, "expected_version": None}
    if service in ("refer", "assign"):
        kwargs.update(venue=make_venue("220100"), lawyer=case.lawyer or make_user("lawyer", "220100"))
        kwargs["note" if service == "refer" else "reason"] = NOTE
    elif service in ("reject", "withdraw", "fail", "write_off"):
        kwargs["reason"] = NOTE
    elif service == "extend":
        kwargs.update(days=5, agreement=NOTE)
    elif service == "settle":
        kwargs.update(agreed_fen={item.id: item.claimed_fen for item in case.claims}, note=NOTE)
    elif service == "close":
        kwargs["note"] = NOTE
    elif service == "session":
        kwargs.update(held_on=None, outcome="continued", attendees="申请人、被申请人", notes=NOTE)
    elif service == "apply_confirmation":
        kwargs.update(applied_on=None, court="长春市朝阳区人民法院")
    elif service == "enforce":
        kwargs.update(kind="payment_order", applied_on=None, court="长春市朝阳区人民法院")
    elif service == "payment":
        kwargs.update(worker_id=case.workers[0].id, amount_fen=owed_to(case, case.workers[0]), paid_on=None,
                      method="bank_transfer")
    kwargs.update({k: v(case) if callable(v) else v for k, v in overrides.items()})
    return functools.partial(SERVICES[service], **kwargs)
