"""The main journey in a real browser: a mediator takes in a collective case of 12 workers,
refers it, starts mediation, settles it and reads its history, then corrects a worker's phone
and finds the correction in the history, masked."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from mediation.models import Case
from tests.factories import credit_code, make_user, make_venue, resident_id

pytestmark = pytest.mark.browser


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_url(f"{base_url}/")


def test_collective_case_from_intake_to_settlement(page, live_server, artifacts_dir):
    mediator = make_user("mediator", "220100", username="med_browser")
    lawyer = make_user("lawyer", "220100", username="law_browser")
    venue = make_venue("220100", name="长春市中级人民法院劳动争议调解工作室")
    mediator_name, lawyer_id, venue_id = mediator.username, lawyer.id, venue.id
    # Outside a request every transaction takes SQLite's write lock: end ours before the
    # live server needs it.
    db.session.remove()

    _sign_in(page, live_server, mediator_name)
    page.click("#nav-new-case")
    page.select_option("#channel", "court")
    page.fill("#referral_ref", "（2026）吉01民诉前调1234号")
    page.select_option("#region_code", "220102")
    page.fill("#employer_name", "长春宏达建筑工程有限公司")
    page.fill("#employer_uscc", credit_code(4242))
    page.fill("#summary", "用人单位拖欠12名劳动者三个月工资。")
    for _ in range(11):
        page.click("#add-worker")
    assert page.locator("tr.worker-row").count() == 12
    for index in range(12):
        page.fill(f"#workers-{index}-name", f"工人{index + 1:02d}")
        page.fill(f"#workers-{index}-id_number", resident_id(index + 1))
        page.fill(f"#workers-{index}-phone", f"1381234{index:04d}")
        page.fill(f"#workers-{index}-wages", "15000.00")
    page.click("#submit-intake")
    page.wait_for_selector("#case-number")
    number = page.inner_text("#case-number")
    assert "集体争议" in page.content() or "Collective" in page.content()

    page.click('a[data-action="refer"]')
    page.select_option("#venue_id", str(venue_id))
    page.click("#confirm-action")
    page.wait_for_selector("#proposal")  # referral leads straight to the lawyer proposal

    page.check(f"#lawyer-{lawyer_id}")
    page.fill("#reason", "唯一可用的工会律师")  # harmless if the lawyer is the first proposal
    page.click("#confirm-assign")
    page.wait_for_selector("#case-lawyer")

    page.click('a[data-action="start_mediation"]')
    page.click("#confirm-action")
    page.wait_for_selector('[data-state="mediating"]')

    page.click('a[data-action="settle"]')
    amounts = page.locator("input.agreed-amount")
    assert amounts.count() == 12
    for index in range(12):
        amounts.nth(index).fill("12000.00")
    page.click("#confirm-action")
    page.wait_for_selector('[data-state="settled"]')

    history = page.locator("#history li")
    actions = [history.nth(i).get_attribute("data-action") for i in range(history.count())]
    assert actions == ["settle", "start_mediation", "assign_lawyer", "refer", "assign", "intake"]
    page.screenshot(path=str(artifacts_dir / "case-journey-settled.png"), full_page=True)

    # the first worker changed phones: corrected on this case, with a reason, in its history
    page.locator('a[data-correct^="worker:"]').first.click()
    page.wait_for_selector("#correction-parties")
    assert page.input_value("#phone") == ""  # the full number is never in the form
    page.fill("#phone", "13900001111")
    page.fill("#reason", "劳动者更换了手机号码")
    page.click("#confirm-action")
    page.wait_for_selector('#history li[data-action="correct_party"]')
    corrected = page.inner_text('#history li[data-action="correct_party"]')
    assert "138****0000 → 139****1111" in corrected and "劳动者更换了手机号码" in corrected
    assert "13900001111" not in page.content()
    page.screenshot(path=str(artifacts_dir / "case-journey-corrected.png"), full_page=True)

    db.session.expire_all()
    case = db.session.execute(db.select(Case).where(Case.number == number)).scalar_one()
    assert case.state == "settled" and case.worker_count == 12 and case.is_collective
    assert case.agreed_fen == 12 * 1_200_000 and case.claimed_fen == 12 * 1_500_000
    assert case.lawyer_id == lawyer_id and case.venue_id == venue_id
    assert [w.phone for w in case.workers][:2] == ["13900001111", "13812340001"]
