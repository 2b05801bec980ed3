"""Each case owns its people (issue 15 §1): what a case recorded of its workers and employer is
that case's, changed only by a correction on it; an intake elsewhere reads nothing of it and
changes nothing of it, and is told only that an ID number or credit code is on record under
another name."""

from __future__ import annotations

import dataclasses

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation.cases.intake import WorkerInput, case_intake
from mediation.cases.selectors import CaseFilters, case_list_query
from mediation.common.errors import ServiceError
from mediation.common.timeutil import today
from mediation.disclosure.services import personal_data_show
from mediation.extensions import db
from mediation.models import Case, PersonalDataAccess
from tests.factories import credit_code, intake_input, make_case, make_effective, make_user

CHANGCHUN_PHONE = "13812345678"


def _messages(error: ServiceError) -> str:
    with force_locale("en"):
        return " | ".join([str(error.message), *(str(m) for ms in error.field_errors.values() for m in ms),
                           *(str(w) for ws in getattr(error, "warnings", {}).values() for w in ws)])


def _changchun_case(name: str = "韩萍") -> Case:
    """A Changchun case whose worker is `name`, with a phone only Changchun recorded."""
    mediator = make_user("mediator", "220100")
    data = intake_input(region="220102")
    data.workers[0] = dataclasses.replace(data.workers[0], name=name, phone=CHANGCHUN_PHONE)
    case, _ = case_intake(actor=mediator, data=data)
    db.session.commit()
    return case


def _yanbian_intake(id_number: str, *, name: str, phone: str = "", uscc: str | None = None, **employer):
    data = intake_input(region="222401", employer_uscc=uscc)
    data.workers[0] = WorkerInput(name=name, id_number=id_number, phone=phone, claims={"wages": "3000.00"})
    for key, value in employer.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def yanbian(app):
    return make_user("mediator", "222400")


def test_an_intake_elsewhere_is_told_of_another_name_but_not_the_name(yanbian):
    """Finding 1: "该身份证号码已以另一姓名（韩萍）登记" named the other region's worker."""
    changchun = _changchun_case("韩萍")
    with pytest.raises(ServiceError) as refused, force_locale("en"):
        case_intake(actor=yanbian, data=_yanbian_intake(changchun.workers[0].id_number, name="金哲"))
    text = _messages(refused.value)
    assert "already on record under a different name" in text
    for secret in ("韩萍", changchun.number, CHANGCHUN_PHONE, "长春", "Changchun"):
        assert secret not in text, (secret, text)


def test_show_reveals_only_what_the_viewers_own_case_recorded(yanbian):
    """Finding 2: the Yanbian mediator's "show" gave the phone only Changchun recorded, and the
    access record was the Yanbian case's, so Changchun's supervisor never saw it."""
    changchun = _changchun_case("韩萍")
    own, _ = case_intake(actor=yanbian, data=_yanbian_intake(changchun.workers[0].id_number, name="韩萍"))
    db.session.commit()

    record, workers = personal_data_show(actor=yanbian, case=own, purpose="contact", note="", channel="web",
                                         remote_addr="127.0.0.1")
    db.session.commit()

    assert [(w.name, w.id_number, w.phone) for w in workers] == [("韩萍", changchun.workers[0].id_number, None)]
    assert record.case_id == own.id
    assert db.session.scalars(select(PersonalDataAccess.case_id)).all() == [own.id]


def test_an_intake_elsewhere_does_not_change_the_other_cases_worker(yanbian):
    """Finding 3: an intake with a known ID and a new phone overwrote the phone on the other
    region's case, with no event and no new version."""
    changchun = _changchun_case("韩萍")
    version, events = changchun.version, changchun.history_length
    own, _ = case_intake(actor=yanbian, data=_yanbian_intake(changchun.workers[0].id_number, name="韩萍",
                                                             phone="13900001111"))
    db.session.commit()
    db.session.expire_all()

    theirs = db.session.get(Case, changchun.id)
    assert [(w.name, w.phone) for w in theirs.workers] == [("韩萍", CHANGCHUN_PHONE)]
    assert (theirs.version, theirs.history_length) == (version, events)
    assert [w.phone for w in own.workers] == ["13900001111"]
    assert own.workers[0].id != theirs.workers[0].id


def test_an_intake_reusing_a_credit_code_renames_no_case(yanbian):
    """Finding 4: an intake with a known credit code and another name renamed the employer (name,
    representative, address) on every case, a signed one too; a search for the old name found nothing."""
    signed = make_case("settled", region="220102")
    make_effective(signed)
    db.session.commit()
    code = signed.employer.uscc
    assert signed.agreement_effective_on is not None
    before = (signed.employer.name, signed.employer.uscc, signed.employer.legal_representative,
              signed.employer.address)

    data = _yanbian_intake(intake_input().workers[0].id_number, name="金哲", uscc=code,
                           employer_name="延边改名有限公司", employer_legal_representative="李四",
                           employer_address="延吉市某路1号")
    data.confirmed = True  # the credit code is on record under another name: checked, go ahead
    other, _ = case_intake(actor=yanbian, data=data)
    db.session.commit()
    db.session.expire_all()

    signed = db.session.get(Case, signed.id)
    assert (signed.employer.name, signed.employer.uscc, signed.employer.legal_representative,
            signed.employer.address) == before
    assert db.session.get(Case, other.id).employer.name == "延边改名有限公司"
    found = db.session.scalars(case_list_query(signed.mediator, CaseFilters(q=before[0][:4]), today=today())).all()
    assert signed.id in [case.id for case in found]


def test_the_credit_code_of_a_new_intake_links_the_case_to_its_master_record(yanbian):
    first = make_case("intake", region="222401")
    data = _yanbian_intake(intake_input().workers[0].id_number, name="金哲", uscc=first.employer.uscc,
                           employer_name=first.employer.name)
    second, _ = case_intake(actor=yanbian, data=data)
    db.session.commit()
    assert second.employer_id == first.employer_id and second.employer.uscc == first.employer.uscc
    fresh, _ = case_intake(actor=yanbian, data=_yanbian_intake(intake_input().workers[0].id_number, name="金哲",
                                                               uscc=credit_code()))
    assert fresh.employer_id != first.employer_id


def test_a_payment_event_written_against_a_shared_row_names_this_cases_worker(yanbian):
    """Before 0015 a payment event named the worker row every case shared; that row is now the
    first case's, and this case's history reads it as its own worker of the same ID number."""
    from mediation.case_core.events import record_event
    from mediation.case_core.history import event_subjects

    changchun = _changchun_case("韩萍")
    data = _yanbian_intake(changchun.workers[0].id_number, name="韩 萍")
    data.confirmed = True
    own, _ = case_intake(actor=yanbian, data=data)
    event = record_event(case=own, actor=yanbian, action="payment",
                         detail={"worker_id": changchun.workers[0].id, "amount_fen": 100})
    db.session.commit()
    assert event_subjects(own)[event.id].worker == "韩 萍"
