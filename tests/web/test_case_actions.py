"""The action pages of a case through their forms: success, bad input, refusals and conflicts."""

from __future__ import annotations

import pytest

from mediation.case_core.operations import OPERATIONS
from mediation.extensions import db
from mediation.models import MediationSession, Payment
from mediation.settlements import ledger
from tests.factories import make_case, make_user
from tests.web.conftest import action_form, days_ago, events_of, follow, page, reload_case, sync, yuan

CONFLICT = "Someone else changed this case while you were working on it."


@pytest.fixture
def mediator_browser(signed_in):
    """(mediator, client): the mediator of the cases made in the test, signed in."""
    return signed_in("mediator", "220100")


def _case(state: str, mediator, **kwargs):
    return make_case(state, mediator=mediator, **kwargs)


def test_refer_through_the_form(mediator_browser, venue):
    mediator, browser = mediator_browser
    case = _case("intake", mediator)
    lawyer = make_user("lawyer", "220100")
    form = page(browser.get(f"/cases/{case.number}/refer"))
    assert form.status == 200 and form.value("version") == str(case.version)

    # The lawyer is chosen on the proposal page: a lawyer_id smuggled into this form is ignored.
    response = browser.post(f"/cases/{case.number}/refer", data={
        "version": form.value("version"), "venue_id": str(venue.id), "lawyer_id": str(lawyer.id), "note": "转交"})

    assert response.status_code == 302
    # with no lawyer yet, the referral leads straight to the lawyer proposal
    assert response.headers["Location"].endswith(f"/cases/{case.number}/lawyer")
    assert "The case has been referred." in follow(browser, response).alerts
    case = reload_case(case)
    assert (case.state, case.venue_id, case.lawyer_id) == ("referred", venue.id, None)
    assert events_of(case)[-2:] == ["assign", "refer"]


