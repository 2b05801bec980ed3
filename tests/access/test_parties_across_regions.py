"""The people of another region's cases (issue 15 §1), through every path that takes people in or
shows them: the intake page, the API's referral, the import page and the recorded "show". The
Changchun users of the access world type the ID numbers and the credit code a Yanbian case
recorded, under other names: they are told that the numbers are on record under another name,
and nothing else (no name, phone, case number or region), and what they take in is their own
case's record, which a show reveals and nothing more."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from mediation.extensions import db
from mediation.imports.reader import COLUMN_ALIASES
from mediation.models import Case, PersonalDataAccess, Worker
from tests.api.conftest import referral
from tests.web.conftest import intake_form

SECRET_NAME, SECRET_PHONE = "韩萍", "13987654321"
GENERIC = "already on record under a different name"


@pytest.fixture(scope="module")
def yanbian(world):
    """The Yanbian mediating case, its worker renamed and given a phone only it recorded."""
    case = world.other.case("mediating")
    worker = case.workers[0]
    worker.name, worker.phone = SECRET_NAME, SECRET_PHONE
    db.session.commit()
    return {"number": case.number, "id_number": worker.id_number, "uscc": case.employer.uscc,
            "employer": case.employer.name, "numbers": set(world.other.case_numbers.values())}


def _leaks(text: str, yanbian: dict) -> list[str]:
    secrets = [SECRET_NAME, SECRET_PHONE, "延边", "Yanbian", *yanbian["numbers"]]
    return [secret for secret in secrets if secret in text]


@pytest.mark.parametrize("role", ["mediator", "admin"])
def test_the_intake_page_tells_nothing_of_the_other_region(world, yanbian, role):
    form = intake_form(region=world.own.county, **{"workers-0-id_number": yanbian["id_number"],
                                                   "workers-0-name": "金哲", "workers-0-phone": "",
                                                   "employer_uscc": yanbian["uscc"]})
    browser = world.browsers[role]
    warned = browser.post("/cases/new", data=form)
    text = warned.get_data(as_text=True)
    assert warned.status_code == 409 and GENERIC in text and not _leaks(text, yanbian)
    made = browser.post("/cases/new", data={**form, "confirm": "y"})
    assert made.status_code == 302
    number = made.headers["Location"].rsplit("/", 1)[-1]
    db.session.rollback()
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert [(w.name, w.phone) for w in case.workers] == [("金哲", None)]
    assert case.employer.name == form["employer_name"]  # its own record, not the other region's name
    assert not _leaks(browser.get(f"/cases/{number}").get_data(as_text=True), yanbian)


@pytest.mark.parametrize("role", ["mediator", "admin"])
def test_the_api_tells_nothing_of_the_other_region(world, yanbian, role):
    body = referral(region=world.own.county)
    body["workers"][0].update(id_number=yanbian["id_number"], name="金哲", phone="")
    body["employer"]["uscc"] = yanbian["uscc"]
    client = world.api[role]
    warned = client.post("/api/v1/cases", json=body)
    text = warned.get_data(as_text=True)
    assert warned.status_code == 409 and GENERIC in text and not _leaks(text, yanbian)
    made = client.post("/api/v1/cases", json={**body, "confirm": True})
    assert made.status_code == 201 and not _leaks(made.get_data(as_text=True), yanbian)
    assert made.get_json()["workers"][0]["phone"] is None


def _ledger(rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    columns = list(COLUMN_ALIASES)
    writer.writerow(columns)
    writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_import_page_tells_nothing_of_the_other_region(world, yanbian, role):
    row = {"case_ref": f"ACCESS-{role}", "channel": "court", "region_code": world.own.county,
           "received_on": "2025-03-03", "employer_name": "长春导入有限公司", "employer_uscc": yanbian["uscc"],
           "worker_name": "某某", "worker_id_number": yanbian["id_number"], "claim_kind": "wages",
           "claimed_amount": "5000.00", "outcome": "pending"}
    shown = world.browsers[role].post("/import", data={"ledger": (io.BytesIO(_ledger([row])), "probe.csv")},
                                      content_type="multipart/form-data")
    text = shown.get_data(as_text=True)
    # warned (by the Yanbian case unnamed, or by a case of the importer's own scope, named)
    assert shown.status_code == 200 and "on record" in text and 'id="import-warnings"' in text
    assert not _leaks(text, yanbian)
    db.session.rollback()
    case = db.session.scalar(select(Case).where(Case.referral_ref == f"ACCESS-{role}"))
    assert [(w.name, w.phone) for w in case.workers] == [("某某", None)]  # the row is kept, as its own


def test_a_show_reveals_only_the_own_cases_record_and_is_recorded_on_it(world, yanbian):
    own = world.own.case("mediating")
    worker = own.workers[0]
    worker.id_number = yanbian["id_number"]  # the same person, recorded here without a phone
    worker.phone = None
    db.session.commit()
    before = db.session.scalar(select(PersonalDataAccess.id).order_by(PersonalDataAccess.id.desc()).limit(1)) or 0
    for shown in (world.browsers["mediator"].post(f"/cases/{own.number}/personal-data", data={"purpose": "contact"}),
                  world.api["mediator"].post(f"/api/v1/cases/{own.number}/personal-data", json={"purpose": "contact"})):
        text = shown.get_data(as_text=True)
        assert shown.status_code == 200 and yanbian["id_number"] in text
        assert SECRET_PHONE not in text and SECRET_NAME not in text
    db.session.rollback()
    records = db.session.scalars(select(PersonalDataAccess.case_id).where(PersonalDataAccess.id > before)).all()
    assert records == [own.id, own.id]
    assert db.session.scalar(select(Worker.phone).where(Worker.id_number == yanbian["id_number"],
                                                         Worker.case_id == world.other.case_ids["mediating"])) \
        == SECRET_PHONE  # the other region's record is as it was
