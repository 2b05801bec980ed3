"""The hazard services: good input is recorded with who and when; bad input is refused by field and
leaves nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mediation.common.errors import Conflict, NotPermitted, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards import services
from mediation.models import AuditEntry, Employer, Hazard, HazardStep
from mediation.web.commit import abandon, commit
from tests.factories import credit_code, make_case, make_user
from tests.hazards.conftest import hazard_input


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def refused(call, exc=ValidationFailed):  # noqa: ANN001, ANN201
    """Run a service that must refuse; roll back as the commit point does, and return the error."""
    with pytest.raises(exc) as info:
        call()
    abandon()
    return info.value


def test_record_makes_an_open_hazard_and_the_employer_and_an_audit_entry(app):
    lawyer = make_user("lawyer", "220100")
    hazard = services.hazard_record(actor=lawyer, data=hazard_input(employer_uscc=credit_code(4711)))
    commit()
    assert hazard.is_open and hazard.amount_fen == 42_000_000 and hazard.workers_affected == 35
    assert hazard.employer.uscc == credit_code(4711) and hazard.employer.name == "长春风险测试有限公司"
    assert hazard.created_by_id == lawyer.id and hazard.created_at is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "hazard.record")).one()
    assert entry.actor_id == lawyer.id and entry.target_id == hazard.id and entry.region_code == "220102"


def test_a_known_employer_is_never_renamed(app):
    mediator = make_user("mediator", "220100")
    first = services.hazard_record(actor=mediator, data=hazard_input(employer_uscc=credit_code(4712)))
    commit()
    second = services.hazard_record(actor=mediator, data=hazard_input(employer_uscc=credit_code(4712),
                                                                      employer_name="改了名字的公司"))
    commit()
    assert second.employer_id == first.employer_id
    assert db.session.get(Employer, first.employer_id).name == "长春风险测试有限公司"


@pytest.mark.parametrize(("field", "value"), [
    ("workers_affected", "0"), ("workers_affected", "-3"), ("workers_affected", "100001"),
    ("workers_affected", "many"), ("workers_affected", 3.5), ("amount", "-1"), ("amount", "1e30"),
    ("amount", "12.345"), ("amount", 1.5), ("found_on", "2026-13-01"), ("found_on", today() + dt.timedelta(days=1)),
    ("kind", "fire"), ("level", "extreme"), ("source", ""), ("description", "字" * 1001),
    ("employer_uscc", "123"), ("region_code", "999999"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(app, field, value):
    mediator = make_user("mediator", "220100")
    before = (count(Hazard), count(Employer), count(AuditEntry))
    error = refused(lambda: services.hazard_record(actor=mediator, data=hazard_input(**{field: value})))
    assert field in error.field_errors
    assert (count(Hazard), count(Employer), count(AuditEntry)) == before


def test_a_new_code_needs_a_name(app):
    error = refused(lambda: services.hazard_record(actor=make_user("lawyer"), data=hazard_input(employer_name="")))
    assert list(error.field_errors) == ["employer_name"]


def test_another_region_and_readers_are_refused(app):
    mediator = make_user("mediator", "220100")
    refused(lambda: services.hazard_record(actor=mediator, data=hazard_input(region_code="222401")), NotPermitted)
    for role in ("supervisor", "admin"):
        refused(lambda: services.hazard_record(actor=make_user(role), data=hazard_input()), NotPermitted)  # noqa: B023
    assert count(Hazard) == 0


def _open_hazard():  # noqa: ANN202
    actor = make_user("lawyer", "220100")
    hazard = services.hazard_record(actor=actor, data=hazard_input())
    commit()
    return actor, hazard


def test_steps_are_appended_in_order_and_each_is_recorded(app):
    actor, hazard = _open_hazard()
    services.hazard_add_step(hazard=hazard, actor=actor, expected_version=hazard.version,
                             taken_on=today() - dt.timedelta(days=5), text="约谈企业负责人")
    commit()
    services.hazard_add_step(hazard=hazard, actor=actor, expected_version=hazard.version, taken_on=today(),
                             text="发出监督提示函")
    commit()
    db.session.refresh(hazard)
    assert [(s.seq, s.text) for s in hazard.steps] == [(1, "约谈企业负责人"), (2, "发出监督提示函")]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_kind == "hazard")
                                 .order_by(AuditEntry.seq)).all()
    assert actions == ["hazard.record", "hazard.step", "hazard.step"]


def test_a_step_on_a_stale_page_or_with_bad_input_is_refused(app):
    actor, hazard = _open_hazard()
    seen = hazard.version
    services.hazard_add_step(hazard=hazard, actor=actor, expected_version=seen, taken_on=today(), text="第一步")
    commit()
    refused(lambda: services.hazard_add_step(hazard=hazard, actor=actor, expected_version=seen, taken_on=today(),
                                             text="在旧页面上"), Conflict)
    error = refused(lambda: services.hazard_add_step(hazard=hazard, actor=actor, expected_version=None,
                                                     taken_on=hazard.found_on - dt.timedelta(days=1), text=""))
    assert set(error.field_errors) == {"taken_on", "text"}
    assert count(HazardStep) == 1


def test_close_resolved_and_no_more_steps(app):
    actor, hazard = _open_hazard()
    services.hazard_close(hazard=hazard, actor=actor, expected_version=hazard.version, outcome="resolved",
                          closed_on=today(), note="已补发工资")
    commit()
    assert not hazard.is_open and hazard.outcome == "resolved" and hazard.closed_on == today()
    refused(lambda: services.hazard_add_step(hazard=hazard, actor=actor, expected_version=None, taken_on=today(),
                                             text="太晚了"), Conflict)
    refused(lambda: services.hazard_close(hazard=hazard, actor=actor, expected_version=None, outcome="referred",
                                          closed_on=today()), Conflict)


def test_became_a_case_links_a_case_of_the_same_employer_in_scope(app):
    actor, hazard = _open_hazard()
    own = make_case("mediating", region="220102")
    other_region = make_case("mediating", region="222401")
    for number, why in ((own.number, "another employer"), (other_region.number, "not in scope"), ("", "none")):
        error = refused(lambda: services.hazard_close(hazard=hazard, actor=actor, expected_version=None,  # noqa: B023
                                                      outcome="became_case", closed_on=today(), case_number=number))  # noqa: B023
        assert list(error.field_errors) == ["case_number"], why
    db.session.refresh(hazard)
    assert hazard.is_open
    same = make_case("intake", region="220102")
    hazard = db.session.get(Hazard, hazard.id)
    hazard.employer_id = same.employer_id  # the case of the hazard's employer
    commit()
    services.hazard_close(hazard=hazard, actor=actor, expected_version=None, outcome="became_case",
                          closed_on=today(), case_number=same.number)
    commit()
    assert hazard.case_id == same.id and hazard.outcome == "became_case"


def test_only_a_case_outcome_names_a_case(app):
    actor, hazard = _open_hazard()
    error = refused(lambda: services.hazard_close(hazard=hazard, actor=actor, expected_version=None,
                                                  outcome="resolved", closed_on=today(), case_number="X"))
    assert list(error.field_errors) == ["case_number"]
