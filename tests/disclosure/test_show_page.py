"""The "show full numbers" page: who may ask, the purpose it asks for, the record it writes
before the numbers are sent, and every refusal writing nothing."""

from __future__ import annotations

import logging

import pytest

from mediation.common.identity import mask_id_number
from tests.disclosure.conftest import access_rows
from tests.factories import make_case
from tests.web.conftest import intake_form, page


def _url(case) -> str:  # noqa: ANN001
    return f"/cases/{case.number}/personal-data"


@pytest.mark.parametrize("who", ["mediator", "lawyer", "admin"])
def test_the_people_the_case_needs_see_the_full_numbers_after_giving_a_purpose(signed_in, who):
    case = make_case("mediating", region="220102", workers=2)
    user = {"mediator": case.mediator, "lawyer": case.lawyer}.get(who)
    user, browser = signed_in(user=user) if user else signed_in("admin", "220000")
    numbers = [(w.id_number, w.phone) for w in case.workers]

    asked = page(browser.get(_url(case)))
    assert asked.status == 200 and "purpose" in asked.fields and "note" in asked.fields
    assert not any(number in asked.text for number, _phone in numbers)
    assert access_rows() == []  # opening the form shows nothing and records nothing

    shown = page(browser.post(_url(case), data={"purpose": "documents", "note": "  开具  调解书  "}))

    assert shown.status == 200
    assert all(number in shown.text and phone in shown.text for number, phone in numbers)
    assert 'id="access-recorded"' in shown.text
    assert access_rows() == [(user.id, case.id, "documents", "开具 调解书", "web", "127.0.0.1")]


def test_each_showing_is_recorded_again(signed_in):
    case = make_case("settled", region="220102")
    _user, browser = signed_in(user=case.mediator)
    for purpose in ("contact", "identity", "enforcement"):
        assert browser.post(_url(case), data={"purpose": purpose}).status_code == 200
    assert [row[2] for row in access_rows()] == ["contact", "identity", "enforcement"]


@pytest.mark.parametrize("data, field, message", [
    ({}, "purpose", "Choose why you need the full numbers."),
    ({"purpose": ""}, "purpose", "Choose why you need the full numbers."),
    ({"purpose": "curiosity"}, "purpose", "Choose why you need the full numbers."),
    ({"purpose": "other"}, "note", "Say why you need the full numbers."),
    ({"purpose": "other", "note": "   "}, "note", "Say why you need the full numbers."),
    ({"purpose": "contact", "note": "长" * 201}, "note", "At most 200 characters."),
])
def test_a_missing_or_bad_purpose_is_refused_on_its_field_and_shows_nothing(signed_in, data, field, message):
    case = make_case("mediating", region="220102")
    _user, browser = signed_in(user=case.mediator)

    refused = page(browser.post(_url(case), data=data, headers={"Accept-Language": "en"}))

    assert refused.status == 400
    assert field in refused.invalid and message in refused.feedback
    assert case.workers[0].id_number not in refused.text
    assert access_rows() == []


@pytest.mark.parametrize("who", ["supervisor", "other mediator", "other lawyer"])
def test_people_the_case_does_not_need_are_forbidden_and_nothing_is_recorded(signed_in, who):
    case = make_case("mediating", region="220102")
    _user, browser = signed_in(who.split()[-1], "220100")
    for response in (browser.get(_url(case)), browser.post(_url(case), data={"purpose": "contact"})):
        assert response.status_code == 403
        assert case.workers[0].id_number not in response.get_data(as_text=True)
    assert access_rows() == []


def test_a_case_of_another_region_does_not_exist_and_signed_out_users_are_sent_to_sign_in(signed_in, client):
    case = make_case("mediating", region="222401")
    _user, browser = signed_in("admin", "220100")
    assert browser.get(_url(case)).status_code == 404
    assert browser.post(_url(case), data={"purpose": "contact"}).status_code == 404
    signed_out = client.post(_url(case), data={"purpose": "contact"})
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert access_rows() == []


def test_the_case_page_offers_the_button_and_never_the_numbers(signed_in):
    case = make_case("mediating", region="220102")
    _user, browser = signed_in(user=case.mediator)
    shown = page(browser.get(f"/cases/{case.number}"))
    assert "show-personal-data" in shown.enabled_actions
    assert case.workers[0].id_number not in shown.text and mask_id_number(case.workers[0].id_number) in shown.text


def test_the_full_numbers_are_never_stored_by_the_browser_nor_logged(signed_in, caplog):
    """no-store keeps the answer out of the cache and history; nothing the app logs while taking
    a case in and showing its numbers carries them (werkzeug's request log is the URL only)."""
    caplog.set_level(logging.DEBUG)
    _user, browser = signed_in("mediator", "220100")
    form = intake_form(workers=2)
    taken = browser.post("/cases/new", data=form)
    assert taken.status_code == 302
    number = taken.headers["Location"].rsplit("/", 1)[-1]
    shown = browser.post(f"/cases/{number}/personal-data", data={"purpose": "contact"})

    ids = [value for key, value in form.items() if key.endswith("id_number")]
    assert len(ids) == 2 and all(value in shown.get_data(as_text=True) for value in ids)
    assert "no-store" in shown.headers["Cache-Control"]
    assert not any(value in caplog.text for value in ids)
    assert not any(value in shown.request.url for value in ids)
