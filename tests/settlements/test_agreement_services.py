"""From agreed terms to money paid: the payment schedule, the signatures that make the agreement
take effect, and the ledger that allocates each payment to installments.

Every refusal must name its field or reason and leave the database as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.enforcement.services import enforcement_start
from mediation.extensions import db
from mediation.models import CaseDocument, CaseEvent, Installment, Signature
from mediation.settlements.ledger import allocate, payment_record
from mediation.settlements.schedule import MAX_INSTALLMENTS_PER_WORKER, InstallmentInput, schedule_set
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import current_agreement, required_parties, signature_record, signatures_on
from tests.cases.unchanged import nothing_written
from tests.factories import VERIFY_URL, make_case, make_effective, make_user

DAY = dt.timedelta(days=1)


def installments(case) -> list[tuple]:
    return [(i.worker_id, i.seq, i.due_on, i.amount_fen) for i in db.session.scalars(
        select(Installment).where(Installment.case_id == case.id).order_by(Installment.worker_id, Installment.seq))]


def rows_for(case, *parts: tuple[int, int, int]) -> list[InstallmentInput]:
    """Rows as (worker index, days after settlement, amount in fen)."""
    return [InstallmentInput(worker_id=case.workers[w].id, due_on=case.settled_on + days * DAY, amount_fen=fen)
            for w, days, fen in parts]


def generate(case, **confirmed):  # noqa: ANN001, ANN003, ANN201
    document = agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL, **confirmed)
    db.session.commit()
    return document


def sign(case, parties, signed_on=None, representative=""):  # noqa: ANN001, ANN201
    created = signature_record(case=case, actor=case.mediator, expected_version=None, parties=parties,
                               signed_on=signed_on, representative=representative)
    db.session.commit()
    return created


def pay(case, worker, fen, **kwargs):  # noqa: ANN001, ANN003, ANN201
    payment = payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=worker.id,
                             amount_fen=fen, paid_on=kwargs.pop("paid_on", None),
                             method=kwargs.pop("method", "bank_transfer"), **kwargs)
    db.session.commit()
    return payment


# --- the payment schedule ---------------------------------------------------------------------

def test_a_schedule_in_installments_per_worker_replaces_the_old_one(app):
    case = make_case("scheduled", workers=2)  # 12,000.00 yuan each, one installment each
    first = generate(case)
    schedule_set(case=case, actor=case.mediator, expected_version=case.version, rows=rows_for(
        case, (0, 60, 500_000), (0, 30, 700_000), (1, 10, 1_200_000)))
    db.session.commit()
    w0, w1 = case.workers[0].id, case.workers[1].id
    assert installments(case) == [  # numbered in due order, whatever order they were entered in
        (w0, 1, case.settled_on + 30 * DAY, 700_000), (w0, 2, case.settled_on + 60 * DAY, 500_000),
        (w1, 1, case.settled_on + 10 * DAY, 1_200_000)]
    db.session.refresh(first)
    assert first.superseded and current_agreement(case) is None  # the printed schedule is stale
    assert generate(case).version == 2


GOOD = [(0, 30, 1_200_000)]
BAD_ROWS = {
    "adds-up-short": ([(0, 30, 1_100_000)], "rows"),
    "adds-up-over": ([(0, 30, 1_200_000), (0, 40, 1)], "rows"),
    "before-the-agreement": ([(0, -1, 1_200_000)], "rows-0-due_on"),
    "more-than-five-years-on": ([(0, 366 * 5 + 1, 1_200_000)], "rows-0-due_on"),
    "zero": ([(0, 30, 0), (0, 40, 1_200_000)], "rows-0-amount"),
    "negative": ([(0, 30, -100), (0, 40, 1_200_100)], "rows-0-amount"),
    "absurd": ([(0, 30, 10**13)], "rows-0-amount"),
    "no-rows": ([], "rows"),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_bad_schedule_is_refused_naming_the_row_and_field(app, name):
    case = make_case("scheduled")
    parts, field = BAD_ROWS[name]
    with nothing_written(ValidationFailed, case, field, also=lambda: installments(case)):
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows_for(case, *parts))


# A date or an amount of the wrong kind is the form's to refuse (tests/web/test_agreement_pages.py).
@pytest.mark.parametrize(("change", "field"), [
    ({"worker_id": 999_999}, "rows-0-worker_id"),
    ({"worker_id": None}, "rows-0-worker_id"),
    ({"due_on": None}, "rows-0-due_on"),
    ({"amount_fen": None}, "rows-0-amount"),
])
def test_a_row_missing_a_value_or_naming_no_worker_of_the_case_is_refused(app, change, field):
    case = make_case("scheduled")
    row = rows_for(case, *GOOD)[0]
    bad = InstallmentInput(**{**row.__dict__, **change})
    with nothing_written(ValidationFailed, case, field, also=lambda: installments(case)):
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=[bad])


def test_a_worker_of_another_case_is_not_a_worker_of_this_one(app):
    case, other = make_case("scheduled"), make_case("scheduled")
    row = InstallmentInput(worker_id=other.workers[0].id, due_on=case.settled_on, amount_fen=1_200_000)
    with nothing_written(ValidationFailed, case, "rows-0-worker_id", also=lambda: installments(case)):
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=[row])


def test_at_most_sixty_installments_per_worker(app):
    case = make_case("scheduled")
    fine = [(0, d, 20_000) for d in range(MAX_INSTALLMENTS_PER_WORKER)]  # 60 x 200.00 = 12,000.00
    schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows_for(case, *fine))
    db.session.commit()
    assert len(installments(case)) == MAX_INSTALLMENTS_PER_WORKER
    too_many = [(0, d, 20_000) for d in range(59)] + [(0, 59, 10_000), (0, 60, 10_000)]
    with nothing_written(ValidationFailed, case, "rows", also=lambda: installments(case)) as info:
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows_for(case, *too_many))
    assert "60" in info.value.field_errors["rows"][0]


@pytest.mark.parametrize("state", ["mediating", "effective", "closed", "failed"])
def test_the_schedule_is_set_only_on_a_draft_agreement(app, state):
    case = make_case(state)
    rows = [InstallmentInput(worker_id=case.workers[0].id, due_on=today(), amount_fen=1_200_000)]
    with nothing_written(Refused, case, also=lambda: installments(case)):
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows)


def test_a_supervisor_may_not_set_the_schedule(app):
    case, supervisor = make_case("scheduled"), make_user("supervisor", "220000")
    with nothing_written(NotPermitted, case, also=lambda: installments(case)):
        schedule_set(case=case, actor=supervisor, expected_version=None,
                     rows=rows_for(case, *GOOD))


def test_the_agreement_needs_a_complete_schedule(app):
    case = make_case("settled", workers=2)
    with nothing_written(Refused, case) as info:
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    assert case.workers[0].name in info.value.message


# --- signatures and taking effect ---------------------------------------------------------------

def test_signatures_before_any_agreement_are_refused(app):
    case = make_case("scheduled")
    with nothing_written(Refused, case):
        signature_record(case=case, actor=case.mediator, expected_version=None, parties=["employer"], signed_on=None)


def test_the_agreement_takes_effect_on_the_last_signature(app):
    case = make_case("scheduled", workers=2, started_on=today() - 10 * DAY)
    document = generate(case)
    parties = required_parties(case)
    assert parties == [f"worker:{case.workers[0].id}", f"worker:{case.workers[1].id}", "employer", "mediator", "seal"]
    sign(case, parties[:2], signed_on=today() - 3 * DAY)
    sign(case, ["employer"], signed_on=today() - 2 * DAY, representative="王代理")
    assert case.agreement_effective_on is None
    sign(case, ["mediator", "seal"], signed_on=today() - 5 * DAY)  # recorded late, signed early
    assert case.agreement_effective_on == today() - 2 * DAY
    assert set(signatures_on(document)) == set(parties)
    assert signatures_on(document)["employer"].representative == "王代理"
    effective = db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "agreement_effective")).one()
    assert effective.detail == {"version": 1, "effective_on": (today() - 2 * DAY).isoformat()}


@pytest.mark.parametrize(("parties", "representative", "signed_on", "field"), [
    ([], "", None, "parties"),
    ("employer", "", None, "parties"),  # a string, not a list
    (["nobody"], "", None, "parties"),
    (["worker:999999"], "", None, "parties"),
    (["employer", "mediator"], "王代理", None, "representative"),
    (["seal"], "王代理", None, "representative"),
    (["employer"], "王" * 101, None, "representative"),
    (["employer"], "", lambda case: today() + DAY, "signed_on"),
    (["employer"], "", lambda case: case.settled_on - DAY, "signed_on"),
])
def test_bad_signatures_are_refused_naming_the_field(app, parties, representative, signed_on, field):
    case = make_case("scheduled")
    generate(case)
    with nothing_written(ValidationFailed, case, field):
        signature_record(case=case, actor=case.mediator, expected_version=None, parties=parties,
                         signed_on=signed_on(case) if callable(signed_on) else signed_on,
                         representative=representative)


def test_a_signature_is_recorded_once(app):
    case = make_case("scheduled")
    generate(case)
    sign(case, ["employer"])
    with nothing_written(ValidationFailed, case, "parties") as info:
        signature_record(case=case, actor=case.mediator, expected_version=None, parties=["mediator", "employer"],
                         signed_on=None)
    assert "用人单位" in info.value.field_errors["parties"][0]  # messages outside a request are in Chinese


def test_a_new_draft_makes_the_signatures_lapse(app):
    case = make_case("scheduled")
    first = generate(case)
    sign(case, required_parties(case)[:-1])  # everyone but the seal
    second = generate(case, confirm=True, reason="条款有误")  # they lapse: confirmed (test_regenerate_agreement.py)
    assert signatures_on(second) == {} and len(signatures_on(first)) == len(required_parties(case)) - 1
    sign(case, ["seal"])
    assert case.agreement_effective_on is None  # the seal alone on version 2 is not enough
    sign(case, required_parties(case)[:-1])
    assert case.agreement_effective_on == today()


def test_an_effective_agreement_is_frozen(app):
    case = make_case("effective")
    documents = lambda: db.session.scalars(select(CaseDocument.id)).all()  # noqa: E731
    with nothing_written(Refused, case, also=documents):
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    with nothing_written(Refused, case, also=lambda: installments(case)):
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows_for(case, *GOOD))
    with nothing_written(Refused, case):
        signature_record(case=case, actor=case.mediator, expected_version=None, parties=["seal"], signed_on=None)


def test_a_lawyer_of_another_case_may_not_sign(app):
    case = make_case("scheduled")
    generate(case)
    stranger = make_user("lawyer", "220100")
    with nothing_written(NotPermitted, case):
        signature_record(case=case, actor=stranger, expected_version=None,
                         parties=["seal"], signed_on=None)
    assert db.session.scalar(select(Signature.id)) is None


# --- the ledger ---------------------------------------------------------------------------------

def test_allocation_takes_the_oldest_installment_first():
    older, newer = Installment(seq=1, due_on=dt.date(2026, 1, 1), amount_fen=300), Installment(
        seq=2, due_on=dt.date(2026, 2, 1), amount_fen=500)
    assert allocate([newer, older], 200) == [(older, 200)]
    assert allocate([newer, older], 300) == [(older, 300)]
    assert allocate([newer, older], 450) == [(older, 300), (newer, 150)]
    assert allocate([newer, older], 0) == []


def _two_installments(started_ago: int = 40):
    """An effective case whose one worker owes 4,000.00 (due 20 days ago) then 8,000.00 (due in 10)."""
    case = make_case("settled", started_on=today() - started_ago * DAY)
    w = case.workers[0]
    schedule_set(case=case, actor=case.mediator, expected_version=None, rows=[
        InstallmentInput(worker_id=w.id, due_on=today() - 20 * DAY, amount_fen=400_000),
        InstallmentInput(worker_id=w.id, due_on=today() + 10 * DAY, amount_fen=800_000)])
    generate(case)
    sign(case, required_parties(case), signed_on=case.settled_on + DAY)
    return case, w


def test_payments_fill_installments_in_order_and_clear_the_overdue_flag(app):
    case, worker = _two_installments()
    first, second = case.installments_of(worker)
    assert (first.status(today()), second.status(today())) == ("overdue", "due") and case.has_overdue_installment
    pay(case, worker, 100_000, receipt_no="R-1")
    assert (first.paid_fen, first.status(today())) == (100_000, "overdue")  # partly paid, still late
    pay(case, worker, 500_000)
    assert (first.status(today()), second.status(today()), second.paid_fen) == ("paid", "partial", 200_000)
    assert not case.has_overdue_installment
    assert (case.paid_to(worker), case.outstanding_fen) == (600_000, 600_000)
    payment = case.payments[0]
    assert (payment.recorded_by_id, payment.receipt_no) == (case.mediator.id, "R-1")
    assert [(a.installment_id, a.amount_fen) for a in case.payments[1].allocations] == [
        (first.id, 300_000), (second.id, 200_000)]


@pytest.mark.parametrize(("change", "field"), [
    ({"amount_fen": 1_200_001}, "amount"),
    ({"amount_fen": 0}, "amount"),
    ({"amount_fen": -5}, "amount"),
    ({"worker_id": 999_999}, "worker_id"),
    ({"method": "bitcoin"}, "method"),
    ({"receipt_no": "R" * 65}, "receipt_no"),
    ({"paid_on": lambda case: case.settled_on - DAY}, "paid_on"),
    ({"paid_on": lambda case: today() + DAY}, "paid_on"),
    ({"enforcement_path_id": 999_999}, "enforcement_path_id"),
])
def test_bad_payments_are_refused_naming_the_field(app, change, field):
    case, worker = _two_installments()
    pay(case, worker, 200_000)
    kwargs = {"worker_id": worker.id, "amount_fen": 100_000, "paid_on": None, "method": "cash", **change}
    kwargs = {k: v(case) if callable(v) else v for k, v in kwargs.items()}
    with nothing_written(ValidationFailed, case, field):
        payment_record(case=case, actor=case.mediator, expected_version=None, **kwargs)


def test_overpayment_names_what_is_still_owed(app):
    case, worker = _two_installments()
    pay(case, worker, 1_000_000)
    with nothing_written(ValidationFailed, case, "amount") as info:
        payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=worker.id,
                       amount_fen=200_001, paid_on=None, method="cash")
    assert "2,000.00" in info.value.field_errors["amount"][0]


@pytest.mark.parametrize("state", ["scheduled", "mediating"])
def test_no_payment_without_an_effective_agreement(app, state):
    case = make_case(state)
    with nothing_written(Refused, case) as info:
        payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                       amount_fen=100, paid_on=None, method="cash")
    if state == "scheduled":
        assert "调解协议生效后" in str(info.value.message)


def test_a_payment_names_an_enforcement_path_of_its_own_case(app):
    case, other = make_case("enforcing"), make_case("enforcing")
    foreign = other.enforcement_paths[0].id
    with nothing_written(ValidationFailed, case, "enforcement_path_id"):
        payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                       amount_fen=100, paid_on=None, method="cash", enforcement_path_id=foreign)
    own = case.enforcement_paths[0]
    pay(case, case.workers[0], 300_000, enforcement_path_id=own.id)
    assert (own.recovered_fen, case.recovered_by_enforcement_fen) == (300_000, 300_000)


def test_enforcement_is_not_open_to_a_case_that_pays_on_time(app):
    case = make_case("effective")
    with nothing_written(Refused, case) as info:
        enforcement_start(case=case, actor=case.mediator, expected_version=None, kind="payment_order",
                          applied_on=None)
    assert "逾期" in str(info.value.message)


def test_effective_factory_case_is_what_the_other_tests_assume(app):
    case = make_case("settled")
    make_effective(case, due_on=today() - DAY)
    db.session.commit()
    assert case.agreement_effective_on == today() and case.has_overdue_installment
