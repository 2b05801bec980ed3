"""Logging and editing consultations: every bad field refused by name, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mediation.common.errors import Conflict, NotPermitted, ValidationFailed
from mediation.common.timeutil import today
from mediation.consultations.services import consultation_edit, consultation_link_case, consultation_record
from mediation.extensions import db
from mediation.models import Consultation, ConsultationEdit
from tests.consultations.helpers import consultation_input, make_consultation
from tests.factories import credit_code, make_case, make_user


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_lawyer_logs_a_hotline_consultation_in_their_region(app):
    lawyer = make_user("lawyer", "220102")
    consultation = make_consultation(lawyer, employer_uscc=credit_code(7))
    assert consultation.region_code == "220102"
    assert consultation.recorded_by_id == lawyer.id
    assert consultation.worker_phone == "13912345678"
    assert consultation.employer_uscc == credit_code(7)
    assert consultation.version == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"question": "  "}, "question"),
    ({"answer": ""}, "answer"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": 601}, "duration_minutes"),
    ({"duration_minutes": "15"}, "duration_minutes"),
    ({"held_on": None}, "held_on"),
    ({"question": "问" * 4001}, "question"),
    ({"worker_name": "名" * 65}, "worker_name"),
    ({"worker_phone": "12345"}, "worker_phone"),
    ({"employer_uscc": "not-a-code"}, "employer_uscc"),
    ({"channel": "fax"}, "channel"),
    ({"topic": "divorce"}, "topic"),
    ({"region_code": "222401"}, "region_code"),
    ({"region_code": "999999"}, "region_code"),
])
def test_bad_input_is_refused_by_field_and_nothing_written(app, changes, field):
    mediator = make_user("mediator", "220100")
    with pytest.raises(ValidationFailed) as refused:
        consultation_record(actor=mediator, data=consultation_input(**changes))
    assert field in refused.value.field_errors
    db.session.rollback()
    assert _count(Consultation) == 0


def test_a_date_in_the_future_is_refused(app):
    with pytest.raises(ValidationFailed) as refused:
        consultation_record(actor=make_user("lawyer"), data=consultation_input(held_on=today() + dt.timedelta(days=1)))
    assert list(refused.value.field_errors) == ["held_on"]


def test_a_provincial_user_chooses_a_region_below(app):
    consultation = make_consultation(make_user("mediator", "220000"), region_code="222401")
    assert consultation.region_code == "222401"


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_only_read(app, role):
    with pytest.raises(NotPermitted):
        consultation_record(actor=make_user(role), data=consultation_input())


def test_an_edit_keeps_who_when_and_the_values_it_replaced_with_the_phone_masked(app):
    lawyer, mediator = make_user("lawyer", "220102"), make_user("mediator", "220100")
    consultation = make_consultation(lawyer)
    edit = consultation_edit(consultation=consultation, actor=mediator, expected_version=1,
                             data=consultation_input(duration_minutes=30, worker_phone="13800001111"))
    db.session.commit()
    assert consultation.duration_minutes == 30 and consultation.version == 2
    assert edit.edited_by_id == mediator.id and edit.edited_at is not None
    assert edit.changes == {"duration_minutes": [15, 30], "worker_phone": ["139****5678", "138****1111"]}


def test_an_edit_that_changes_nothing_records_nothing(app):
    consultation = make_consultation(make_user("lawyer"))
    assert consultation_edit(consultation=consultation, actor=make_user("mediator"), expected_version=1,
                             data=consultation_input()) is None
    assert _count(ConsultationEdit) == 0 and consultation.version == 1


def test_a_stale_edit_is_a_conflict(app):
    consultation = make_consultation(make_user("lawyer"))
    with pytest.raises(Conflict):
        consultation_edit(consultation=consultation, actor=make_user("lawyer"), expected_version=0,
                          data=consultation_input(answer="另一个答复"))


def test_another_regions_user_may_not_edit(app):
    consultation = make_consultation(make_user("lawyer", "220102"))
    with pytest.raises(NotPermitted):
        consultation_edit(consultation=consultation, actor=make_user("lawyer", "222400"), expected_version=1,
                          data=consultation_input(answer="另一个答复"))


def test_a_consultation_is_linked_to_one_case_only(app):
    consultation = make_consultation(make_user("mediator", "220102"))
    consultation_link_case(consultation=consultation, case=make_case(region="220102"))
    with pytest.raises(Conflict):
        consultation_link_case(consultation=consultation, case=make_case(region="220102"))
