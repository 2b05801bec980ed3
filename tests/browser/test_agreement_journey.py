"""From agreed terms to the last payment in a real browser: the mediator sets a schedule in two
installments, prints the agreement, records every signature, downloads the PDF, records two
partial payments, sees the first installment overdue, starts enforcement by judicial
confirmation, prints the application, records the court's ruling, records the final payment
through that path and closes the case. A stranger then checks the PDF on the public page: the
genuine file passes and a copy with one byte changed does not."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_case, make_user

pytestmark = pytest.mark.browser


def _day(offset: int) -> str:
    return (today() + dt.timedelta(days=offset)).isoformat()


def _state(page) -> str:  # noqa: ANN001
    return page.get_attribute("#case-number ~ [data-state]", "data-state")


def _act(page, action: str) -> None:  # noqa: ANN001
    page.click(f'[data-action="{action}"]')
    page.wait_for_selector("#action-form")


def _submit(page) -> None:  # noqa: ANN001
    page.click("#confirm-action")
    page.wait_for_selector("#case-number")


def _pay(page, worker_id: int, amount: str, path_id: str = "") -> None:  # noqa: ANN001
    _act(page, "payment")
    page.select_option("#worker_id", str(worker_id))
    page.fill("#amount", amount)
    page.select_option("#method", "court_account" if path_id else "bank_transfer")
    page.select_option("#enforcement_path_id", path_id)
    _submit(page)


def test_agreement_payments_and_enforcement(page, live_server, artifacts_dir):
    mediator = make_user("mediator", "220100", username="med_agreement")
    case = make_case("settled", mediator=mediator, started_on=today() - dt.timedelta(days=20))
    number, worker_id, username = case.number, case.workers[0].id, mediator.username
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock
    case_url = f"{live_server}/cases/{number}"

    _sign_in(page, live_server, username)
    page.goto(case_url)
    assert page.inner_text("#agreement-status") == "草稿"

    # The schedule: 4,000.00 due five days ago, 8,000.00 due in twenty days.
    _act(page, "installments")
    assert page.input_value("#rows-0-amount") == "12000.00"  # starts from the agreed amount
    page.fill("#rows-0-due_on", _day(-5))
    page.fill("#rows-0-amount", "4000.00")
    page.select_option("#rows-1-worker_id", str(worker_id))
    page.fill("#rows-1-due_on", _day(20))
    page.fill("#rows-1-amount", "8000.00")
    _submit(page)
    assert page.locator("#schedule-table tbody tr").count() == 2

    page.click('[data-action="generate_agreement"]')
    page.wait_for_selector('#documents-table tr[data-kind="agreement"]')

    # Every signature at once, ten days ago: the agreement takes effect on that day.
    _act(page, "sign")
    page.click("#select-all-parties")
    assert page.locator("#parties input:checked").count() == 4  # the worker, employer, mediator, seal
    page.fill("#signed_on", _day(-10))
    _submit(page)
    assert page.inner_text("#agreement-status") == f"自 {_day(-10)} 起生效"
    assert page.locator("#signatures-table tr.signed").count() == 4
    assert page.locator("#jc-window").count() == 1

    agreement = page.request.get(f"{case_url}/documents/agreement/1.pdf")
    assert agreement.ok and agreement.headers["content-type"] == "application/pdf"
    genuine = agreement.body()
    assert genuine.startswith(b"%PDF-")

    # Two partial payments leave the first installment short and overdue.
    _pay(page, worker_id, "1000.00")
    _pay(page, worker_id, "500.00")
    rows = page.locator("#schedule-table tbody tr")
    assert [rows.nth(i).get_attribute("data-status") for i in range(2)] == ["overdue", "due"]
    assert page.inner_text("#total-paid") == "1,500.00" and page.inner_text("#total-outstanding") == "10,500.00"

    # Judicial confirmation, inside its thirty-day window: it needs no default and moves no state.
    assert page.get_attribute("#jc-window", "data-open") == "yes"
    _act(page, "apply_confirmation")
    page.fill("#court", "长春市朝阳区人民法院")
    _submit(page)
    assert _state(page) == "settled"
    path = page.locator("#enforcement-table tbody tr").first
    path_id = path.get_attribute("data-path")
    assert path.get_attribute("data-outcome") == "pending"

    page.click('[data-action="generate_application"]')
    page.wait_for_selector('#documents-table tr[data-kind="jc_application"]')
    application = page.request.get(f"{case_url}/documents/jc_application/1.pdf")
    assert application.ok and application.body().startswith(b"%PDF-")

    _act(page, "enforcement_outcome")
    page.select_option("#path_id", path_id)
    page.select_option("#outcome", "granted")
    _submit(page)
    assert page.get_attribute(f'#enforcement-table tr[data-path="{path_id}"]', "data-outcome") == "granted"

    # The rest, recovered through the court, and the case closes with nothing written off.
    _pay(page, worker_id, "10500.00", path_id)
    assert page.inner_text("#total-outstanding") == "0.00"
    assert [rows.nth(i).get_attribute("data-status") for i in range(2)] == ["paid", "paid"]
    _act(page, "close")
    _submit(page)
    assert _state(page) == "closed"
    page.screenshot(path=str(artifacts_dir / "agreement-journey-closed.png"), full_page=True)

    db.session.expire_all()
    closed = db.session.execute(db.select(Case).where(Case.number == number)).scalar_one()
    assert (closed.paid_fen, closed.written_off_fen, closed.recovered_by_enforcement_fen) == (1_200_000, 0, 1_050_000)
    db.session.remove()

    # Anyone may check the printed agreement, without signing in.
    stranger = page.context.browser.new_context(locale="zh-CN")
    check = stranger.new_page()
    for content, expected in ((genuine, "current"), (genuine[:-200] + b"X" + genuine[-199:], "not_genuine")):
        check.goto(f"{live_server}/verify")
        check.set_input_files("#pdf", files=[{"name": "agreement.pdf", "mimeType": "application/pdf",
                                              "buffer": content}])
        check.click("form button[type=submit]")
        check.wait_for_selector("#verify-result")
        assert check.get_attribute("#verify-result", "data-result") == expected
    stranger.close()
