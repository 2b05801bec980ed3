"""The case list (filters, search, pagination, overdue), the case page (masking) and intake."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mediation.common.identity import mask_id_number, mask_phone
from mediation.extensions import db
from mediation.models import Case, Worker
from tests.factories import make_case, make_user, make_venue, resident_id
from tests.web.conftest import (
    bad_check_character,
    days_ago,
    follow,
    intake_case,
    intake_form,
    page,
    row_counts,
    sync,
)

# --- the list -----------------------------------------------------------------------------


@pytest.fixture
def listed(app):
    """Cases that differ in one attribute each, keyed by what makes them findable."""
    mediator = make_user("mediator", "220100")
    cases = {
        "plain": intake_case(mediator, region="220102", employer="长春甲机械有限公司", workers=("张三",)),
        "hr": intake_case(mediator, region="220103", channel="hr", employer="长春乙食品有限公司", workers=("李四",)),
        "percent": intake_case(mediator, region="220102", employer="百分之100%建筑公司", workers=("王五",)),
        "underscore": intake_case(mediator, region="220102", employer="A_B贸易公司", workers=("赵六",)),
        "mediating": make_case("mediating", region="220104", mediator=mediator),
        "overdue": make_case("mediating", region="220104", mediator=mediator, started_on=days_ago(29)),
    }
    return {key: case.number for key, case in cases.items()}


FILTERS = [
    ({}, {"plain", "hr", "percent", "underscore", "mediating", "overdue"}),
    ({"state": "mediating"}, {"mediating", "overdue"}),
    ({"state": "intake"}, {"plain", "hr", "percent", "underscore"}),
    ({"region": "220103"}, {"hr"}),
    ({"region": "220104", "state": "intake"}, set()),
    ({"channel": "hr"}, {"hr"}),
    ({"overdue": "overdue"}, {"overdue"}),
    ({"q": "李四"}, {"hr"}),
    ({"q": "甲机械"}, {"plain"}),
    ({"q": "%"}, {"percent"}),
    ({"q": "100%"}, {"percent"}),
    ({"q": "_"}, {"underscore"}),
    ({"q": "A_B"}, {"underscore"}),
    ({"q": "没有这个名字"}, set()),
]


def _query_id(query: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in query.items()) or "no filter"


@pytest.mark.parametrize("query, expected", [pytest.param(q, e, id=_query_id(q)) for q, e in FILTERS])
def test_list_filters(signed_in, listed, query, expected):
    _, browser = signed_in("supervisor", "220100")
    result = page(browser.get("/", query_string=query))
    assert result.status == 200
    assert set(result.case_numbers) == {listed[key] for key in expected}
    if not expected:
        assert "No case matches these filters." in result.text


def test_search_by_case_number(signed_in, listed):
    _, browser = signed_in("supervisor", "220100")
    result = page(browser.get("/", query_string={"q": listed["hr"]}))
    assert result.case_numbers == [listed["hr"]]


@pytest.mark.parametrize("query", [
    {"state": "no-such-state"}, {"channel": "fax"}, {"overdue": "yesterday"}, {"q": "x" * 65},
    {"page": "abc"}, {"page": "-3"}, {"page": "99999"},
], ids=lambda query: _query_id(query)[:24])
def test_odd_list_queries_never_fail(signed_in, listed, query):
    _, browser = signed_in("supervisor", "220100")
    result = page(browser.get("/", query_string=query))
    assert result.status in (200, 400)
    if result.status == 400:  # the filter at fault is marked and says why
        assert len(result.invalid) == 1 and result.feedback


def test_pagination_splits_the_list_and_keeps_the_filters(app, signed_in):
    app.config["CASES_PER_PAGE"] = 2
    mediator = make_user("mediator", "220100")
    numbers = {intake_case(mediator, region="220102").number for _ in range(5)}
    intake_case(mediator, region="220103")  # filtered out below
    _, browser = signed_in("supervisor", "220100")

    pages = [page(browser.get("/", query_string={"region": "220102", "page": n})) for n in (1, 2, 3, 4)]

    assert [len(p.case_numbers) for p in pages] == [2, 2, 1, 0]
    seen = [number for p in pages for number in p.case_numbers]
    assert len(seen) == len(set(seen)) and set(seen) == numbers
    assert "5 case(s)" in pages[0].text
    assert 'href="/?page=2&amp;region=220102"' in pages[0].text or \
        'href="/?region=220102&amp;page=2"' in pages[0].text


def test_an_overdue_case_is_flagged_in_the_list_and_on_its_page(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    overdue = make_case("mediating", mediator=mediator, started_on=days_ago(29))
    on_time = make_case("mediating", mediator=mediator)

    listing = browser.get("/").get_data(as_text=True)
    rows = {number: row for row in listing.split("<tr") for number in (overdue.number, on_time.number)
            if f"/cases/{number}\"" in row}
    assert "table-danger" in rows[overdue.number] and "Overdue" in rows[overdue.number]
    assert "table-danger" not in rows[on_time.number] and "Overdue" not in rows[on_time.number]

    assert 'id="overdue-flag"' in browser.get(f"/cases/{overdue.number}").get_data(as_text=True)
    assert 'id="overdue-flag"' not in browser.get(f"/cases/{on_time.number}").get_data(as_text=True)


# --- personal data on the case page ---------------------------------------------------------


@pytest.mark.parametrize("viewer, may_show", [
    ("assigned mediator", True),
    ("assigned lawyer", True),
    ("admin", True),
    ("other mediator", False),
    ("other lawyer", False),
    ("supervisor", False),
])
def test_id_numbers_and_phones_are_masked_for_everyone_and_only_those_who_need_them_may_ask(
        signed_in, viewer, may_show):
    """The case page never carries the full numbers: the case's mediator, its lawyer and admins
    get a button to the recorded "show" (tests/disclosure), nobody else does."""
    mediator, lawyer = make_user("mediator", "220100"), make_user("lawyer", "220100")
    case = make_case("mediating", mediator=mediator, lawyer=lawyer)
    worker = case.workers[0]
    id_number, phone = worker.id_number, worker.phone
    user = {"assigned mediator": mediator, "assigned lawyer": lawyer}.get(viewer)
    role = viewer.split()[-1]
    _, browser = signed_in(role, "220100", user=user) if user else signed_in(role, "220100")

    shown = page(browser.get(f"/cases/{case.number}"))
    text = shown.text

    masked_id, masked_phone = mask_id_number(id_number), mask_phone(phone)
    assert masked_id == id_number[:6] + "********" + id_number[-4:]
    assert (id_number in text, phone in text) == (False, False)
    assert (masked_id in text, masked_phone in text) == (True, True)
    assert ("show-personal-data" in shown.enabled_actions) == may_show


# --- intake through the form ----------------------------------------------------------------


def test_a_collective_case_of_twelve_workers_in_one_post(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    form = intake_form(workers=12)

    response = browser.post("/cases/new", data=form)

    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[-1]
    case = db.session.scalars(select(Case).where(Case.number == number)).one()
    assert case.worker_count == 12 and len(case.workers) == 12 and len(case.claims) == 12
    assert case.is_collective and case.mediator_id == mediator.id
    assert {w.id_number for w in case.workers} == {form[f"workers-{i}-id_number"] for i in range(12)}
    detail = follow(browser, response)
    assert f"Case {number} has been taken in." in detail.alerts
    assert "Collective case" in detail.text


def test_blank_rows_of_the_grid_are_ignored(signed_in):
    _, browser = signed_in("mediator", "220100")
    form = intake_form(workers=1, **{"workers-1-name": "", "workers-1-id_number": "", "workers-1-wages": " "})
    response = browser.post("/cases/new", data=form)
    assert response.status_code == 302
    sync()
    assert db.session.scalars(select(Case)).one().worker_count == 1


BAD_INTAKE = [  # (what is wrong, how the form is changed, the field marked, words of the message)
    ("empty form", "empty form", "received_on", "This field is required."),
    ("worker name too long", {"workers-0-name": "名" * 65}, "workers-0-name", "64"),
    ("employer name too long", {"employer_name": "公司" * 61}, "employer_name", "120"),
    ("negative amount", {"workers-0-wages": "-5"}, "workers-0-wages", "An amount cannot be negative."),
    ("amount 10^15", {"workers-0-wages": "1000000000000000"}, "workers-0-wages", "too large"),
    ("amount not a number", {"workers-0-wages": "abc"}, "workers-0-wages", "Enter an amount in yuan"),
    ("amount with 3 decimals", {"workers-0-wages": "1.234"}, "workers-0-wages", "at most two decimals"),
    ("no claim at all", {"workers-0-wages": ""}, None, "Each worker needs at least one claim"),
    ("17-digit ID", {"workers-0-id_number": "22010219850615123"}, "workers-0-id_number", "18 characters"),
    ("wrong check digit", "wrong check digit", "workers-0-id_number", "check digit"),
    ("birth date in the future", "future birth date", "workers-0-id_number", "birth date"),
    ("bad mobile", {"workers-0-phone": "12345"}, "workers-0-phone", "mobile number"),
    ("USCC bad checksum", "bad uscc checksum", "employer_uscc", "check character"),
    ("USCC too short", {"employer_uscc": "91220101ABC"}, "employer_uscc", "18 characters"),
    ("received in the future", "received tomorrow", "received_on", "future"),
    ("received not a date", {"received_on": "not-a-date"}, "received_on", "date"),
    ("unknown region", {"region_code": "229999"}, "region_code", "Not a valid choice"),
    ("region of another prefecture", {"region_code": "222401"}, "region_code", "Not a valid choice"),
    ("venue of another region", "venue of another region", "venue_id", "Not a valid choice"),
    ("venue not a number", {"venue_id": "abc"}, "venue_id", "Not a valid choice"),
    ("unknown channel", {"channel": "fax"}, "channel", "Not a valid choice"),
]


@pytest.mark.parametrize("change, field, message", [pytest.param(*row[1:], id=row[0]) for row in BAD_INTAKE])
def test_bad_intake_input_gets_400_names_the_field_and_writes_nothing(signed_in, change, field, message):
    _, browser = signed_in("mediator", "220100")
    form = intake_form()
    if change == "empty form":
        form = {}
    elif change == "wrong check digit":
        number = form["workers-0-id_number"]
        form["workers-0-id_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    elif change == "received tomorrow":  # computed now: a run may cross midnight after collection
        form["received_on"] = days_ago(-1).isoformat()
    elif change == "future birth date":
        form["workers-0-id_number"] = resident_id(born=days_ago(-400))
    elif change == "bad uscc checksum":
        form["employer_uscc"] = bad_check_character(form["employer_uscc"])
    elif change == "venue of another region":
        form["venue_id"] = str(make_venue("222400").id)
    else:
        form.update(change)
    before = row_counts()

    result = page(browser.post("/cases/new", data=form))

    assert result.status == 400
    assert "Please correct the marked fields." in result.alerts
    if field is not None:
        assert field in result.invalid, (result.invalid, result.messages)
    assert message.lower() in result.messages.lower()
    assert row_counts() == before


def test_a_worker_known_under_another_name_is_taken_in_once_the_warning_is_confirmed(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    known = intake_case(mediator, workers=("张三",))
    id_number = known.workers[0].id_number
    form = intake_form(**{"workers-0-id_number": id_number, "workers-0-name": "张叁"})
    before = row_counts()
    result = page(browser.post("/cases/new", data=form))
    assert result.status == 409 and "confirm" in result.fields
    warnings = result.text[result.text.index('id="intake-warnings"'):]
    assert "张三" in warnings and known.number in warnings  # a case of the mediator's own region: named
    assert row_counts() == before
    made = browser.post("/cases/new", data={**form, "confirm": "y"})
    assert made.status_code == 302
    names = db.session.scalars(select(Worker.name).where(Worker.id_number == id_number).order_by(Worker.id)).all()
    assert names == ["张三", "张叁"]  # the known case's worker is as it was recorded


def test_an_intake_error_marks_the_row_it_concerns_when_a_blank_row_comes_before_it(signed_in):
    """The service names its workers by position among the filled rows; the page maps them back
    to the grid's rows once (IntakeForm.field_name), blank rows included."""
    _, browser = signed_in("mediator", "220100")
    form = intake_form(workers=2, **{"workers-0-name": "", "workers-0-id_number": "", "workers-0-phone": "",
                                     "workers-0-wages": ""})
    number = form["workers-1-id_number"]
    form["workers-1-id_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")  # a wrong check digit
    before = row_counts()

    result = page(browser.post("/cases/new", data=form))

    assert result.status == 400
    assert "workers-1-id_number" in result.invalid and "workers-0-id_number" not in result.invalid, result.invalid
    assert "check digit" in result.messages.lower()
    assert row_counts() == before


