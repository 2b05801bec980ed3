"""The import and the people on record (issue 15 §1): a ledger's rows become the new cases' own
workers and employer; an ID number or credit code on record under another name is a warning
that names the other case only inside the importer's scope, and the row is kept."""

from __future__ import annotations

import dataclasses

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation.cases.intake import case_intake
from mediation.extensions import db
from mediation.imports.services import import_ledger
from mediation.models import Case
from mediation.web.commit import commit
from tests.factories import intake_input, make_user
from tests.imports.conftest import person_id, row, to_csv


def _report_text(report) -> str:  # noqa: ANN001
    with force_locale("en"):
        return " | ".join(str(p.message) for p in [*report.problems, *report.warnings])


def _taken_in(region: str, name: str, phone: str = "13812345678") -> Case:
    data = intake_input(region=region)
    data.workers[0] = dataclasses.replace(data.workers[0], name=name, phone=phone)
    case, _ = case_intake(actor=make_user("mediator", region[:4] + "00"), data=data)
    db.session.commit()
    return case


@pytest.fixture
def yanbian(app):
    return make_user("supervisor", "222400")


def test_a_file_of_id_numbers_does_not_return_the_names_on_record_elsewhere(yanbian):
    """Finding 1: a file of ID numbers alone returned every matching name in bulk."""
    known = [_taken_in("220102", name) for name in ("韩萍", "赵敏", "钱进")]
    rows = [row(case_ref=f"YB-{i}", region_code="222401", worker_id_number=case.workers[0].id_number,
                worker_name="某某", employer_uscc=case.employer.uscc, employer_name="延边某公司")
            for i, case in enumerate(known)]
    report = import_ledger(actor=yanbian, filename="probe.csv", file_bytes=to_csv(rows))
    commit()
    text = _report_text(report)
    for case in known:
        for secret in (case.workers[0].name, case.number, case.employer.name, "13812345678"):
            assert secret not in text, (secret, text)
    assert "already on record under a different name" in text


def test_the_warnings_keep_the_rows_and_the_new_cases_own_their_people(yanbian):
    known = _taken_in("220102", "韩萍")
    rows = [row(case_ref="YB-1", region_code="222401", worker_id_number=known.workers[0].id_number,
                worker_name="韩平", worker_phone="13900001111", employer_uscc=known.employer.uscc,
                employer_name="延边某公司")]
    report = import_ledger(actor=yanbian, filename="l.csv", file_bytes=to_csv(rows))
    commit()
    assert report.ok and report.imported == 1
    # another name of the worker, another of the employer, and an open case of both: each a warning
    assert {(w.row, w.column) for w in report.warnings} == {(2, "worker_name"), (2, "employer_name"),
                                                            (2, "worker_id_number")}
    case = db.session.execute(select(Case).where(Case.referral_ref == "YB-1")).scalar_one()
    assert [(w.name, w.phone) for w in case.workers] == [("韩平", "13900001111")]
    assert (case.employer.name, case.employer_id) == ("延边某公司", known.employer_id)
    db.session.expire_all()
    theirs = db.session.get(Case, known.id)
    assert [(w.name, w.phone) for w in theirs.workers] == [("韩萍", "13812345678")]
    assert theirs.employer.name == "长春测试机械有限公司"


def test_inside_the_scope_the_warning_names_the_case_and_the_name(app):
    known = _taken_in("220102", "韩萍")
    rows = [row(case_ref="CC-1", worker_id_number=known.workers[0].id_number, worker_name="韩平")]
    report = import_ledger(actor=make_user("supervisor", "220100"), filename="l.csv", file_bytes=to_csv(rows))
    commit()
    text = _report_text(report)
    assert report.imported == 1 and known.number in text and "韩萍" in text


def test_the_same_person_in_two_files_is_two_cases_rows(yanbian):
    number = person_id()
    import_ledger(actor=yanbian, filename="a.csv", file_bytes=to_csv(
        [row(case_ref="YB-A", region_code="222401", worker_id_number=number, worker_name="王五")]))
    commit()
    report = import_ledger(actor=yanbian, filename="b.csv", file_bytes=to_csv(
        [row(case_ref="YB-B", region_code="222401", worker_id_number=number, worker_name="王五",
             worker_phone="13900002222")]))
    commit()
    assert report.imported == 1 and report.warnings == []
    cases = {c.referral_ref: c for c in db.session.scalars(select(Case))}
    assert cases["YB-A"].workers[0].id != cases["YB-B"].workers[0].id
    assert [w.phone for w in cases["YB-A"].workers] == ["13812345678"]
    assert [w.phone for w in cases["YB-B"].workers] == ["13900002222"]
