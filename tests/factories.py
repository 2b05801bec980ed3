"""Factories for tests: users and cases made through the real services, in any state."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from unittest import mock

from stdnum.cn import ric, uscc

from mediation.admin.services import user_create, venue_save
from mediation.cases import services
from mediation.cases.intake import IntakeInput, WorkerInput, case_intake
from mediation.common.timeutil import today
from mediation.enforcement.services import enforcement_start, judicial_confirmation_apply
from mediation.models import Case, User, Venue
from mediation.settlements import services as settlement_services
from mediation.settlements.ledger import payment_record
from mediation.settlements.schedule import InstallmentInput, schedule_set
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import required_parties, signature_record
from mediation.web.commit import commit
from tests.conftest import TEST_PASSWORD

VERIFY_URL = "http://localhost/verify"
# States past settlement, with what the factory does to reach them.
AGREED_STATES = ("settled", "scheduled", "effective", "defaulted", "enforcing", "closed")
# The factory's names for a settled case at a stage of its agreement (the state is "settled").
SETTLED_STAGES = ("scheduled", "effective", "defaulted")

_counter = itertools.count(1)
# The real agreement PDF costs a good part of a second per case; the factories store a small
# stand-in (a PDF still, hashed and verifiable like any document) unless this is set, which the
# root conftest does for the tests marked real_agreement_pdf (those that read the agreement).
REAL_AGREEMENT_PDF = False


def resident_id(serial: int | None = None, *, area: str = "220102", born: dt.date = dt.date(1985, 6, 15)) -> str:
    """A resident ID number with a correct check digit (belongs to nobody)."""
    serial = next(_counter) % 1000 if serial is None else serial
    body = f"{area}{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(serial: int | None = None) -> str:
    """A unified social credit code with a correct check character."""
    serial = next(_counter) if serial is None else serial
    body = f"91220101{serial:09d}"
    return body + uscc.calc_check_digit(body + "0")


def make_user(role: str = "mediator", region: str = "220100", username: str | None = None,
              password: str = TEST_PASSWORD) -> User:
    user = user_create(actor=None, username=username or f"{role}{next(_counter)}", full_name=f"测试{role}",
                       role=role, region_code=region, password=password)
    commit()
    return user


def make_venue(region: str = "220100", name: str | None = None) -> Venue:
    venue = venue_save(actor=None, venue=None, name=name or f"测试调解室{next(_counter)}",
                       kind="court_workroom", region_code=region)
    commit()
    return venue


def intake_input(*, region: str = "220102", workers: int = 1, amount: str = "12000.00",
                 channel: str = "court", referral_ref: str | None = None,
                 received_on: dt.date | None = None, employer_uscc: str | None = None,
                 claim_kind: str = "wages") -> IntakeInput:
    return IntakeInput(
        channel=channel, region_code=region, received_on=received_on or today() - dt.timedelta(days=30),
        employer_name="长春测试机械有限公司", employer_uscc=employer_uscc or credit_code(),
        workers=[WorkerInput(name=f"工人{i + 1}", id_number=resident_id(), phone="13812345678",
                             claims={claim_kind: amount}) for i in range(workers)],
        referral_ref=referral_ref if referral_ref is not None else f"REF-{next(_counter)}",
        summary="拖欠工资")


def set_schedule(case: Case, due_on: dt.date | None = None, actor: User | None = None) -> None:
    """One installment per worker for the whole agreed amount."""
    schedule_set(case=case, actor=actor or case.mediator, expected_version=None, rows=[
        InstallmentInput(worker_id=w.id, due_on=due_on or today() + dt.timedelta(days=30),
                         amount_fen=case.agreed_for(w))
        for w in case.workers if case.agreed_for(w) > 0])


def make_effective(case: Case, *, due_on: dt.date | None = None, signed_on: dt.date | None = None,
                   actor: User | None = None) -> None:
    """Schedule, generate and sign the agreement of a settled case, so it takes effect."""
    actor = actor or case.mediator
    set_schedule(case, due_on, actor)
    if REAL_AGREEMENT_PDF:
        agreement_generate(case=case, actor=actor, verify_url=VERIFY_URL)
    else:
        with mock.patch.object(settlement_services, "agreement_pdf", stand_in_agreement_pdf):
            agreement_generate(case=case, actor=actor, verify_url=VERIFY_URL)
    signature_record(case=case, actor=actor, expected_version=None, parties=required_parties(case),
                     signed_on=signed_on or today())


def stand_in_agreement_pdf(case: Case, stamp) -> bytes:  # noqa: ANN001 (a settlements.pdf.Stamp)
    """A one-page PDF naming the case and the document's code: what the factories store instead
    of the real agreement (built by the same service, so the case's history is the same)."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 720, f"Agreement stand-in {case.id} v{stamp.version} {stamp.verification_code}")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def pay_in_full(case: Case, *, enforcement_path_id: int | None = None) -> None:
    for worker in case.workers:
        owed = case.agreed_for(worker) - case.paid_to(worker)
        if owed > 0:
            payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=worker.id,
                           amount_fen=owed, paid_on=None, method="bank_transfer",
                           enforcement_path_id=enforcement_path_id)