def test_refer_without_a_venue_names_the_venue(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("intake", mediator)
    result = page(browser.post(f"/cases/{case.number}/refer", data=action_form("refer", case, venue_id=None)))
    assert result.status == 400 and "venue_id" in result.invalid
    assert reload_case(case).state == "intake"


def test_start_mediation_sets_the_statutory_deadline(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("referred", mediator)
    response = browser.post(f"/cases/{case.number}/start_mediation",
                            data=action_form("start_mediation", case, started_on=days_ago(1).isoformat()))
    assert response.status_code == 302
    case = reload_case(case)
    assert case.state == "mediating"
    assert case.mediation_started_on == days_ago(1) and case.mediation_due_on >= days_ago(-14)


# Days ago, not dates: a date computed when the tests are collected may be "today" by the time a
# long run reaches it (the suite can cross midnight in Beijing).
@pytest.mark.parametrize("held_ago, status", [(0, 302), (-1, 400), (30, 400)])
def test_record_a_session(mediator_browser, held_ago, status):
    held_on = days_ago(held_ago)
    mediator, browser = mediator_browser
    case = _case("mediating", mediator)
    version = case.version
    result = browser.post(f"/cases/{case.number}/session",
                          data=action_form("session", case, held_on=held_on.isoformat()))
    assert result.status_code == status
    sync()
    sessions = db.session.query(MediationSession).filter_by(case_id=case.id).count()
    assert sessions == (1 if status == 302 else 0)
    assert (reload_case(case).version > version) == (status == 302)
    if status == 400:
        assert "held_on" in page(result).invalid


def test_extend_once_then_refused(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("mediating", mediator)
    due = case.mediation_due_on

    first = browser.post(f"/cases/{case.number}/extend", data=action_form("extend", case, days="10"))
    assert first.status_code == 302
    case = reload_case(case)
    assert case.extended and case.mediation_due_on > due
    extended_due = case.mediation_due_on

    assert browser.get(f"/cases/{case.number}/extend").status_code == 302  # no second form
    second = page(browser.post(f"/cases/{case.number}/extend", data=action_form("extend", case, days="10")))
    assert second.status == 409
    assert "The mediation period has already been extended once." in second.alerts
    assert reload_case(case).mediation_due_on == extended_due


@pytest.mark.parametrize("change, field", [
    ({"days": "0"}, "days"), ({"days": "99"}, "days"), ({"days": "ten"}, "days"), ({"agreement": ""}, "agreement"),
])
def test_extend_with_bad_input(mediator_browser, change, field):
    mediator, browser = mediator_browser
    case = _case("mediating", mediator)
    result = page(browser.post(f"/cases/{case.number}/extend", data=action_form("extend", case, **change)))
    assert result.status == 400 and field in result.invalid
    assert not reload_case(case).extended


def test_settle_with_amounts(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("mediating", mediator, workers=2)
    form = page(browser.get(f"/cases/{case.number}/settle"))
    amounts = {f"agreed-{item.id}": "3000.50" for item in case.claims}
    assert set(amounts) <= set(form.fields)

    response = browser.post(f"/cases/{case.number}/settle",
                            data=action_form("settle", case, **amounts))

    assert response.status_code == 302
    case = reload_case(case)
    assert case.state == "settled"
    assert [item.agreed_fen for item in case.claims] == [300050, 300050]


@pytest.mark.parametrize("amount, message", [("", "This field is required."), ("-1", "cannot be negative"),
                                             ("12.345", "two decimals"), ("abc", "amount in yuan")])
def test_settle_with_a_bad_amount_names_the_field(mediator_browser, amount, message):
    mediator, browser = mediator_browser
    case = _case("mediating", mediator, workers=2)
    first, second = case.claims
    result = page(browser.post(f"/cases/{case.number}/settle",
                               data=action_form("settle", case, **{f"agreed-{second.id}": amount})))
    assert result.status == 400
    assert result.invalid == {f"agreed-{second.id}"}
    assert message.lower() in result.messages.lower()
    case = reload_case(case)
    assert case.state == "mediating" and all(item.agreed_fen is None for item in case.claims)


def test_settle_for_nothing_is_refused_by_the_guard(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("mediating", mediator, workers=2)
    zeros = {f"agreed-{item.id}": "0" for item in case.claims}
    result = page(browser.post(f"/cases/{case.number}/settle", data=action_form("settle", case, **zeros)))
    assert result.status == 409
    assert "The agreed total must be greater than zero." in result.alerts
    case = reload_case(case)
    assert case.state == "mediating" and all(item.agreed_fen is None for item in case.claims)


@pytest.mark.parametrize("action, state, outcome", [
    ("fail", "mediating", "failed"), ("withdraw", "referred", "withdrawn"), ("reject", "intake", "rejected"),
])
def test_ending_a_case_needs_a_reason(mediator_browser, action, state, outcome):
    mediator, browser = mediator_browser
    case = _case(state, mediator)

    for blank in ("", "   "):
        result = page(browser.post(f"/cases/{case.number}/{action}", data=action_form(action, case, reason=blank)))
        assert result.status == 400 and "reason" in result.invalid, result.messages
        assert reload_case(case).state == state

    response = browser.post(f"/cases/{case.number}/{action}", data=action_form(action, case, reason="双方差距过大"))
    assert response.status_code == 302
    case = reload_case(case)
    assert case.state == outcome and case.outcome_reason == "双方差距过大"


def test_payments_up_to_what_is_owed_then_close(mediator_browser):
    mediator, browser = mediator_browser
    case = _case("effective", mediator)
    owed = case.outstanding_fen
    url = f"/cases/{case.number}"

    closing = page(browser.post(f"{url}/close", data=action_form("close", case)))
    assert closing.status == 409
    assert "Money is still owed under the agreement: the case cannot be closed yet." in closing.alerts
    assert browser.get(f"{url}/close").status_code == 302

    too_much = page(browser.post(f"{url}/payment", data=action_form("payment", case, amount=yuan(owed + 1))))
    assert too_much.status == 400 and too_much.invalid == {"amount"}
    assert "still owed" in too_much.messages
    sync()
    assert db.session.query(Payment).count() == 0

    paid = browser.post(f"{url}/payment", data=action_form("payment", case, amount=yuan(owed)))
    assert paid.status_code == 302
    case = reload_case(case)
    assert case.outstanding_fen == 0

    closed = browser.post(f"{url}/close", data=action_form("close", case))
    assert closed.status_code == 302 and reload_case(case).state == "closed"


# --- what the state does not allow -----------------------------------------------------------

REFUSING_STATE = {
    "assign": "mediating", "refer": "mediating", "start_mediation": "intake", "session": "intake",
    "extend": "referred", "settle": "referred", "fail": "referred", "withdraw": "settled",
    "reject": "referred", "payment": "mediating", "close": "mediating", "schedule": "intake",
    "decline": "settled", "installments": "effective", "sign": "mediating", "enforce": "effective",
    "apply_confirmation": "scheduled",
    "enforcement_path": "defaulted", "enforcement_outcome": "settled", "write_off": "effective",
    "correct_claims": "settled", "void_payment": "mediating", "cancel_session": "intake",
    "reschedule_session": "settled", "generate_agreement": "mediating", "correct_party": "closed",
}
LAWYER_ONLY = {"decline"}  # taken by the case's own lawyer; every other action by its mediator


def test_every_action_has_a_refusing_state():
    assert set(OPERATIONS) <= set(REFUSING_STATE)


@pytest.mark.parametrize("action", sorted(OPERATIONS))
def test_an_action_the_state_does_not_allow(mediator_browser, signed_in, venue, action):
    """GET sends the user back to the case with a message; POST is a conflict; nothing changes."""
    mediator, browser = mediator_browser
    lawyer = make_user("lawyer", "220100")
    case = _case(REFUSING_STATE[action], mediator, venue=venue, lawyer=lawyer)
    if action in LAWYER_ONLY:
        _, browser = signed_in(user=lawyer)
    before = (case.state, case.version, events_of(case))
    url = f"/cases/{case.number}/{action}"

    shown = browser.get(url)
    assert shown.status_code == 302 and shown.headers["Location"] == f"/cases/{case.number}"
    assert "This action is not possible in the case's current state." in follow(browser, shown).alerts

    result = page(browser.post(url, data=action_form(action, case, venue_id=venue.id)))
    assert result.status == 409, result.messages
    assert result.alerts  # the reason is said
    case = reload_case(case)
    assert (case.state, case.version, events_of(case)) == before


# --- a stale form ----------------------------------------------------------------------------

@pytest.mark.parametrize("action, state, meanwhile", [
    ("fail", "mediating", "session"), ("settle", "mediating", "session"), ("extend", "mediating", "fail"),
    ("session", "mediating", "extend"), ("refer", "intake", "assign"), ("payment", "effective", "payment"),
    ("close", "effective", "close"),
])
def test_a_stale_version_is_a_conflict_and_overwrites_nothing(mediator_browser, signed_in, venue,
                                                              action, state, meanwhile):
    """The form is loaded, a colleague changes the case in another browser, the form is sent."""
    mediator, browser = mediator_browser
    case = _case(state, mediator, venue=venue)
    if action == "close":  # paid in full, so only the version stands in the way
        ledger.payment_record(case=case, actor=mediator, expected_version=None, worker_id=case.workers[0].id,
                                amount_fen=case.outstanding_fen, paid_on=None, method="cash")
        db.session.commit()
    loaded = page(browser.get(f"/cases/{case.number}/{action}"))
    assert loaded.status == 200
    stale = action_form(action, case, venue_id=venue.id, version=loaded.value("version"))

    _, colleague = signed_in("admin", "220100")
    change = action_form(meanwhile, case, venue_id=venue.id, amount="1.00")
    assert colleague.post(f"/cases/{case.number}/{meanwhile}", data=change).status_code == 302
    case = reload_case(case)
    snapshot = (case.state, case.version, case.venue_id, case.extended, events_of(case),
                [item.agreed_fen for item in case.claims], len(case.payments), len(case.sessions))

    result = page(browser.post(f"/cases/{case.number}/{action}", data=stale))

    assert result.status == 409
    assert any(CONFLICT in alert for alert in result.alerts), result.alerts
    case = reload_case(case)
    assert (case.state, case.version, case.venue_id, case.extended, events_of(case),
            [item.agreed_fen for item in case.claims], len(case.payments), len(case.sessions)) == snapshot


# Values of the wrong kind are refused by the action's form, naming the field, before its service
# runs (the services take typed input: tests/cases/test_services.py lists what they refuse).
WRONG_KIND = [
    ("extend", "mediating", {"days": "5.0"}, "days"),
    ("extend", "mediating", {"days": ""}, "days"),
    ("start_mediation", "referred", {"started_on": "2030-01-01T08:00"}, "started_on"),
    ("start_mediation", "referred", {"started_on": "yesterday"}, "started_on"),
    ("settle", "mediating", {"settled_on": "2026-02-30"}, "settled_on"),
    ("payment", "effective", {"amount": "100.0.0"}, "amount"),
    ("payment", "effective", {"amount": ""}, "amount"),
    ("payment", "effective", {"worker_id": "abc"}, "worker_id"),
    ("payment", "effective", {"paid_on": "20240101"}, "paid_on"),
]


@pytest.mark.parametrize("action, state, change, field", WRONG_KIND,
                         ids=[f"{row[0]}-{next(iter(row[2]))}-{next(iter(row[2].values()))!r}" for row in WRONG_KIND])
def test_a_value_of_the_wrong_kind_is_refused_by_the_form_naming_the_field(mediator_browser, action, state,
                                                                          change, field):
    mediator, browser = mediator_browser
    case = _case(state, mediator)
    version, before = case.version, case.state
    result = page(browser.post(f"/cases/{case.number}/{action}", data=action_form(action, case, **change)))
    assert result.status == 400 and field in result.invalid, (result.status, result.invalid)
    case = reload_case(case)
    assert (case.version, case.state) == (version, before)
