"""In a real browser: a mediator logs a hotline consultation, finds it in their list, and takes it
in as a mediation case from its page; the intake page comes filled in, and the case and the
consultation link to each other."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from mediation.models import Consultation
from tests.factories import credit_code, make_user, resident_id

pytestmark = pytest.mark.browser


def test_a_hotline_consultation_becomes_a_case(page, live_server):
    mediator = make_user("mediator", "220102", username="med_consult")
    username = mediator.username
    db.session.remove()  # SQLite: end our transaction before the live server writes

    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_url(f"{live_server}/")

    page.click("#nav-consultations")
    page.click("#new-consultation")
    page.select_option("#channel", "hotline")
    page.fill("#duration_minutes", "25")
    page.select_option("#topic", "wages")
    page.fill("#question", "工地拖欠我两个月工资，包工头说等结算。")
    page.fill("#answer", "建议保留考勤记录，可申请工会调解。")
    page.fill("#worker_name", "赵师傅")
    page.fill("#worker_phone", "13912345678")
    page.fill("#employer_name", "长春宏达建筑工程有限公司")
    page.click("#save-consultation")
    page.wait_for_selector("#consultation-fields")
    assert page.inner_text("#worker-phone") == "139****5678"

    page.click("#nav-consultations")
    page.select_option("#mine", "1")
    page.click("#consultation-filters button[type=submit]")
    assert page.locator("#consultation-table tbody tr[data-id]").count() == 1
    page.click("#consultation-table tbody tr[data-id] a")

    page.click("#take-in-as-case")
    page.wait_for_selector("#intake-from-consultation")
    assert page.input_value("#employer_name") == "长春宏达建筑工程有限公司"
    assert page.input_value("#workers-0-name") == "赵师傅"
    assert page.input_value("#region_code") == "220102"
    page.fill("#employer_uscc", credit_code(4343))
    page.fill("#workers-0-id_number", resident_id(3))
    page.fill("#workers-0-wages", "9000.00")
    page.click("#submit-intake")
    page.wait_for_selector("#case-number")
    number = page.inner_text("#case-number")
    assert page.locator("#from-consultation a").count() == 1

    page.click("#from-consultation a")
    page.wait_for_selector("#consultation-case")
    assert number in page.inner_text("#consultation-case")
    assert page.locator("#take-in-as-case").count() == 0
    db.session.remove()
    linked = db.session.execute(db.select(Consultation)).scalar_one()
    assert linked.case.number == number
