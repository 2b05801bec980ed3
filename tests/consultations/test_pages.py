"""The consultation pages through the test client: log, list, read, edit, take in as a case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, Consultation
from tests.consultations.helpers import make_consultation
from tests.factories import credit_code, make_user, resident_id


def _form(**changes) -> dict:
    data = {"channel": "hotline", "held_on": today().isoformat(), "duration_minutes": "20", "topic": "wages",
            "question": "工资拖欠了两个月", "answer": "建议先协商，再申请调解", "worker_name": "李四",
            "worker_phone": "13912345678", "employer_name": "长春某公司", "employer_uscc": ""}
    data.update(changes)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Consultation))


def test_a_lawyer_logs_a_consultation_and_reads_it_with_the_phone_masked(signed_in):
    lawyer, browser = signed_in("lawyer", "220102")
    response = browser.post("/consultations/new", data=_form())
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "工资拖欠了两个月" in page and "139****5678" in page and "13912345678" not in page
    listed = browser.get("/consultations?mine=1").get_data(as_text=True)
    assert "139****5678" in listed and "13912345678" not in listed


def test_bad_input_is_shown_on_its_field_and_nothing_is_written(signed_in):
    _user, browser = signed_in("mediator", "220100")
    for changes in ({"question": ""}, {"duration_minutes": "0"}, {"duration_minutes": "601"},
                    {"held_on": (today() + dt.timedelta(days=2)).isoformat()}, {"worker_phone": "555"},
                    {"answer": "答" * 4001}):
        response = browser.post("/consultations/new", data=_form(**changes))
        assert response.status_code == 400, changes
        assert "is-invalid" in response.get_data(as_text=True)
    assert _count() == 0


def test_supervisors_read_but_do_not_log(signed_in):
    _user, browser = signed_in("supervisor", "220100")
    assert browser.get("/consultations").status_code == 200
    assert browser.get("/consultations/new").status_code == 403
    assert browser.post("/consultations/new", data=_form()).status_code == 403


def test_another_regions_consultation_does_not_exist(signed_in):
    consultation = make_consultation(make_user("lawyer", "222401"))
    _user, browser = signed_in("mediator", "220100")
    assert browser.get(f"/consultations/{consultation.id}").status_code == 404
    assert browser.post(f"/consultations/{consultation.id}/edit", data=_form(version="1")).status_code == 404
    assert f'data-id="{consultation.id}"' not in browser.get("/consultations").get_data(as_text=True)


def test_the_list_filters_by_channel_topic_and_date(signed_in):
    lawyer, browser = signed_in("lawyer", "220102")
    make_consultation(lawyer, channel="online", topic="overtime", question="加班费怎么算")
    make_consultation(lawyer, channel="hotline", topic="wages", held_on=today() - dt.timedelta(days=10),
                      question="工资条丢了")
    page = browser.get("/consultations?channel=online").get_data(as_text=True)
    assert "加班费怎么算" in page and "工资条丢了" not in page
    page = browser.get(f"/consultations?topic=wages&start={(today() - dt.timedelta(days=11)).isoformat()}"
                       ).get_data(as_text=True)
    assert "工资条丢了" in page and "加班费怎么算" not in page
    assert browser.get("/consultations?region=222400").status_code == 400  # not a region of the scope


def test_an_edit_keeps_the_phone_when_left_blank_and_is_listed_with_who(signed_in):
    lawyer, browser = signed_in("lawyer", "220102")
    consultation = make_consultation(lawyer)
    assert browser.get(f"/consultations/{consultation.id}/edit").status_code == 200
    response = browser.post(f"/consultations/{consultation.id}/edit",
                            data=_form(version="1", worker_phone="", duration_minutes="45",
                                       question=consultation.question, answer=consultation.answer,
                                       worker_name=consultation.worker_name,
                                       employer_name=consultation.employer_name))
    assert response.status_code == 302
    db.session.refresh(consultation)
    assert consultation.worker_phone == "13912345678" and consultation.duration_minutes == 45
    page = browser.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "consultation-edits" in page and lawyer.full_name in page
    stale = browser.post(f"/consultations/{consultation.id}/edit", data=_form(version="1", duration_minutes="50"))
    assert stale.status_code == 409


def test_taking_a_consultation_in_prefills_the_intake_and_links_the_case_both_ways(signed_in):
    mediator, browser = signed_in("mediator", "220102")
    consultation = make_consultation(mediator, employer_name="吉林某厂")
    form = browser.get(f"/consultations/{consultation.id}/case").get_data(as_text=True)
    assert 'value="吉林某厂"' in form and 'value="张三"' in form and "intake-from-consultation" in form
    assert "13912345678" not in form and "139****5678" in form  # carried over, never shown in full
    data = {"channel": "walk_in", "received_on": today().isoformat(), "region_code": "220102", "venue_id": "",
            "language": "zh", "employer_name": "吉林某厂", "employer_uscc": credit_code(), "summary": "由咨询转入",
            "workers-0-name": "张三", "workers-0-id_number": resident_id(), "workers-0-phone": "",
            "workers-0-wages": "6000.00"}
    response = browser.post(f"/consultations/{consultation.id}/case", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(consultation)
    case = db.session.get(Case, consultation.case_id)
    assert response.headers["Location"].endswith(f"/cases/{case.number}")
    assert case.workers[0].phone == "13912345678"  # the blank phone taken from the consultation
    assert f"/consultations/{consultation.id}" in browser.get(f"/cases/{case.number}").get_data(as_text=True)
    assert case.number in browser.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    again = browser.post(f"/consultations/{consultation.id}/case", data=data)
    assert again.status_code == 302 and db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_a_refused_intake_links_nothing(signed_in):
    mediator, browser = signed_in("mediator", "220102")
    consultation = make_consultation(mediator)
    response = browser.post(f"/consultations/{consultation.id}/case", data={
        "channel": "walk_in", "received_on": today().isoformat(), "region_code": "220102", "language": "zh",
        "employer_name": "某厂", "employer_uscc": "", "workers-0-name": "张三", "workers-0-id_number": ""})
    assert response.status_code == 400
    db.session.refresh(consultation)
    assert consultation.case_id is None and db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_lawyer_may_not_take_one_in(signed_in):
    lawyer, browser = signed_in("lawyer", "220102")
    consultation = make_consultation(lawyer)
    assert browser.get(f"/consultations/{consultation.id}/case").status_code == 403
