"""Enforcement after a default: which court path is open when, its outcome, the money recovered
through it, the write-off that closes the case, and the judicial-confirmation application PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import workflows
from mediation.common.errors import NotFound, NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.enforcement.services import (
    case_write_off,
    enforcement_outcome,
    enforcement_path_add,
    enforcement_start,
    jc_application_generate,
    judicial_confirmation_apply,
)
from mediation.extensions import db
from mediation.models import CaseDocument, CaseEvent, EnforcementPath
from mediation.settlements.ledger import payment_record
from tests.cases.unchanged import nothing_written
from tests.factories import VERIFY_URL, make_case, make_effective, make_user
from tests.settlements.conftest import pdf_pages

DAY = dt.timedelta(days=1)
COURT = "长春市朝阳区人民法院"


def defaulted(effective_ago: int = 5, due_ago: int = 3, claim_kind: str = "wages", workers: int = 1):
    """An effective agreement that took effect `effective_ago` days ago; everything due `due_ago` days ago."""
    case = make_case("settled", started_on=today() - (effective_ago + 1) * DAY, claim_kind=claim_kind,
                     workers=workers)
    make_effective(case, due_on=today() - due_ago * DAY, signed_on=today() - effective_ago * DAY)
    db.session.commit()
    return case


def start(case, kind="payment_order", **kwargs):  # noqa: ANN001, ANN003, ANN201
    path = enforcement_start(case=case, actor=case.mediator, expected_version=None, kind=kind,
                             applied_on=kwargs.pop("applied_on", None), court=kwargs.pop("court", COURT), **kwargs)
    db.session.commit()
    return path


def add(case, kind, **kwargs):  # noqa: ANN001, ANN003, ANN201
    path = enforcement_path_add(case=case, actor=case.mediator, expected_version=None, kind=kind,
                                applied_on=kwargs.pop("applied_on", None), court=kwargs.pop("court", COURT), **kwargs)
    db.session.commit()
    return path


def decide(case, path, outcome="granted", **kwargs):  # noqa: ANN001, ANN003, ANN201
    enforcement_outcome(case=case, actor=case.mediator, expected_version=None, path_id=path.id, outcome=outcome,
                        outcome_on=kwargs.pop("outcome_on", None), **kwargs)
    db.session.commit()


def paths(case) -> list[tuple]:
    return db.session.execute(select(EnforcementPath.kind, EnforcementPath.outcome).where(
        EnforcementPath.case_id == case.id).order_by(EnforcementPath.id)).all()


# --- judicial confirmation: within 30 days of effect, default or not ------------------------------

def agreement_on_day(day: int, *, first_due_day: int = 40):
    """An agreement that took effect `day` days ago (today is its day `day`; day 0 is the day it took
    effect), everything due on its day `first_due_day`."""
    effective_on = today() - day * DAY
    case = make_case("settled", started_on=effective_on - DAY)
    make_effective(case, due_on=effective_on + first_due_day * DAY, signed_on=effective_on)
    db.session.commit()
    return case


def confirm(case, **kwargs):  # noqa: ANN001, ANN003, ANN201
    path = judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None,
                                       applied_on=kwargs.pop("applied_on", None), court=kwargs.pop("court", COURT))
    db.session.commit()
    return path


def test_an_agreement_first_due_on_day_40_is_confirmed_on_day_10(app):
    case = agreement_on_day(10)
    assert not case.has_overdue_installment and case.state == "settled"
    path = confirm(case)
    window = workflows.judicial_confirmation_deadline(case.agreement_effective_on)
    assert (path.kind, path.outcome, path.applied_on, path.deadline_on, path.court) == (
        "judicial_confirmation", "pending", today(), window.due_on, COURT)
    assert case.state == "settled"  # still paying: a confirmation is not enforcement
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.id.desc())).first()
    assert (event.action, event.from_state, event.to_state, event.detail["path_id"]) == (
        "apply_confirmation", "settled", "settled", path.id)


def test_an_agreement_first_due_on_day_40_is_not_confirmed_on_day_31(app):
    # Day 31 when day 30 was a working day; else the first day after the moved last day.
    day = next(d for d in range(31, 41) if workflows.is_working_day(today() - (d - 30) * DAY))
    case = agreement_on_day(day)
    window = workflows.judicial_confirmation_deadline(case.agreement_effective_on)
    assert window.due_on < today() and not case.has_overdue_installment
    with nothing_written(Refused, case, also=lambda: paths(case)) as info:
        judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None,
                                    applied_on=case.agreement_effective_on + 31 * DAY, court=COURT)
    assert window.due_on.isoformat() in str(info.value.message)


def test_confirmation_needs_an_agreement_in_effect(app):
    case = make_case("scheduled")
    with nothing_written(Refused, case, also=lambda: paths(case)):
        judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None, applied_on=None,
                                    court=COURT)


def test_confirmation_after_a_default_keeps_the_case_paying_until_enforcement_starts(app):
    case = defaulted(effective_ago=5, due_ago=3)
    confirmation = confirm(case)
    assert case.state == "settled" and case.enforcement_pending
    decide(case, confirmation, "granted", note="（2026）吉0104民特5号")  # decided while still settled
    assert confirmation.outcome == "granted" and case.state == "settled"
    # The granted confirmation is the enforceable title court enforcement needs.
    enforcement = start(case, "court_enforcement", court_case_no="(2026)吉0104执1号")
    assert case.state == "enforcing" and paths(case) == [("judicial_confirmation", "granted"),
                                                         ("court_enforcement", "pending")]
    assert enforcement.deadline_on is not None


def test_confirmation_while_enforcing_by_a_payment_order(app):
    case = defaulted(effective_ago=5, due_ago=3)
    start(case, "payment_order")
    confirm(case)
    assert case.state == "enforcing"
    assert paths(case) == [("payment_order", "pending"), ("judicial_confirmation", "pending")]


def test_enforcement_still_waits_for_a_default(app):
    case = agreement_on_day(10)
    for kind in ("payment_order", "court_enforcement"):
        with nothing_written(Refused, case, also=lambda: paths(case)):
            enforcement_start(case=case, actor=case.mediator, expected_version=None, kind=kind, applied_on=None,
                              court=COURT, court_case_no="(2026)吉0104执1号")


def test_judicial_confirmation_is_not_an_enforcement_path(app):
    case = defaulted()
    with nothing_written(ValidationFailed, case, "kind"):
        enforcement_start(case=case, actor=case.mediator, expected_version=None, kind="judicial_confirmation",
                          applied_on=None, court=COURT)
    start(case, "payment_order")
    with nothing_written(ValidationFailed, case, "kind"):
        enforcement_path_add(case=case, actor=case.mediator, expected_version=None, kind="judicial_confirmation",
                             applied_on=None, court=COURT)


def test_a_confirmation_applied_for_in_the_window_may_be_dated_back_to_the_day_of_effect(app):
    case = agreement_on_day(12)
    with nothing_written(ValidationFailed, case, "applied_on"):  # not before the agreement took effect
        judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None,
                                    applied_on=case.agreement_effective_on - DAY, court=COURT)
    assert confirm(case, applied_on=case.agreement_effective_on).applied_on == case.agreement_effective_on


@pytest.mark.parametrize(("applied_on", "field"), [
    (lambda case: case.agreement_effective_on - DAY, "applied_on"),
    (lambda case: today() + DAY, "applied_on"),
])
@pytest.mark.parametrize("kind", ["judicial_confirmation", "payment_order"])
def test_the_application_date_is_checked(app, applied_on, field, kind):
    case = defaulted()
    with nothing_written(ValidationFailed, case, field):
        if kind == "judicial_confirmation":
            judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None,
                                        applied_on=applied_on(case), court=COURT)
        else:
            enforcement_start(case=case, actor=case.mediator, expected_version=None, kind=kind,
                              applied_on=applied_on(case), court=COURT)


@pytest.mark.parametrize("court", ["法" * 201])  # a number: the edge's (tests/api/test_actions.py)
def test_a_bad_court_of_a_confirmation_is_refused(app, court):
    case = agreement_on_day(3)
    with nothing_written(ValidationFailed, case, "court", also=lambda: paths(case)):
        judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None, applied_on=None,
                                    court=court)


@pytest.mark.parametrize(("kind", "court", "court_case_no", "field"), [
    ("seizure", COURT, "", "kind"),
    (None, COURT, "", "kind"),
    ("court_enforcement", COURT, "(2026)吉0104执123号", "kind"),  # no enforceable title yet
    ("payment_order", "法" * 201, "", "court"),
    ("payment_order", COURT, "号" * 65, "court_case_no"),
])
def test_a_bad_first_path_is_refused_naming_the_field(app, kind, court, court_case_no, field):
    case = defaulted()
    with nothing_written(ValidationFailed, case, field):
        enforcement_start(case=case, actor=case.mediator, expected_version=None, kind=kind, applied_on=None,
                          court=court, court_case_no=court_case_no)


def test_a_second_judicial_confirmation_waits_for_the_first_to_be_refused(app):
    case = agreement_on_day(5)
    first = confirm(case)
    with nothing_written(Refused, case, also=lambda: paths(case)) as info:
        judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None, applied_on=None,
                                    court=COURT)
    assert "正在审查或已获准予" in str(info.value.message)
    decide(case, first, "refused", note="材料不全")
    confirm(case)
    assert paths(case) == [("judicial_confirmation", "refused"), ("judicial_confirmation", "pending")]
    assert case.state == "settled"


# --- payment orders: only for some claims -------------------------------------------------------

@pytest.mark.parametrize(("claim_kind", "open_"), [
    ("wages", True), ("overtime", True), ("severance", True), ("work_injury", True),
    ("social_insurance", False), ("other", False),
])
def test_a_payment_order_covers_pay_injury_and_compensation_claims(app, claim_kind, open_):
    case = defaulted(claim_kind=claim_kind)
    if open_:
        assert start(case, "payment_order").kind == "payment_order"
    else:
        with nothing_written(ValidationFailed, case, "kind"):
            enforcement_start(case=case, actor=case.mediator, expected_version=None, kind="payment_order",
                              applied_on=None, court=COURT)


# --- court enforcement: needs a title, a case number and the two-year window --------------------

def test_court_enforcement_after_a_granted_confirmation(app):
    case = defaulted(due_ago=3)
    confirmation = confirm(case)
    with nothing_written(ValidationFailed, case, "kind"):  # still pending: no title yet
        enforcement_start(case=case, actor=case.mediator, expected_version=None, kind="court_enforcement",
                          applied_on=None, court=COURT, court_case_no="(2026)吉0104执1号")
    decide(case, confirmation, "granted")
    with nothing_written(ValidationFailed, case, "court_case_no"):
        enforcement_start(case=case, actor=case.mediator, expected_version=None, kind="court_enforcement",
                          applied_on=None, court=COURT, court_case_no="  ")
    path = start(case, "court_enforcement", court_case_no=" (2026)吉0104执1号 ")
    assert case.state == "enforcing"
    missed = max(i.due_on for i in case.installments)
    assert path.court_case_no == "(2026)吉0104执1号"
    assert path.deadline_on == workflows.enforcement_application_deadline(missed).due_on
    assert path.deadline_on >= missed.replace(year=missed.year + 2)


# --- outcomes -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"path_id": 999_999}, "path_id"),
    ({"path_id": None}, "path_id"),
    ({"outcome": "pending"}, "outcome"),
    ({"outcome": "won"}, "outcome"),
    ({"outcome_on": lambda case: case.enforcement_paths[0].applied_on - DAY}, "outcome_on"),
    ({"outcome_on": lambda case: today() + DAY}, "outcome_on"),
    ({"note": "注" * 2001}, "note"),
])
def test_bad_outcomes_are_refused_naming_the_field(app, change, field):
    case = make_case("enforcing")
    kwargs = {"path_id": case.enforcement_paths[0].id, "outcome": "granted", "outcome_on": None, "note": "",
              **change}
    kwargs = {k: v(case) if callable(v) else v for k, v in kwargs.items()}
    with nothing_written(ValidationFailed, case, field, also=lambda: paths(case)):
        enforcement_outcome(case=case, actor=case.mediator, expected_version=None, **kwargs)


def test_an_outcome_is_recorded_once(app):
    case = make_case("enforcing")
    path = case.enforcement_paths[0]
    decide(case, path, "granted", note="（2026）吉0104民特5号")
    assert (path.outcome, path.outcome_on, path.outcome_note) == ("granted", today(), "（2026）吉0104民特5号")
    with nothing_written(ValidationFailed, case, "path_id", also=lambda: paths(case)):
        enforcement_outcome(case=case, actor=case.mediator, expected_version=None, path_id=path.id,
                            outcome="refused", outcome_on=None)


def test_paths_need_an_enforcing_case_and_outcomes_an_agreement_in_effect(app):
    effective, drafted, other = make_case("effective"), make_case("scheduled"), make_case("enforcing")
    with nothing_written(Refused, effective):
        enforcement_path_add(case=effective, actor=effective.mediator, expected_version=None,
                             kind="payment_order", applied_on=None, court=COURT)
    with nothing_written(Refused, drafted):
        enforcement_outcome(case=drafted, actor=drafted.mediator, expected_version=None,
                            path_id=other.enforcement_paths[0].id, outcome="granted", outcome_on=None)
    with nothing_written(ValidationFailed, effective, "path_id"):  # another case's path
        enforcement_outcome(case=effective, actor=effective.mediator, expected_version=None,
                            path_id=other.enforcement_paths[0].id, outcome="granted", outcome_on=None)


def test_a_supervisor_may_not_work_enforcement(app):
    case, supervisor = make_case("enforcing"), make_user("supervisor", "220000")
    with nothing_written(NotPermitted, case, also=lambda: paths(case)):
        enforcement_path_add(case=case, actor=supervisor, expected_version=None, kind="payment_order",
                             applied_on=None, court=COURT)


# --- closing: paid in full, or written off once enforcement has concluded -----------------------

def test_money_recovered_through_a_path_then_the_rest_written_off(app):
    case = defaulted(workers=2)  # 12,000.00 yuan each
    path = start(case, "payment_order")
    decide(case, path, "granted")
    payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                   amount_fen=1_200_000, paid_on=None, method="court_account", enforcement_path_id=path.id)
    payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[1].id,
                   amount_fen=250_000, paid_on=None, method="bank_transfer")
    db.session.commit()
    assert (path.recovered_fen, case.recovered_by_enforcement_fen, case.outstanding_fen) == (
        1_200_000, 1_200_000, 950_000)
    with nothing_written(ValidationFailed, case, "reason"):
        case_write_off(case=case, actor=case.mediator, expected_version=None, reason="  ")
    written_off = case_write_off(case=case, actor=case.mediator, expected_version=case.version,
                                 reason="被执行人无可供执行财产，终结本次执行")
    db.session.commit()
    assert written_off == 950_000
    assert (case.state, case.written_off_fen, case.ended_on, case.paid_fen) == ("closed", 950_000, today(), 1_450_000)
    assert case.outcome_reason == "被执行人无可供执行财产，终结本次执行"


def test_no_write_off_while_a_path_is_pending(app):
    case = make_case("enforcing")
    with nothing_written(Refused, case, also=lambda: paths(case)) as info:
        case_write_off(case=case, actor=case.mediator, expected_version=None, reason="无财产")
    assert "审查中" in str(info.value.message)


def test_an_enforcing_case_paid_in_full_closes_without_a_write_off(app):
    from mediation.cases.services import case_close
    from tests.factories import pay_in_full

    case = make_case("enforcing")
    pay_in_full(case, enforcement_path_id=case.enforcement_paths[0].id)
    case_close(case=case, actor=case.mediator, expected_version=None)
    db.session.commit()
    assert (case.state, case.written_off_fen, case.recovered_by_enforcement_fen) == ("closed", 0, case.agreed_fen)


# --- the application for judicial confirmation --------------------------------------------------

def test_the_application_pdf_reads_back_and_is_versioned(app):
    case = defaulted(workers=2)
    path = confirm(case)
    payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                   amount_fen=300_000, paid_on=None, method="cash")
    first = jc_application_generate(case=case, actor=case.mediator, path_id=path.id, verify_url=VERIFY_URL)
    db.session.commit()
    second = jc_application_generate(case=case, actor=case.mediator, path_id=path.id, verify_url=VERIFY_URL)
    db.session.commit()
    db.session.refresh(first)
    assert (first.kind, first.version, first.superseded, second.version, second.superseded) == (
        "jc_application", 1, True, 2, False)
    agreement = db.session.scalars(select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.kind == "agreement", CaseDocument.superseded.is_(False))).one()
    text = " ".join(pdf_pages(second.content))
    for expected in ("司法确认申请书", case.number, COURT, case.employer.name, case.employer.uscc,
                     case.workers[0].name, case.workers[1].name, "24,000.00", "贰万肆仟元整", "3,000.00", "21,000.00",
                     f"{case.agreement_effective_on:%Y年%m月%d日}", agreement.verification_code,
                     f"{VERIFY_URL}?code={second.verification_code}"):
        assert expected in text, expected
    assert case.workers[0].id_number not in text  # masked, as in every printed list of workers
    assert "已有款项逾期未付" in text.replace("\n", "")


def test_the_application_before_anything_is_due_says_nothing_is_overdue(app):
    case = agreement_on_day(10)
    document = jc_application_generate(case=case, actor=case.mediator, path_id=confirm(case).id,
                                       verify_url=VERIFY_URL)
    text = " ".join(pdf_pages(document.content)).replace("\n", "")
    assert "其余款项尚未到约定的支付期限" in text and "逾期" not in text


def test_the_application_needs_a_judicial_confirmation_path_of_this_case(app):
    case, other = make_case("enforcing"), make_case("enforcing")
    documents = lambda: db.session.scalars(select(CaseDocument.id)).all()  # noqa: E731
    with nothing_written(NotFound, case, also=documents):
        jc_application_generate(case=case, actor=case.mediator, path_id=other.enforcement_paths[0].id,
                                verify_url=VERIFY_URL)
    order_case = defaulted()
    order = start(order_case, "payment_order")
    with nothing_written(NotFound, order_case, also=documents):
        jc_application_generate(case=order_case, actor=order_case.mediator, path_id=order.id, verify_url=VERIFY_URL)