def test_a_warning_names_the_row_it_concerns_when_a_blank_row_comes_before_it(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    known = intake_case(mediator, workers=("张三",))
    form = intake_form(workers=2, **{"workers-0-name": "", "workers-0-id_number": "", "workers-0-phone": "",
                                     "workers-0-wages": "", "workers-1-name": "张叁",
                                     "workers-1-id_number": known.workers[0].id_number})
    result = page(browser.post("/cases/new", data=form))
    assert result.status == 409
    warnings = result.text[result.text.index('id="intake-warnings"'):]
    assert "Worker 2:" in warnings and "Worker 1:" not in warnings


def test_a_worker_of_another_region_is_not_named_on_the_intake_page(signed_in):
    """Finding 1 through the page: a Yanbian mediator with a Changchun worker's ID number."""
    changchun = intake_case(signed_in("mediator", "220100")[0], workers=("韩萍",))
    _yanbian, browser = signed_in("mediator", "222400")
    form = intake_form(region="222401", **{"workers-0-id_number": changchun.workers[0].id_number,
                                           "workers-0-name": "金哲"})
    result = page(browser.post("/cases/new", data=form))
    assert result.status == 409
    for secret in ("韩萍", changchun.number, "13812345678", changchun.employer.name):
        assert secret not in result.text
    assert "already on record under a different name" in result.text


@pytest.mark.parametrize("role", ["lawyer", "supervisor"])
def test_only_mediators_and_admins_take_in_cases(signed_in, role):
    _, browser = signed_in(role, "220100")
    assert browser.get("/cases/new").status_code == 403
    before = row_counts()
    assert browser.post("/cases/new", data=intake_form()).status_code == 403
    assert row_counts() == before


def test_the_history_names_the_lawyer_assigned_and_each_payments_worker_and_amount(signed_in):
    from mediation.web.commit import commit
    from tests.factories import pay_in_full

    mediator, browser = signed_in("mediator", "220100")
    case = make_case("effective", region="220102", mediator=mediator, workers=2)
    pay_in_full(case)
    commit()
    shown = browser.get(f"/cases/{case.number}").get_data(as_text=True)
    history = shown[shown.index('id="history"'):]
    assigned = [item.split("</li>")[0] for item in re.split(r'data-action="(?:assign|assign_lawyer)"', history)[1:]]
    assert assigned and any(case.lawyer.full_name in item for item in assigned), assigned
    payments = [item.split("</li>")[0] for item in history.split('data-action="payment"')[1:]]
    assert len(payments) == 2
    for worker in case.workers:
        owed = case.agreed_for(worker)
        assert any(worker.name in item and f"{owed / 100:,.2f}" in item for item in payments), payments
