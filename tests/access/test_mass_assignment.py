"""Mass assignment: a form or JSON body that also sets what it should not (the state, the region,
the owner, the version, money, a role) is refused naming the field, or the field is ignored; in
no case does the column change.

Pages (WTForms) ignore what their form does not declare: those tests post the extra fields and
check every guarded column afterwards. The API (marshmallow, unknown = RAISE) refuses them: 422
`validation_failed` naming each field, and nothing written.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import ApiToken, Case, Payment, User
from tests.api.conftest import assert_problem, counts, field_errors, referral
from tests.conftest import TEST_PASSWORD
from tests.factories import make_case, make_user
from tests.web.conftest import action_form, intake_form, page, reload_case, row_counts, sync

pytestmark = pytest.mark.usefixtures("_request_scoped_clients")

# What a case form must never set, with values that would show if it did.
CASE_EXTRAS = {
    "state": "closed", "region_code": "222401", "mediator_id": "999999", "lawyer_id": "999999", "id": "999999",
    "number": "220102-1999-99999", "version": "", "created_by": "999999", "written_off_fen": "100000",
    "paid_fen": "100000", "paid_total": "100000", "outstanding_fen": "0", "agreement_effective_on": "2020-01-01",
    "settled_on": "2020-01-01", "extended": "y", "history_length": "0", "employer_agent_id": "999999",
}


def guarded(case: Case) -> dict:
    """The columns no form may set directly, and the money derived from the payments."""
    return {name: getattr(case, name) for name in (
        "id", "number", "state", "region_code", "mediator_id", "lawyer_id", "employer_agent_id", "written_off_fen",
        "agreement_effective_on", "settled_on", "extended", "paid_fen", "outstanding_fen")}


def user_columns(user: User) -> dict:
    sync()
    user = db.session.get(User, user.id)
    return {"username": user.username, "role": user.role, "region_code": user.region_code, "active": user.active,
            "full_name": user.full_name}


# --- pages --------------------------------------------------------------------------------------

def test_intake_form_sets_no_state_owner_number_or_money(signed_in):
    me, browser = signed_in("mediator", "220100")
    data = intake_form(region="220102")
    data.update({key: value for key, value in CASE_EXTRAS.items() if key != "region_code"})
    data["version"] = "99"
    response = browser.post("/cases/new", data=data)
    assert response.status_code == 302, page(response).messages
    sync()
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert (case.state, case.region_code, case.mediator_id, case.lawyer_id, case.employer_agent_id) == (
        "intake", "220102", me.id, None, None)
    assert case.number != CASE_EXTRAS["number"] and case.number.startswith("220102-")
    assert (case.written_off_fen, case.paid_fen, case.agreement_effective_on, case.settled_on, case.extended) == (
        0, 0, None, None, False)
    assert case.version < 99


def test_intake_in_a_region_outside_the_scope_is_refused_naming_the_field(signed_in):
    _, browser = signed_in("mediator", "220100")
    before = row_counts()
    for region in ("222401", "222400", "220000", "999999"):  # another prefecture, above, unknown
        result = page(browser.post("/cases/new", data=intake_form(region=region)))
        assert result.status == 400 and "region_code" in result.invalid, (region, result.status, result.messages)
    assert row_counts() == before


@pytest.mark.parametrize("action, state", [
    ("session", "mediating"), ("extend", "mediating"), ("payment", "effective"), ("assign", "referred")])
def test_an_action_form_sets_only_what_the_action_does(signed_in, action, state):
    me, browser = signed_in("mediator", "220100")
    other_lawyer = make_user("lawyer", "222400")
    case = make_case(state, mediator=me)
    before = guarded(case)
    data = action_form(action, case)
    data.update({key: value for key, value in CASE_EXTRAS.items() if key != "version"})
    data["lawyer_id"] = str(other_lawyer.id)
    response = browser.post(f"/cases/{case.number}/{action}", data=data)
    assert response.status_code == 302, page(response).messages
    after = guarded(reload_case(case))
    if action == "payment":  # the payment itself: exactly the amount typed, nothing more
        assert after.pop("paid_fen") - before.pop("paid_fen") == 10000
        assert before.pop("outstanding_fen") - after.pop("outstanding_fen") == 10000
    if action == "extend":
        assert after.pop("extended") is True and before.pop("extended") is False
    assert after == before


def test_a_stale_or_forged_version_is_a_conflict_not_an_overwrite(signed_in):
    me, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=me)
    before = (reload_case(case).version, guarded(case))
    for version in (case.version + 5, 0):
        response = browser.post(f"/cases/{case.number}/extend", data=action_form("extend", case, version=str(version)))
        assert response.status_code == 409
    case = reload_case(case)
    assert (case.version, guarded(case)) == before


@pytest.mark.parametrize("role", ["mediator", "lawyer", "supervisor"])
def test_only_an_admin_sets_a_role_or_region(signed_in, role):
    me, browser = signed_in(role, "220100")
    colleague = make_user("mediator", "220100")
    before = (user_columns(me), user_columns(colleague), row_counts())
    users = db.session.scalar(select(func.count()).select_from(User))
    for target in (me, colleague):
        response = browser.post(f"/admin/users/{target.id}", data={
            "username": target.username, "full_name": "提权", "role": "admin", "region_code": "220000", "active": "y"})
        assert response.status_code == 403
    response = browser.post("/admin/users/new", data={
        "username": "sneaky_admin", "full_name": "提权", "role": "admin", "region_code": "220100", "active": "y",
        "password": "a-long-enough-passphrase-2026"})
    assert response.status_code == 403
    assert (user_columns(me), user_columns(colleague), row_counts()) == before
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_the_admin_user_form_keeps_the_username_and_the_scope(signed_in):
    _, browser = signed_in("admin", "220100")
    user = make_user("mediator", "220102")
    before = user_columns(user)
    response = browser.post(f"/admin/users/{user.id}", data={
        "username": "renamed", "full_name": before["full_name"], "role": "mediator", "region_code": "220102",
        "active": "y", "id": "1", "session_token": "x" * 32, "password_hash": "plain"})
    assert response.status_code == 302
    assert user_columns(user) == before  # the username names the user in the history: not editable

    for field, value in (("region_code", "222401"), ("region_code", "220000"), ("role", "superuser")):
        data = {"username": user.username, "full_name": "改", "role": "mediator", "region_code": "220102",
                "active": "y", field: value}
        result = page(browser.post(f"/admin/users/{user.id}", data=data))
        assert result.status == 400 and field in result.invalid, (field, value, result.messages)
    assert user_columns(user) == before


def test_the_password_page_changes_the_password_only(signed_in):
    me, browser = signed_in("mediator", "220100")
    before = user_columns(me)
    response = browser.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "another-long-passphrase-2026",
        "confirm": "another-long-passphrase-2026", "role": "admin", "region_code": "220000", "active": "",
        "is_active": "0", "username": "renamed", "full_name": "改名", "id": "1"})
    assert response.status_code == 302, page(response).messages
    assert user_columns(me) == before


def test_the_tokens_page_issues_a_token_to_oneself_only(signed_in):
    me, browser = signed_in("mediator", "220100")
    other = make_user("admin", "220100")
    response = browser.post("/account/tokens", data={"name": "脚本", "user_id": str(other.id), "user": other.username})
    assert response.status_code == 200
    sync()
    owners = db.session.scalars(select(ApiToken.user_id)).all()
    assert owners == [me.id]


# --- the API ------------------------------------------------------------------------------------

# One request per field, in one test each (a test's teardown costs more than its requests).
REFERRAL_EXTRAS = {
    "state": "closed", "mediator_id": 1, "lawyer_id": 1, "id": 1, "number": "220102-1999-99999", "version": 7,
    "created_by": 1, "paid_total": "100.00", "outstanding": "0.00", "paid_fen": 1, "written_off_fen": 1,
    "agreement_effective_on": "2020-01-01", "employer_agent_id": 1,
}
NESTED_EXTRAS = [("employer", "uscc_checksum_overridden"), ("employer", "id"), ("worker", "paid_fen"),
                 ("worker", "id"), ("claim", "agreed_fen"), ("claim", "amount_agreed")]
PAYMENT_EXTRAS = {"paid_total": "99999.00", "outstanding": "0.00", "outstanding_fen": 0, "state": "closed",
                  "case_id": 1, "recorded_by": 1, "allocations": [], "id": 1}
TRIGGER_EXTRAS = [
    ("extend", {"days": 5, "agreement": "双方同意"}, "mediation_due_on", "2099-01-01"),
    ("extend", {"days": 5, "agreement": "双方同意"}, "lawyer_id", 1),
    ("fail", {"reason": "差距过大"}, "state", "settled"),
    ("withdraw", {"reason": "撤回"}, "region_code", "222401"),
    ("settle", {"agreed": []}, "paid_total", "1.00"),
]


def refused_naming(response, field: str) -> str | None:
    """None when the response is a 422 naming exactly `field` as unknown; otherwise what it was."""
    if response.status_code != 422:
        return f"{field}: {response.status_code} {response.get_data(as_text=True)[:200]}"
    errors = field_errors(response)
    return None if errors == {field: ["Unknown field."]} else f"{field}: {errors}"


def test_a_referral_with_a_field_it_may_not_set_is_refused_naming_it(api):
    _, client = api("mediator", "220100")
    before = counts()
    wrong = [refused_naming(client.post("/api/v1/cases", json=referral(**{field: value})), field)
             for field, value in REFERRAL_EXTRAS.items()]
    assert [w for w in wrong if w] == []
    assert counts() == before


def test_a_nested_field_it_may_not_set_is_refused_naming_it(api):
    _, client = api("mediator", "220100")
    before, wrong = counts(), []
    for where, field in NESTED_EXTRAS:
        body = referral()
        {"employer": body["employer"], "worker": body["workers"][0],
         "claim": body["workers"][0]["claims"][0]}[where][field] = 1
        path = {"employer": f"employer/{field}", "worker": f"workers/0/{field}",
                "claim": f"workers/0/claims/0/{field}"}[where]
        wrong.append(refused_naming(client.post("/api/v1/cases", json=body), path))
    assert [w for w in wrong if w] == []
    assert counts() == before


def test_a_referral_in_another_region_is_refused(api):
    _, client = api("mediator", "220100")
    before = counts()
    assert_problem(client.post("/api/v1/cases", json=referral(region="222401")), 403, "forbidden")
    assert counts() == before


def test_a_payment_with_a_field_it_may_not_set_is_refused_naming_it(api):
    mediator = make_user("mediator", "220100")
    _, client = api(user=mediator)
    case = make_case("effective", mediator=mediator)
    before, columns = counts(), guarded(case)
    wrong = [refused_naming(client.post(f"/api/v1/cases/{case.number}/payments", json={
        "worker_id": case.workers[0].id, "amount": "100.00", "method": "bank_transfer", field: value}), field)
        for field, value in PAYMENT_EXTRAS.items()]
    assert [w for w in wrong if w] == []
    assert counts() == before and guarded(reload_case(case)) == columns
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0


def test_a_trigger_with_a_field_it_may_not_set_is_refused_naming_it(api):
    mediator = make_user("mediator", "220100")
    _, client = api(user=mediator)
    case = make_case("mediating", mediator=mediator)
    before, columns, wrong = counts(), (reload_case(case).version, guarded(case)), []
    for trigger, body, field, value in TRIGGER_EXTRAS:
        if trigger == "settle":
            body = {"agreed": [{"claim_id": item.id, "amount": "1.00"} for item in case.claims]}
        response = client.post(f"/api/v1/cases/{case.number}/actions/{trigger}", json={**body, field: value})
        wrong.append(refused_naming(response, field))
    assert [w for w in wrong if w] == []
    case = reload_case(case)
    assert counts() == before and (case.version, guarded(case)) == columns


def test_the_lawyer_profile_form_sets_no_role(signed_in):
    _, browser = signed_in("admin", "220100")
    lawyer = make_user("lawyer", "220102")
    before = user_columns(lawyer)
    response = browser.post(f"/lawyers/{lawyer.id}", data={
        "username": lawyer.username, "full_name": before["full_name"], "region_code": "220102",
        "law_firm": "吉林测试律师事务所", "licence_no": "12201201910123456", "languages": ["zh"], "active": "y",
        "role": "admin", "is_admin": "y", "user_id": "1"})
    assert response.status_code == 302, page(response).messages
    assert user_columns(lawyer) == before