def make_case(state: str = "intake", *, region: str = "220102", workers: int = 1,
              mediator: User | None = None, lawyer: User | None = None, venue: Venue | None = None,
              started_on: dt.date | None = None, claim_kind: str = "wages") -> Case:
    """A case taken in and walked through the workflow to `state`, committed.

    Besides the workflow states, these stages of a settled case:
    - "scheduled": its payment schedule is set (one installment per worker, due in 30 days);
    - "effective": scheduled, and its agreement generated and signed by every party;
    - "defaulted": effective, but the installments fell due five days ago, unpaid.
    "enforcing" is a defaulted case that applied for judicial confirmation and a payment order today
    (its enforcement_paths[0] the pending confirmation, [1] the pending payment order).
    """
    if state in ("defaulted", "enforcing") and started_on is None:
        started_on = today() - dt.timedelta(days=10)
    prefecture = region[:4] + "00" if region[:4] != "2205" else "220500"
    mediator = mediator or make_user("mediator", prefecture)
    received_on = min(today() - dt.timedelta(days=30), started_on or today())  # a case is received first
    case, _warnings = case_intake(actor=mediator, data=intake_input(region=region, workers=workers,
                                                                    received_on=received_on, claim_kind=claim_kind))
    if state != "intake":
        if state == "rejected":
            services.case_reject(case=case, actor=mediator, expected_version=None, reason="不予受理")
        else:
            lawyer = lawyer or make_user("lawyer", prefecture)
            venue = venue or make_venue(prefecture)
            services.case_refer(case=case, actor=mediator, expected_version=None, venue=venue, lawyer=lawyer)
            if state == "withdrawn":
                services.case_withdraw(case=case, actor=mediator, expected_version=None, reason="撤回")
            elif state != "referred":
                services.case_start_mediation(case=case, actor=mediator, expected_version=None,
                                              started_on=started_on or today() - dt.timedelta(days=2))
                if state == "failed":
                    services.case_fail(case=case, actor=mediator, expected_version=None, reason="差距过大")
                elif state in AGREED_STATES:
                    services.case_settle(case=case, actor=mediator, expected_version=None,
                                         settled_on=case.mediation_started_on,
                                         agreed_fen={item.id: item.claimed_fen for item in case.claims})
                    if state in ("defaulted", "enforcing"):
                        make_effective(case, due_on=today() - dt.timedelta(days=5),
                                       signed_on=case.settled_on + dt.timedelta(days=1))
                    if state == "enforcing":
                        judicial_confirmation_apply(case=case, actor=mediator, expected_version=None,
                                                    applied_on=today(), court="长春市朝阳区人民法院")
                        enforcement_start(case=case, actor=mediator, expected_version=None,
                                          kind="payment_order", applied_on=today(), court="长春市朝阳区人民法院")
                    elif state in ("effective", "closed"):
                        make_effective(case)
                    elif state == "scheduled":
                        set_schedule(case)
                    if state == "closed":
                        pay_in_full(case)
                        services.case_close(case=case, actor=mediator, expected_version=None)
    commit()
    assert case.state == ("settled" if state in SETTLED_STAGES else state), (case.state, state)
    return case
