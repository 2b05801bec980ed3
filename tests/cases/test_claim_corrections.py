"""Correcting a worker's claims before settlement: amounts per claim kind, a kind added or
removed, with a reason and an event; refused once the case is settled; the statistics follow."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from mediation.cases.claims import claims_correct, current_amounts
from mediation.common.errors import Conflict, NotPermitted, Refused, ValidationFailed
from mediation.extensions import db
from mediation.models import Case, StatsMonth
from mediation.stats import summary
from mediation.web.commit import commit
from tests.cases.unchanged import english, nothing_written
from tests.factories import make_case, make_user
from tests.web.conftest import follow, page, reload_case

REASON = "申请书金额笔误"


def correct(case, amounts, reason=REASON, actor=None, version=None):  # noqa: ANN001, ANN201
    claims_correct(case=case, actor=actor or case.mediator, expected_version=version, amounts=amounts, reason=reason)
    commit()


def claimed_in_summary(case: Case) -> int:
    """The case's claimed amount as the kept monthly summary counts it (its region's row)."""
    month = case.received_on.replace(day=1)
    return db.session.scalar(db.select(db.func.sum(StatsMonth.claimed)).where(
        StatsMonth.month == month, StatsMonth.dimension == "region", StatsMonth.region_code == case.region_code))


def test_amounts_are_changed_added_and_removed_with_an_event_holding_before_and_after(app):
    case = make_case("mediating", workers=2, claim_kind="wages")  # 12,000.00 each
    first, second = (w.id for w in case.workers)
    claimed_before = claimed_in_summary(case)

    correct(case, {(first, "wages"): 11_000_00, (first, "overtime"): 800_00, (second, "severance"): 5_000_00})

    case = reload_case(case)
    assert current_amounts(case) == {(first, "wages"): 11_000_00, (first, "overtime"): 800_00,
                                     (second, "severance"): 5_000_00}
    assert case.claimed_fen == 16_800_00 and case.dispute_kinds == ["wages", "overtime", "severance"]
    event = case.events[-1]
    assert (event.action, event.note) == ("correct_claims", REASON)
    assert event.detail["before"] == {str(first): {"wages": 12_000_00}, str(second): {"wages": 12_000_00}}
    assert event.detail["after"][str(second)] == {"severance": 5_000_00}
    assert event.detail["claimed_fen"] == {"before": 24_000_00, "after": 16_800_00}
    # the statistics follow: the commit point kept the case's part, equal to a recomputation
    assert claimed_in_summary(case) == claimed_before - 7_200_00
    assert summary.verify(db.session.connection()) == []


@pytest.mark.parametrize("state", ["intake", "referred", "mediating"])
def test_claims_can_be_corrected_in_every_state_before_settlement(app, state):
    case = make_case(state)
    worker = case.workers[0].id
    correct(case, {(worker, "wages"): 9_000_00})
    assert reload_case(case).claimed_fen == 9_000_00


@pytest.mark.parametrize("state, says", [
    ("settled", "settled"), ("effective", "settled"), ("enforcing", "settled"), ("closed", "settled"),
    ("failed", "ended"), ("withdrawn", "ended"), ("rejected", "ended"),
])
def test_refused_once_settled_or_ended_saying_so(app, state, says):
    case = make_case(state)
    with force_locale("en"), nothing_written(Refused, case) as refused:
        claims_correct(case=case, actor=case.mediator, expected_version=None,
                       amounts={(case.workers[0].id, "wages"): 1_00}, reason=REASON)
    assert says in english(refused.value.message)


def _bad(case: Case, name: str) -> tuple[dict, str]:
    """(amounts, the field the refusal names)."""
    worker = case.workers[0].id
    wages, stranger = f"claim-{worker}-wages", worker + 10_000
    return {
        "zero": ({(worker, "wages"): 0}, wages),
        "negative": ({(worker, "wages"): -100}, wages),
        "absurd": ({(worker, "wages"): 10_000_000_01}, wages),
        "a float": ({(worker, "wages"): 1200.5}, wages),
        "text": ({(worker, "wages"): "1200"}, wages),
        "a boolean": ({(worker, "wages"): True}, wages),
        "unknown kind": ({(worker, "wages"): 100, (worker, "bonus"): 100}, f"claim-{worker}-bonus"),
        "another case's worker": ({(worker, "wages"): 100, (stranger, "wages"): 100}, f"claim-{stranger}-wages"),
    }[name]


BAD = ["zero", "negative", "absurd", "a float", "text", "a boolean", "unknown kind", "another case's worker"]


@pytest.mark.parametrize("name", BAD)
def test_bad_amounts_are_refused_naming_the_field(app, name):
    case = make_case("mediating")
    amounts, field = _bad(case, name)
    with nothing_written(ValidationFailed, case, field):
        claims_correct(case=case, actor=case.mediator, expected_version=None, amounts=amounts, reason=REASON)


def test_every_worker_keeps_a_claim(app):
    case = make_case("mediating", workers=2)
    first, second = (w.id for w in case.workers)
    with nothing_written(ValidationFailed, case, f"claims-{second}"):
        claims_correct(case=case, actor=case.mediator, expected_version=None,
                       amounts={(first, "wages"): 100}, reason=REASON)


@pytest.mark.parametrize("reason", ["", "   ", "理" * 2001, None])  # a number: the edge's (tests/api)
def test_a_reason_is_required(app, reason):
    case = make_case("mediating")
    with nothing_written(ValidationFailed, case, "reason"):
        claims_correct(case=case, actor=case.mediator, expected_version=None,
                       amounts={(case.workers[0].id, "wages"): 100}, reason=reason)


def test_nothing_to_correct_is_said(app):
    case = make_case("mediating")
    with nothing_written(ValidationFailed, case, "claims"):
        claims_correct(case=case, actor=case.mediator, expected_version=None, amounts=current_amounts(case),
                       reason=REASON)


def test_a_stale_version_and_outsiders_are_refused(app):
    case = make_case("mediating")
    amounts = {(case.workers[0].id, "wages"): 100}
    with nothing_written(Conflict, case):
        claims_correct(case=case, actor=case.mediator, expected_version=case.version - 1, amounts=amounts,
                       reason=REASON)
    for outsider in (make_user("supervisor", "220100"), make_user("lawyer", "220100"),
                     make_user("mediator", "222400")):
        with nothing_written(NotPermitted, case):
            claims_correct(case=case, actor=outsider, expected_version=None, amounts=amounts, reason=REASON)


# --- the page -----------------------------------------------------------------------------------------

def test_a_claimed_amount_can_be_corrected_before_settlement(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    worker = case.workers[0]
    form = page(browser.get(f"/cases/{case.number}/correct_claims"))
    assert form.status == 200 and form.value(f"claim-{worker.id}-wages") == "12000.00"
    assert form.value(f"claim-{worker.id}-overtime") == ""

    response = browser.post(f"/cases/{case.number}/correct_claims", data={
        "version": form.value("version"), f"claim-{worker.id}-wages": "11000.00",
        f"claim-{worker.id}-overtime": "800.00", "reason": REASON})

    assert response.status_code == 302, page(response).messages
    shown = follow(browser, response)
    assert "The claims have been corrected." in shown.alerts
    assert 'data-action="correct_claims"' in shown.text and REASON in shown.text
    case = reload_case(case)
    assert sorted((item.kind, item.claimed_fen) for item in case.claims) == [("overtime", 800_00), ("wages", 11000_00)]


@pytest.mark.parametrize("amount, message", [
    ("-1", "cannot be negative"), ("0", "greater than zero"), ("10000000.01", "too large"), ("abc", "Enter an amount"),
    ("1.234", "two decimals"),
])
def test_the_page_refuses_bad_amounts_as_intake_does(signed_in, amount, message):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    worker = case.workers[0]
    result = page(browser.post(f"/cases/{case.number}/correct_claims", data={
        "version": str(case.version), f"claim-{worker.id}-wages": amount, "reason": REASON}))
    assert result.status == 400 and f"claim-{worker.id}-wages" in result.invalid
    assert message in result.messages
    assert reload_case(case).claimed_fen == 12_000_00


def test_the_page_of_a_settled_case_sends_back_and_a_post_is_refused(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("settled", mediator=mediator)
    worker = case.workers[0]
    assert browser.get(f"/cases/{case.number}/correct_claims").status_code == 302
    result = page(browser.post(f"/cases/{case.number}/correct_claims", data={
        "version": str(case.version), f"claim-{worker.id}-wages": "100.00", "reason": REASON}))
    assert result.status == 409 and any("settled" in alert for alert in result.alerts), result.alerts
    assert reload_case(case).claimed_fen == 12_000_00
