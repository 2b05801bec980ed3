"""party_correct (issue 15 §3): a party's details corrected on one case, with a reason and an event
naming the fields before and after; bad input refused naming the field, with nothing written."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation.case_core.history import event_subjects
from mediation.cases.party_corrections import party_correct
from mediation.common.errors import Conflict, NotPermitted, Refused, ValidationFailed
from mediation.extensions import db
from mediation.models import Case, CaseEvent, Employer, StatsCasePart
from mediation.web.commit import commit
from tests.cases.unchanged import nothing_written
from tests.factories import credit_code, make_case, make_user, resident_id


def _correct(case: Case, party: str, reason: str = "登记有误", actor=None, version=None, **changes):  # noqa: ANN001, ANN201
    result = party_correct(case=case, actor=actor or case.mediator, expected_version=version, party=party,
                           changes=changes, reason=reason)
    commit()
    return result


def _last_event(case: Case) -> CaseEvent:
    return db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                              .order_by(CaseEvent.id.desc())).first()


def test_a_workers_details_are_corrected_on_this_case_only(app):
    case = make_case("mediating", region="220102", workers=2)
    worker, other = case.workers
    elsewhere = make_case("mediating", region="220102")
    version = case.version
    new_id = resident_id(area="220104")

    result = _correct(case, f"worker:{worker.id}", name="王 小明", id_number=new_id, phone="13900001111",
                      address="长春市朝阳区")

    assert result.fields == ("name", "id_number", "phone", "address") and result.notice is None
    assert (worker.name, worker.id_number, worker.phone, worker.address) == (
        "王 小明", new_id, "13900001111", "长春市朝阳区")
    assert other.name == "工人2" and elsewhere.workers[0].name == "工人1"
    assert case.version > version
    event = _last_event(case)
    assert (event.action, event.note) == ("correct_party", "登记有误")
    assert event.detail["party"] == f"worker:{worker.id}" and event.detail["before"]["name"] == "工人1"
    assert event.detail["after"]["phone"] == "13900001111"
    # the history names the worker and masks the numbers, before and after
    with force_locale("en"):
        subject = event_subjects(case)[event.id]
    assert subject.worker == "王 小明"
    shown = dict((name, (before, after)) for name, before, after in subject.changes)
    assert shown["Mobile"] == ("138****5678", "139****1111")
    assert new_id not in str(subject) and "13900001111" not in str(subject)


def test_a_phone_can_be_removed_and_only_changed_fields_are_recorded(app):
    case = make_case("intake", region="220102")
    worker = case.workers[0]
    _correct(case, f"worker:{worker.id}", name=worker.name, phone="", address="")
    assert worker.phone is None
    assert _last_event(case).detail["after"] == {"phone": None}


def test_the_employer_is_corrected_on_the_case_and_a_new_code_links_its_master(app):
    case = make_case("referred", region="220102")
    master = case.employer_master
    other = make_case("referred", region="220102")
    other.employer_master, other.employer_uscc = master, master.uscc  # the same employer on another case
    commit()

    _correct(case, "employer", name="长春更正机械有限公司", legal_representative="李四", address="长春市南关区1号")
    assert (case.employer.name, case.employer.legal_representative, case.employer.address) == (
        "长春更正机械有限公司", "李四", "长春市南关区1号")
    assert master.name == "长春测试机械有限公司" and other.employer.name == "长春测试机械有限公司"  # untouched

    code = credit_code()
    _correct(case, "employer", uscc=code)
    assert case.employer.uscc == code and case.employer_master.uscc == code
    assert case.employer_master.name == "长春更正机械有限公司"  # the new master made from this case's record
    assert other.employer_master is master
    known = make_case("referred", region="220102").employer_master
    _correct(case, "employer", uscc=known.uscc)
    assert case.employer_id == known.id and known.name == "长春测试机械有限公司"  # linked, not renamed


@pytest.mark.parametrize("stage, notice", [
    ("scheduled", None),
    ("drafted", "generate it again"),
    ("effective", "signed agreement"),
])
def test_an_agreement_made_with_the_old_details_is_named(app, stage, notice):
    from mediation.settlements.services import agreement_generate
    from tests.factories import VERIFY_URL

    case = make_case("scheduled" if stage != "effective" else "effective", region="220102")
    if stage == "drafted":
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
        commit()
    with force_locale("en"):
        result = _correct(case, f"worker:{case.workers[0].id}", name="更正后")
    assert (notice is None and result.notice is None) or (notice in result.notice)


def test_the_statistics_keep_the_corrected_case(app):
    case = make_case("settled", region="220102")
    before = db.session.get(StatsCasePart, case.id).facts
    _correct(case, "employer", name="更正")
    assert db.session.get(StatsCasePart, case.id).facts == before  # kept at the commit point, unchanged


def _bad(case: Case, field: str | None, error=ValidationFailed, **kwargs):  # noqa: ANN001, ANN003, ANN202
    kwargs.setdefault("party", f"worker:{case.workers[0].id}")
    kwargs.setdefault("reason", "登记有误")
    kwargs.setdefault("changes", {"name": "新名字"})
    with nothing_written(error, case, field=field):
        party_correct(case=case, actor=kwargs.pop("actor", case.mediator), expected_version=kwargs.pop("version", None),
                      **kwargs)


@pytest.mark.parametrize("changes, field", [
    ({"id_number": "220102198506150001"}, "id_number"),  # a wrong check digit
    ({"id_number": "2201021985"}, "id_number"),
    ({"id_number": 220102198506150010}, "id_number"),
    ({"name": ""}, "name"),
    ({"name": "  "}, "name"),
    ({"name": "名" * 65}, "name"),
    ({"phone": "12345"}, "phone"),
    ({"address": "址" * 201}, "address"),
    ({"uscc": credit_code()}, "uscc"),  # a worker has no credit code
])
def test_bad_worker_details_are_refused_naming_the_field(app, changes, field):
    case = make_case("mediating", region="220102")
    _bad(case, field, changes=changes)


def test_an_id_number_of_another_worker_of_the_case_is_refused(app):
    case = make_case("mediating", region="220102", workers=2)
    _bad(case, "id_number", changes={"id_number": case.workers[1].id_number})


@pytest.mark.parametrize("changes, field", [
    ({"uscc": "91220101ABCDEFGHIO"}, "uscc"),
    ({"uscc": credit_code()[:-1] + "Y"}, "uscc"),
    ({"name": "公" * 121}, "name"),
    ({"legal_representative": "人" * 65}, "legal_representative"),
    ({"phone": "13900001111"}, "phone"),
])
def test_bad_employer_details_are_refused_naming_the_field(app, changes, field):
    case = make_case("mediating", region="220102")
    _bad(case, field, party="employer", changes=changes)


@pytest.mark.parametrize("reason", ["", "   ", None, "理" * 2001])
def test_a_reason_is_required_and_not_too_long(app, reason):
    case = make_case("mediating", region="220102")
    _bad(case, "reason", reason=reason)


def test_unknown_parties_and_nothing_to_change_are_refused(app):
    case = make_case("mediating", region="220102")
    elsewhere = make_case("mediating", region="220102")
    _bad(case, "party", party=f"worker:{elsewhere.workers[0].id}")
    _bad(case, "party", party="worker:abc")
    _bad(case, "party", party="lawyer")
    _bad(case, None, changes={"name": case.workers[0].name})


def test_an_ended_case_another_role_and_a_stale_version_are_refused(app):
    closed = make_case("closed", region="220102")
    _bad(closed, None, error=Refused)
    case = make_case("mediating", region="220102")
    _bad(case, None, error=NotPermitted, actor=make_user("supervisor", "220100"))
    _bad(case, None, error=NotPermitted, actor=make_user("mediator", "222400"))
    _bad(case, None, error=Conflict, version=case.version - 1)
    assert db.session.scalar(select(Employer.name).where(Employer.id == case.employer_id)) == "长春测试机械有限公司"
