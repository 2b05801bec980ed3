"""Regenerating an agreement that has signatures: the signatures that would lapse are named and
nothing is written until someone confirms (with a reason); the page and the API say the same."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from mediation.common.errors import Conflict, ValidationFailed
from mediation.extensions import db
from mediation.models import CaseDocument
from mediation.settlements.schedule import InstallmentInput, schedule_set
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import SignaturesWouldLapse, current_agreement, signature_record, signatures_on
from tests.api.conftest import api, assert_problem, field_errors  # noqa: F401 (the api fixture)
from tests.cases.unchanged import english, nothing_written
from tests.factories import VERIFY_URL, make_case
from tests.web.conftest import page, reload_case, sync


def documents(case) -> int:  # noqa: ANN001
    sync()
    return db.session.scalar(select(func.count()).select_from(CaseDocument).where(CaseDocument.case_id == case.id))


@pytest.fixture
def half_signed(app):
    """A drafted agreement the worker and the employer have signed (the mediator and the seal not yet)."""
    case = make_case("scheduled")
    agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    signature_record(case=case, actor=case.mediator, expected_version=None,
                     parties=[f"worker:{case.workers[0].id}", "employer"], signed_on=None)
    db.session.commit()
    return case


def test_regenerating_a_signed_agreement_names_the_lapsing_signatures_and_writes_nothing(half_signed):
    case = half_signed
    with force_locale("en"), nothing_written(SignaturesWouldLapse, case, "confirm") as refused:
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    message = refused.value.field_errors["confirm"][0]
    assert case.workers[0].name in message and "the employer" in message


def test_with_the_confirmation_and_a_reason_a_new_version_is_made_and_the_lapse_recorded(half_signed):
    case = half_signed
    worker = f"worker:{case.workers[0].id}"
    with nothing_written(ValidationFailed, case, "reason"):  # confirmed, but no reason
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL, confirm=True, reason=" ")

    document = agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL, confirm=True,
                                  reason="工资表有误，重新出具")
    db.session.commit()
    assert document.version == 2 and documents(case) == 2
    assert signatures_on(current_agreement(case)) == {}  # the signatures stay with version 1
    event = reload_case(case).events[-1]
    assert event.action == "document" and "工资表有误，重新出具" in event.note
    assert event.detail["before"] == {"version": 1, "signed": [worker, "employer"]}
    assert event.detail["after"] == {"version": 2, "signed": []}


def test_an_unsigned_draft_is_made_again_without_asking(app):
    case = make_case("scheduled")
    agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    assert agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL).version == 2


def test_a_stale_version_is_a_conflict(half_signed):
    case = half_signed
    with nothing_written(Conflict, case):
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL, expected_version=case.version - 1,
                           confirm=True, reason="重新出具")


def test_a_new_schedule_also_asks_before_signatures_lapse(half_signed):
    case = half_signed
    rows = [InstallmentInput(worker_id=case.workers[0].id, due_on=case.settled_on + dt.timedelta(days=60),
                             amount_fen=case.agreed_fen)]
    with force_locale("en"), nothing_written(SignaturesWouldLapse, case, "confirm") as refused:
        schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows)
    assert "the employer" in english(refused.value.message)
    schedule_set(case=case, actor=case.mediator, expected_version=None, rows=rows, confirm=True, reason="改期")
    db.session.commit()
    assert current_agreement(case) is None
    event = reload_case(case).events[-1]
    assert event.action == "installments" and event.detail["lapsed"]["signed"][-1] == "employer"


# --- the page -------------------------------------------------------------------------------------

def test_the_page_lists_the_lapsing_signatures_and_writes_nothing_without_the_tick(half_signed, signed_in):
    case = half_signed
    _user, browser = signed_in(user=case.mediator)
    url = f"/cases/{case.number}/generate_agreement"
    shown = page(browser.get(f"/cases/{case.number}"))
    assert f'href="{url}"' in shown.text  # signatures: the button leads to the page that lists them

    form = page(browser.get(url))
    assert form.status == 200 and "confirm" in form.fields
    assert re.findall(r'<li class="lapsing">([^<·]+)', form.text) == [f"{case.workers[0].name} ", "the employer "]

    refused = page(browser.post(url, data={"version": form.value("version"), "reason": "重新出具"}))
    assert refused.status == 409 and "confirm" in refused.invalid
    assert "the employer" in refused.messages and 'class="lapsing"' in refused.text
    assert documents(case) == 1

    done = browser.post(url, data={"version": form.value("version"), "confirm": "y", "reason": "重新出具"})
    assert done.status_code == 302
    assert documents(case) == 2


def test_an_unsigned_draft_is_generated_in_one_click(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("scheduled", mediator=mediator)
    shown = page(browser.get(f"/cases/{case.number}"))
    assert f'action="/cases/{case.number}/generate_agreement"' in shown.text
    response = browser.post(f"/cases/{case.number}/generate_agreement", data={"version": str(case.version)})
    assert response.status_code == 302 and documents(case) == 1


# --- the API ----------------------------------------------------------------------------------------

def test_the_api_answers_409_naming_the_signatures_until_confirmed(half_signed, api):  # noqa: F811
    case = half_signed
    _user, client = api(user=case.mediator)
    url = f"/api/v1/cases/{case.number}/actions/generate_agreement"
    problem = assert_problem(client.post(url, json={}), 409, "signatures_would_lapse")
    assert "the employer" in problem["detail"] and case.workers[0].name in problem["detail"]
    assert problem["errors"][0]["field"] == "confirm"
    assert "confirm" in field_errors(client.post(url, json={"confirm": "true", "reason": "x"}))
    assert "confirm" in field_errors(client.post(url, json={"confirm": 1, "reason": "x"}))
    assert "reason" in field_errors(client.post(url, json={"confirm": True}))
    assert "reason" in field_errors(client.post(url, json={"confirm": True, "reason": "理" * 2001}))
    assert_problem(client.post(url, json={"confirm": True, "reason": "x", "expected_version": 0}), 409, "conflict")
    assert documents(case) == 1

    done = client.post(url, json={"confirm": True, "reason": "重新出具", "expected_version": reload_case(case).version})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["agreement"]["version"] == 2


def test_the_schedule_page_lists_them_too_and_saves_only_with_the_tick(half_signed, signed_in):
    case = half_signed
    _user, browser = signed_in(user=case.mediator)
    url = f"/cases/{case.number}/installments"
    form = page(browser.get(url))
    assert form.status == 200 and "confirm" in form.fields and 'class="lapsing"' in form.text
    data = {"version": form.value("version"), "rows-0-worker_id": str(case.workers[0].id),
            "rows-0-due_on": (case.settled_on + dt.timedelta(days=45)).isoformat(), "rows-0-amount": "12000.00"}
    refused = page(browser.post(url, data=data))
    assert refused.status == 409 and "confirm" in refused.invalid
    assert current_agreement(reload_case(case)) is not None  # the draft and its signatures stand
    assert browser.post(url, data={**data, "confirm": "y", "reason": "改期"}).status_code == 302
    assert current_agreement(reload_case(case)) is None
