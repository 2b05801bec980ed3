"""The agreement, payment and enforcement pages through their forms: the schedule grid, the
signatures, payments through a court path, enforcement, the application PDF and the write-off;
bad input, refusals, other regions and stale forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import workflows
from mediation.common.timeutil import today
from mediation.enforcement.services import jc_application_generate
from mediation.extensions import db
from mediation.models import CaseDocument, Installment, Signature
from tests.factories import VERIFY_URL, make_case, make_effective
from tests.settlements.conftest import pdf_pages
from tests.web.conftest import action_form, days_ago, events_of, follow, page, reload_case, sync, yuan

CONFLICT = "Someone else changed this case while you were working on it."
DAY = dt.timedelta(days=1)


@pytest.fixture
def mediator_browser(signed_in):
    return signed_in("mediator", "220100")


def _rows(*rows: tuple) -> dict[str, str]:
    """Installment grid rows as (worker id, due date, amount in yuan)."""
    data = {}
    for index, (worker_id, due_on, amount) in enumerate(rows):
        data.update({f"rows-{index}-worker_id": str(worker_id), f"rows-{index}-due_on": due_on.isoformat(),
                     f"rows-{index}-amount": amount})
    return data


def _row_tags(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no #{table_id} on the page"
    return re.findall(r"<tr data-[^>]*>", table.group(0))


def _generate(browser, case) -> None:  # noqa: ANN001
    assert browser.post(f"/cases/{case.number}/generate_agreement").status_code == 302


# --- the schedule ------------------------------------------------------------------------------

def test_the_schedule_form_starts_from_the_agreed_amounts_and_saves_installments(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator, workers=2)
    url = f"/cases/{case.number}/installments"
    form = page(browser.get(url))
    assert form.status == 200
    assert form.value("rows-0-amount") == "12000.00" and form.value("rows-1-amount") == "12000.00"
    w0, w1 = case.workers
    data = {"version": str(case.version), **_rows((w0.id, case.settled_on + 10 * DAY, "5000.00"),
                                                   (w0.id, case.settled_on + 40 * DAY, "7000.00"),
                                                   (w1.id, case.settled_on + 10 * DAY, "12000.00"))}
    shown = follow(browser, browser.post(url, data=data))
    assert "The payment schedule has been saved. Generate the agreement again." in shown.alerts
    statuses = _row_tags(shown.text, "schedule-table")
    assert len(statuses) == 3 and all('data-status="due"' in tag for tag in statuses)
    assert "generate_agreement" in shown.enabled_actions
    assert page(browser.get(url)).value("rows-1-amount") == "7000.00"  # the form shows the saved schedule


@pytest.mark.parametrize(("rows", "invalid", "message"), [
    (lambda c, w: [(w.id, c.settled_on, "11000.00")], set(),
     "add up to 11,000.00 yuan, not the agreed 12,000.00 yuan"),
    (lambda c, w: [(w.id, c.settled_on - DAY, "12000.00")], {"rows-0-due_on"}, "cannot be before the agreement"),
    (lambda c, w: [(w.id, c.settled_on, "-12000.00")], {"rows-0-amount"}, ""),
    (lambda c, w: [(w.id, c.settled_on, "12000.001")], {"rows-0-amount"}, ""),
    (lambda c, w: [(w.id, c.settled_on, "一万二")], {"rows-0-amount"}, ""),
    (lambda c, w: [(w.id, c.settled_on, "12000.0.0")], {"rows-0-amount"}, ""),
    (lambda c, w: [(w.id, c.settled_on, "99999999999")], {"rows-0-amount"}, ""),
    (lambda c, w: [(w.id + 1000, c.settled_on, "12000.00")], {"rows-0-worker_id"}, ""),
])
def test_a_bad_schedule_comes_back_with_the_row_marked(mediator_browser, rows, invalid, message):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator)
    data = {"version": str(case.version), **_rows(*rows(case, case.workers[0]))}
    result = page(browser.post(f"/cases/{case.number}/installments", data=data))
    assert result.status == 400, result.messages
    assert invalid <= result.invalid and (invalid or message)
    assert message in result.messages
    sync()
    assert db.session.query(Installment).count() == 0 and reload_case(case).version == case.version


def test_an_empty_schedule_is_refused(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator)
    result = page(browser.post(f"/cases/{case.number}/installments", data={"version": str(case.version)}))
    assert result.status == 400 and "Enter at least one installment." in result.messages


@pytest.mark.parametrize("due_on", ["2026-13-01", "2026-12-01T09:00", "next month"])
def test_a_due_date_that_is_no_date_is_refused_on_its_row(mediator_browser, due_on):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator)
    data = {"version": str(case.version), **_rows((case.workers[0].id, case.settled_on, "12000.00"))}
    data["rows-0-due_on"] = due_on
    result = page(browser.post(f"/cases/{case.number}/installments", data=data))
    assert result.status == 400 and "rows-0-due_on" in result.invalid, (result.status, result.invalid)
    sync()
    assert db.session.query(Installment).count() == 0


# --- signatures --------------------------------------------------------------------------------

def test_signatures_one_by_one_until_the_agreement_takes_effect(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("scheduled", mediator=mediator)
    url = f"/cases/{case.number}"
    assert "sign" not in page(browser.get(url)).enabled_actions  # nothing to sign yet
    _generate(browser, case)
    detail = page(browser.get(url))
    assert "sign" in detail.enabled_actions and 'id="agreement-status">Draft' in detail.text
    assert all('class="unsigned"' in tag for tag in _row_tags(detail.text, "signatures-table"))

    worker = f"worker:{case.workers[0].id}"
    data = action_form("sign", reload_case(case), parties=[worker, "employer"], signed_on=days_ago(1).isoformat())
    shown = follow(browser, browser.post(f"{url}/sign", data=data))
    assert "The signatures have been recorded." in shown.alerts
    tags = {re.search(r'data-party="([^"]+)"', t).group(1): t for t in _row_tags(shown.text, "signatures-table")}
    assert {p for p, t in tags.items() if 'class="signed"' in t} == {worker, "employer"}
    offered = re.findall(r'<input[^>]*name="parties"[^>]*>', browser.get(f"{url}/sign").get_data(as_text=True))
    assert sorted(re.search(r'value="([^"]+)"', tag).group(1) for tag in offered) == ["mediator", "seal"]

    data = action_form("sign", reload_case(case), parties=["mediator", "seal"])
    shown = follow(browser, browser.post(f"{url}/sign", data=data))
    assert f'id="agreement-status">In effect since {today().isoformat()}' in shown.text  # the latest signature
    assert "sign" not in shown.enabled_actions and "generate_agreement" not in shown.enabled_actions
    assert reload_case(case).agreement_effective_on is not None


@pytest.mark.parametrize(("change", "invalid"), [
    ({"parties": []}, "parties"),
    ({"parties": ["nobody"]}, "parties"),
    ({"signed_on": ""}, "signed_on"),
    ({"signed_on": "2026-13-01"}, "signed_on"),
    ({"signed_on": "2026-01-01T09:00"}, "signed_on"),
    ({"representative": "代" * 101}, "representative"),
])
def test_bad_signatures_come_back_with_the_field_marked(mediator_browser, change, invalid):
    mediator, browser = mediator_browser
    case = make_case("scheduled", mediator=mediator)
    _generate(browser, case)
    result = page(browser.post(f"/cases/{case.number}/sign", data=action_form("sign", reload_case(case), **change)))
    assert result.status == 400 and invalid in result.invalid, (result.status, result.invalid, result.messages)
    sync()
    assert db.session.query(Signature).count() == 0


def test_signing_before_the_agreement_is_generated_says_why(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("scheduled", mediator=mediator)
    result = page(browser.post(f"/cases/{case.number}/sign", data=action_form("sign", case)))
    assert result.status == 409
    assert "Generate the agreement first" in result.messages


def test_a_stale_signature_form_is_a_conflict(mediator_browser, signed_in):
    mediator, browser = mediator_browser
    case = make_case("scheduled", mediator=mediator)
    _generate(browser, case)
    stale = action_form("sign", reload_case(case), parties=["seal"])
    _, colleague = signed_in("admin", "220100")
    assert colleague.post(f"/cases/{case.number}/sign",
                          data=action_form("sign", reload_case(case), parties=["employer"])).status_code == 302
    result = page(browser.post(f"/cases/{case.number}/sign", data=stale))
    assert result.status == 409 and any(CONFLICT in a for a in result.alerts)
    sync()
    assert [s.party for s in db.session.query(Signature)] == ["employer"]


def test_a_stale_schedule_form_is_a_conflict(mediator_browser, signed_in):
    mediator, browser = mediator_browser
    case = make_case("scheduled", mediator=mediator)
    stale = action_form("installments", case)
    _, colleague = signed_in("admin", "220100")
    assert colleague.post(f"/cases/{case.number}/sign", data=action_form("sign", case)).status_code == 409
    _generate(colleague, case)  # a colleague generates the agreement meanwhile: the case changed
    result = page(browser.post(f"/cases/{case.number}/installments", data=stale))
    assert result.status == 409 and any(CONFLICT in a for a in result.alerts)
    sync()
    assert db.session.query(CaseDocument).filter_by(superseded=False).count() == 1  # the draft stands


# --- payments and enforcement ------------------------------------------------------------------

def test_enforcement_journey_through_the_pages(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("defaulted", mediator=mediator, workers=2)
    url = f"/cases/{case.number}"
    detail = page(browser.get(url))
    assert all('data-status="overdue"' in tag for tag in _row_tags(detail.text, "schedule-table"))
    assert {"apply_confirmation", "enforce"} <= set(detail.enabled_actions)
    assert 'id="jc-window" data-open="yes"' in detail.text

    # Judicial confirmation first: the case keeps paying while the court decides.
    applied = follow(browser, browser.post(f"{url}/apply_confirmation", data=action_form("apply_confirmation", case)))
    assert "The application for judicial confirmation has been recorded." in applied.alerts
    [path_tag] = _row_tags(applied.text, "enforcement-table")
    assert 'data-kind="judicial_confirmation"' in path_tag and 'data-outcome="pending"' in path_tag
    assert "generate_application" in applied.enabled_actions and "apply_confirmation" not in applied.enabled_actions
    case = reload_case(case)
    confirmation = case.enforcement_paths[0]
    assert case.state == "settled"

    assert browser.post(f"{url}/enforcement/{confirmation.id}/application").status_code == 302
    pdf = browser.get(f"{url}/documents/jc_application/1.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "司法确认申请书" in " ".join(pdf_pages(pdf.data))
    assert browser.post(f"{url}/enforcement/999999/application").status_code == 404

    decided = follow(browser, browser.post(f"{url}/enforcement_outcome",
                                           data=action_form("enforcement_outcome", case)))
    assert "The outcome has been recorded." in decided.alerts

    # The granted confirmation is the title court enforcement needs; it waited for the default.
    case = reload_case(case)
    started = follow(browser, browser.post(f"{url}/enforce", data=action_form(
        "enforce", case, kind="court_enforcement", court_case_no="(2026)吉0104执1号")))
    assert "Enforcement has started." in started.alerts
    case = reload_case(case)
    enforcement = case.enforcement_paths[1]
    assert (case.state, enforcement.kind) == ("enforcing", "court_enforcement")

    paid = browser.post(f"{url}/payment", data=action_form(
        "payment", case, amount="12000.00", enforcement_path_id=str(enforcement.id), method="court_account"))
    assert paid.status_code == 302
    shown = follow(browser, paid)
    assert "Court enforcement" in shown.text.split('id="payments-table"')[1]

    case = reload_case(case)
    follow(browser, browser.post(f"{url}/enforcement_outcome", data=action_form(
        "enforcement_outcome", case, outcome="refused", note="终结本次执行")))
    case = reload_case(case)
    closed = follow(browser, browser.post(f"{url}/write_off", data=action_form("write_off", case)))
    assert 'id="written-off"' in closed.text and "12,000.00" in closed.text.split('id="written-off"')[1][:300]
    case = reload_case(case)
    assert (case.state, case.written_off_fen, case.recovered_by_enforcement_fen) == ("closed", 1_200_000, 1_200_000)
    assert events_of(case)[-7:] == ["apply_confirmation", "document", "enforcement_outcome", "enforce", "payment",
                                    "enforcement_outcome", "write_off"]


def test_an_agreement_not_yet_due_offers_judicial_confirmation_but_not_enforcement(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator, started_on=days_ago(12))
    make_effective(case, due_on=days_ago(-30), signed_on=days_ago(10))  # day 10; due on day 40
    db.session.commit()
    detail = page(browser.get(f"/cases/{case.number}"))
    window = workflows.judicial_confirmation_deadline(case.agreement_effective_on).due_on.isoformat()
    assert "apply_confirmation" in detail.enabled_actions and "enforce" not in detail.enabled_actions
    assert f"Judicial confirmation can be applied for until {window}." in detail.text
    form = page(browser.get(f"/cases/{case.number}/apply_confirmation"))
    assert form.status == 200 and today().isoformat() in form.text  # applied today unless changed
    done = follow(browser, browser.post(f"/cases/{case.number}/apply_confirmation",
                                        data=action_form("apply_confirmation", case)))
    assert "The application for judicial confirmation has been recorded." in done.alerts
    assert reload_case(case).state == "settled"


@pytest.mark.parametrize(("change", "invalid"), [
    ({"kind": "seizure"}, "kind"),
    ({"kind": "judicial_confirmation"}, "kind"),  # its own action: not a way to start enforcement
    ({"applied_on": ""}, "applied_on"),
    ({"applied_on": "tomorrow"}, "applied_on"),
    ({"court": "法" * 201}, "court"),
    ({"kind": "court_enforcement", "court_case_no": "(2026)吉0104执1号"}, "kind"),
])
def test_bad_enforcement_forms_come_back_marked(mediator_browser, change, invalid):
    mediator, browser = mediator_browser
    case = make_case("defaulted", mediator=mediator)
    result = page(browser.post(f"/cases/{case.number}/enforce", data=action_form("enforce", case, **change)))
    assert result.status == 400 and invalid in result.invalid, (result.invalid, result.messages)
    assert reload_case(case).state == "settled"


def test_a_late_judicial_confirmation_is_refused_with_its_deadline(mediator_browser):
    mediator, browser = mediator_browser
    case = make_case("settled", mediator=mediator, started_on=days_ago(60))
    make_effective(case, due_on=days_ago(-20), signed_on=days_ago(50))  # nothing overdue: no default either
    db.session.commit()
    window = workflows.judicial_confirmation_deadline(case.agreement_effective_on).due_on.isoformat()
    detail = page(browser.get(f"/cases/{case.number}"))
    assert "apply_confirmation" not in detail.enabled_actions
    assert f"The time for applying for judicial confirmation ended on {window}." in detail.text
    result = page(browser.post(f"/cases/{case.number}/apply_confirmation", data=action_form("apply_confirmation",
                                                                                           case)))
    assert result.status == 409 and any(window in alert for alert in result.alerts), result.alerts
    assert reload_case(case).enforcement_paths == []


def test_a_payment_through_another_case_path_is_refused(mediator_browser):
    mediator, browser = mediator_browser
    case, other = make_case("enforcing", mediator=mediator), make_case("enforcing")
    data = action_form("payment", case, enforcement_path_id=str(other.enforcement_paths[0].id))
    result = page(browser.post(f"/cases/{case.number}/payment", data=data))
    assert result.status == 400 and "enforcement_path_id" in result.invalid
    assert reload_case(case).paid_fen == 0


def test_another_regions_application_is_not_found(signed_in):
    case = make_case("enforcing", region="222401")
    jc_application_generate(case=case, actor=case.mediator, path_id=case.enforcement_paths[0].id,
                            verify_url=VERIFY_URL)
    db.session.commit()
    _, outsider = signed_in("mediator", "220100")
    url = f"/cases/{case.number}"
    assert outsider.get(f"{url}/documents/jc_application/1.pdf").status_code == 404
    assert outsider.post(f"{url}/enforcement/{case.enforcement_paths[0].id}/application").status_code == 404
    _, insider = signed_in(user=case.mediator)
    assert insider.get(f"{url}/documents/jc_application/1.pdf").status_code == 200


def test_a_stale_enforcement_form_is_a_conflict(mediator_browser, signed_in):
    mediator, browser = mediator_browser
    case = make_case("defaulted", mediator=mediator)
    stale = action_form("enforce", case)
    _, colleague = signed_in("admin", "220100")
    assert colleague.post(f"/cases/{case.number}/payment",
                          data=action_form("payment", case, amount=yuan(100))).status_code == 302
    result = page(browser.post(f"/cases/{case.number}/enforce", data=stale))
    assert result.status == 409 and any(CONFLICT in a for a in result.alerts)
    case = reload_case(case)
    assert case.state == "settled" and case.enforcement_paths == []
