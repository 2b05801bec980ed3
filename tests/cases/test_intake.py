"""case_intake: every field refused with its name and nothing written; parties matched and reused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from stdnum.cn import ric

from mediation.admin.services import employer_accept_code
from mediation.cases import services
from mediation.cases.intake import MAX_WORKERS, WorkerInput, case_intake
from mediation.common.errors import NeedsConfirmation, NotPermitted, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, CaseEvent, ClaimItem, Employer, Worker
from tests.cases.unchanged import nothing_written
from tests.factories import credit_code, intake_input, make_user, make_venue, resident_id


def _with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _digits_only_id() -> str:
    return next(n for n in (resident_id(s) for s in range(1, 20)) if n[-1] != "X")


GOOD_ID = resident_id(7)
GOOD_USCC = credit_code(4242)
BAD_CHECKSUM_USCC = GOOD_USCC[:-1] + ("1" if GOOD_USCC[-1] != "1" else "2")


def data_with(**changes):
    return lambda data: dataclasses.replace(data, **changes)


def worker_with(**changes):
    def apply(data):
        return dataclasses.replace(data, workers=[dataclasses.replace(data.workers[0], **changes)])
    return apply


def days_from_today(days: int):
    return lambda data: dataclasses.replace(data, received_on=today() + dt.timedelta(days=days))


# What the service refuses itself. A value of the wrong type (a date as text, a number for a name)
# never reaches it: the page's form and the referral schema refuse it, naming the field
# (tests/web/test_case_pages.py, tests/api/test_referrals.py).
BAD_INPUT = [
    ("channel-unknown", data_with(channel="fax"), "channel"),
    ("channel-wrong-type", data_with(channel=7), "channel"),
    ("referral-empty", data_with(referral_ref=""), "referral_ref"),
    ("referral-too-long", data_with(referral_ref="R" * 65), "referral_ref"),
    ("region-empty", data_with(region_code=""), "region_code"),
    ("region-unknown", data_with(region_code="999999"), "region_code"),
    ("received-missing", data_with(received_on=None), "received_on"),
    ("received-future", days_from_today(1), "received_on"),
    ("received-absurdly-old", data_with(received_on=dt.date(1999, 12, 31)), "received_on"),
    ("summary-too-long", data_with(summary="长" * 4001), "summary"),
    ("employer-name-empty", data_with(employer_name="  "), "employer/name"),
    ("employer-name-too-long", data_with(employer_name="公" * 121), "employer/name"),
    ("legal-rep-too-long", data_with(employer_legal_representative="人" * 65), "employer/legal_representative"),
    ("address-too-long", data_with(employer_address="址" * 201), "employer/address"),
    ("uscc-empty", data_with(employer_uscc=""), "employer/uscc"),
    ("uscc-17-chars", data_with(employer_uscc=GOOD_USCC[:-1]), "employer/uscc"),
    ("uscc-format", data_with(employer_uscc="91220101ABCDEFGHIO"), "employer/uscc"),
    ("uscc-bad-checksum", data_with(employer_uscc=BAD_CHECKSUM_USCC), "employer/uscc"),
    ("uscc-wrong-type", data_with(employer_uscc=912201010000000051), "employer/uscc"),
    ("no-workers", data_with(workers=[]), "workers"),
    ("too-many-workers", lambda d: dataclasses.replace(d, workers=d.workers * (MAX_WORKERS + 1)), "workers"),
    ("worker-name-empty", worker_with(name=""), "workers/0/name"),
    ("worker-name-missing", worker_with(name=None), "workers/0/name"),
    ("worker-name-too-long", worker_with(name="名" * 65), "workers/0/name"),
    ("id-empty", worker_with(id_number=""), "workers/0/id_number"),
    ("id-17-digits", worker_with(id_number=GOOD_ID[:17]), "workers/0/id_number"),
    ("id-19-digits", worker_with(id_number=GOOD_ID + "1"), "workers/0/id_number"),
    ("id-letters", worker_with(id_number="22010219850615ABCX"), "workers/0/id_number"),
    ("id-check-digit", worker_with(id_number=GOOD_ID[:17] + ("0" if GOOD_ID[-1] != "0" else "1")),
     "workers/0/id_number"),
    ("id-feb-30", worker_with(id_number=_with_check_digit("22010219850230123")), "workers/0/id_number"),
    ("id-born-in-future", worker_with(id_number=resident_id(born=dt.date(2090, 1, 1))), "workers/0/id_number"),
    ("id-born-1899", worker_with(id_number=resident_id(born=dt.date(1899, 12, 31))), "workers/0/id_number"),
    ("id-superscript-digit", worker_with(id_number=GOOD_ID[:5] + "²" + GOOD_ID[6:]), "workers/0/id_number"),
    ("id-wrong-type", worker_with(id_number=int(_digits_only_id())), "workers/0/id_number"),
    ("phone-short", worker_with(phone="12345"), "workers/0/phone"),
    ("phone-landline", worker_with(phone="043188888888"), "workers/0/phone"),
    ("phone-foreign", worker_with(phone="+1 650 253 0000"), "workers/0/phone"),
    ("phone-wrong-type", worker_with(phone=13812345678), "workers/0/phone"),
    ("claims-none", worker_with(claims={}), "workers/0/claims"),
    ("claims-blank", worker_with(claims={"wages": "  "}), "workers/0/claims"),
    ("claim-kind-unknown", worker_with(claims={"bribe": "100"}), "workers/0/claims/0/kind"),
    ("amount-negative", worker_with(claims={"wages": "-5.00"}), "workers/0/claims/0/amount"),
    ("amount-zero", worker_with(claims={"wages": "0"}), "workers/0/claims/0/amount"),
    ("amount-10e15", worker_with(claims={"wages": "1000000000000000"}), "workers/0/claims/0/amount"),
    ("amount-overflow", worker_with(claims={"wages": "1e5000000"}), "workers/0/claims/0/amount"),
    ("amount-text", worker_with(claims={"wages": "一万"}), "workers/0/claims/0/amount"),
    ("amount-three-decimals", worker_with(claims={"overtime": "12.345"}), "workers/0/claims/0/amount"),
    ("amount-nan", worker_with(claims={"wages": "NaN"}), "workers/0/claims/0/amount"),
    ("amount-infinity", worker_with(claims={"wages": "Infinity"}), "workers/0/claims/0/amount"),
    ("amount-float", worker_with(claims={"wages": 1500.5}), "workers/0/claims/0/amount"),
]


@pytest.fixture
def mediator(app):
    return make_user("mediator", "220100")


@pytest.mark.parametrize("mutate, field", [pytest.param(m, f, id=i) for i, m, f in BAD_INPUT])
def test_bad_input_is_refused_naming_the_field(mediator, mutate, field):
    data = mutate(intake_input(region="220102", employer_uscc=GOOD_USCC))
    with nothing_written(ValidationFailed, field=field):
        case_intake(actor=mediator, data=data)


def test_a_good_intake_writes_the_case_its_parties_and_one_event(mediator):
    data = intake_input(region="220102", workers=2, amount="12,000.50")
    case, warnings = case_intake(actor=mediator, data=data)
    db.session.commit()
    assert warnings == []
    assert (case.state, case.region_code, case.mediator_id) == ("intake", "220102", mediator.id)
    assert [w.id_number for w in case.workers] == [w.id_number for w in data.workers]
    assert case.employer.uscc == data.employer_uscc
    assert [(c.kind, c.claimed_fen, c.agreed_fen) for c in case.claims] == [("wages", 1200050, None)] * 2
    assert case.claimed_fen == 2400100
    (event,) = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert (event.actor_id, event.action, event.from_state, event.to_state) == (mediator.id, "intake", None, "intake")


def test_a_walk_in_needs_no_referral_and_no_summary(mediator):
    data = dataclasses.replace(intake_input(channel="walk_in"), referral_ref=None, summary=None)
    case, _ = case_intake(actor=mediator, data=data)
    db.session.commit()
    assert (case.channel, case.referral_ref, case.summary) == ("walk_in", None, "")


def test_an_unknown_birth_place_is_a_warning_not_an_error(mediator):
    data = intake_input()
    data.workers[0].id_number = resident_id(area="110199")
    case, warnings = case_intake(actor=mediator, data=data)
    db.session.commit()
    assert case.id is not None and case.workers[0].id_number == data.workers[0].id_number
    assert len(warnings) == 1 and "110199" in warnings[0]


def test_the_same_worker_twice_in_one_case_is_refused(mediator):
    data = intake_input(workers=2)
    data.workers[1].id_number = data.workers[0].id_number
    with nothing_written(ValidationFailed, field="workers/1/id_number"):
        case_intake(actor=mediator, data=data)


def test_an_id_on_record_under_another_name_needs_a_confirmation(mediator):
    first, _ = case_intake(actor=mediator, data=intake_input())
    db.session.commit()
    data = intake_input()
    data.workers[0] = WorkerInput(name="另一个人", id_number=first.workers[0].id_number, claims={"wages": "100"})
    with nothing_written(NeedsConfirmation) as refused:
        case_intake(actor=mediator, data=data)
    assert list(refused.value.warnings) == ["workers/0/name"]
    assert first.number in refused.value.warnings["workers/0/name"][0]  # the mediator's own region: named
    second, _ = case_intake(actor=mediator, data=dataclasses.replace(data, confirmed=True))
    db.session.commit()
    assert [w.name for w in second.workers] == ["另一个人"] and [w.name for w in first.workers] == ["工人1"]
    (event,) = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == second.id)).all()
    assert event.detail["confirmed_warnings"] == ["workers/0/name"]


def test_the_same_worker_and_employer_with_an_open_case_is_a_likely_duplicate(mediator):
    first, _ = case_intake(actor=mediator, data=intake_input())
    db.session.commit()
    again = dataclasses.replace(intake_input(employer_uscc=first.employer.uscc),
                                workers=[dataclasses.replace(intake_input().workers[0],
                                                             id_number=first.workers[0].id_number)])
    with nothing_written(NeedsConfirmation) as refused:
        case_intake(actor=mediator, data=again)
    assert list(refused.value.warnings) == ["workers/0/id_number"] and first.number in str(refused.value.warnings)
    services.case_withdraw(case=first, actor=mediator, expected_version=None, reason="撤回")
    db.session.commit()
    case, _ = case_intake(actor=mediator, data=again)  # the first one is closed: no duplicate any more
    assert case.id != first.id


def test_a_known_worker_and_employer_make_rows_of_the_new_case_and_change_nothing_else(mediator):
    first, _ = case_intake(actor=mediator, data=intake_input())
    db.session.commit()
    data = intake_input(employer_uscc=first.employer.uscc)
    data.employer_name = "长春测试机械股份有限公司"
    data.workers[0] = WorkerInput(name=first.workers[0].name, id_number=first.workers[0].id_number,
                                  phone="13900001111", claims={"severance": "3000"})
    data.confirmed = True  # another employer name, and an open case of the same worker and employer
    second, _ = case_intake(actor=mediator, data=data)
    db.session.commit()
    db.session.expire_all()
    assert second.id != first.id
    assert second.employer_id == first.employer_id  # one master record per credit code
    assert second.workers[0].id != first.workers[0].id  # each case its own row of the person
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 2
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 1
    assert (second.employer.name, first.employer.name) == ("长春测试机械股份有限公司", "长春测试机械有限公司")
    assert db.session.get(Employer, first.employer_id).name == "长春测试机械有限公司"  # the master is not renamed
    assert (second.workers[0].phone, first.workers[0].phone) == ("13900001111", "13812345678")


def test_case_numbers_are_sequential_per_region_and_year(mediator):
    year = today().year

    def number(region: str, received_on: dt.date | None = None) -> str:
        case, _ = case_intake(actor=mediator, data=intake_input(region=region, received_on=received_on))
        db.session.commit()
        return case.number

    assert [number("220102") for _ in range(3)] == [f"220102-{year}-{n:05d}" for n in (1, 2, 3)]
    assert number("220103") == f"220103-{year}-00001"
    assert number("220102", dt.date(year - 1, 3, 1)) == f"220102-{year - 1}-00001"
    assert number("220102") == f"220102-{year}-00004"
    numbers = db.session.scalars(select(Case.number)).all()
    assert len(numbers) == len(set(numbers)) == 6


@pytest.mark.parametrize("workers, collective", [(9, False), (10, True)])
def test_ten_workers_make_a_collective_case(mediator, workers, collective):
    case, _ = case_intake(actor=mediator, data=intake_input(workers=workers))
    db.session.commit()
    assert (case.worker_count, case.is_collective) == (workers, collective)
    assert db.session.scalar(select(func.count()).select_from(ClaimItem)) == workers


def test_a_referral_cannot_be_registered_twice(mediator):
    case_intake(actor=mediator, data=intake_input(referral_ref="(2025)吉0102民诉前调1号"))
    db.session.commit()
    with nothing_written(ValidationFailed, field="referral_ref"):
        case_intake(actor=mediator, data=intake_input(referral_ref="(2025)吉0102民诉前调1号"))


@pytest.mark.parametrize("venue_region", ["222400", None])
def test_a_venue_outside_the_region_or_unknown_is_refused(mediator, venue_region):
    venue_id = make_venue(venue_region).id if venue_region else 987654
    data = dataclasses.replace(intake_input(), venue_id=venue_id)
    with nothing_written(ValidationFailed, field="venue_id"):
        case_intake(actor=mediator, data=data)


@pytest.mark.parametrize("role, home", [("mediator", "222400"), ("lawyer", "220100"), ("supervisor", "220000")])
def test_intake_outside_the_actors_region_or_role_is_not_permitted(app, role, home):
    actor = make_user(role, home)
    with nothing_written(NotPermitted):
        case_intake(actor=actor, data=intake_input(region="220102"))


def test_a_bad_checksum_code_accepted_by_a_supervisor_can_be_taken_in(mediator):
    with nothing_written(ValidationFailed, field="employer/uscc"):
        case_intake(actor=mediator, data=intake_input(employer_uscc=BAD_CHECKSUM_USCC))
    employer_accept_code(actor=make_user("supervisor", "220000"), uscc=BAD_CHECKSUM_USCC, name="早期试点企业")
    db.session.commit()
    case, _ = case_intake(actor=mediator, data=intake_input(employer_uscc=BAD_CHECKSUM_USCC))
    db.session.commit()
    assert case.employer.uscc == BAD_CHECKSUM_USCC and case.employer_master.uscc_checksum_overridden
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 1
