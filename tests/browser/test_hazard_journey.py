"""A union lawyer records a hazard at an employer in a real browser, adds a step, generates the
supervision notice and closes the hazard; the list then shows it closed."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from tests.browser.test_case_journey import _sign_in
from tests.factories import credit_code, make_user

pytestmark = pytest.mark.browser


def test_lawyer_records_a_hazard_adds_a_step_and_closes_it(page, live_server, artifacts_dir):
    lawyer = make_user("lawyer", "220100", username="lawyer_hazard")
    username, uscc = lawyer.username, credit_code()
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock

    _sign_in(page, live_server, username)
    page.click("#nav-hazards")
    page.click("#new-hazard")
    page.select_option("#region_code", "220102")
    page.fill("#employer_uscc", uscc)
    page.fill("#employer_name", "浏览器测试建材有限公司")
    page.select_option("#kind", "wage_arrears")
    page.select_option("#level", "high")
    page.fill("#workers_affected", "0")  # refused: the field says why, nothing is recorded
    page.fill("#amount", "350000.00")
    page.click("#save-hazard")
    page.wait_for_selector("#workers_affected.is-invalid")
    page.fill("#workers_affected", "48")
    page.click("#save-hazard")
    page.wait_for_selector("#hazard-facts")
    assert "浏览器测试建材有限公司" in page.inner_text("h1") and "350,000.00" in page.inner_text("#hazard-facts")

    page.fill("#text", "约谈企业负责人，要求十日内补发工资。")
    page.click("#add-step")
    page.wait_for_selector('#hazard-steps li[data-seq="1"]')
    assert "约谈企业负责人" in page.inner_text("#hazard-steps")

    page.click("#make-notice")
    page.wait_for_selector('#hazard-notices li[data-version="1"]')
    code = page.inner_text('#hazard-notices li[data-version="1"] code')
    page.screenshot(path=str(artifacts_dir / "hazard-open.png"), full_page=True)

    page.select_option("#outcome", "resolved")
    page.fill("#note", "工资已补发。")
    page.click("#close-hazard")
    page.wait_for_selector('#hazard-status[data-status="closed"]')
    assert page.locator("#step-form").count() == 0

    page.goto(f"{live_server}/verify?code={code}")
    assert page.get_attribute("#verify-result", "data-result") == "current"
    page.goto(f"{live_server}/hazards?status=closed")
    assert "浏览器测试建材有限公司" in page.inner_text("#hazard-table")
