"""Every kind of write form of the pages, through the test client as a browser sends it: without
its one-time token it is refused (400, saying so) and writes nothing; with the token of the form
as rendered it writes; the same submission again writes nothing and is sent (303) to where the
first one led, with the message. See mediation/web/submissions.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from mediation.common.timeutil import today
from mediation.config import PROJECT_ROOT
from mediation.extensions import db
from mediation.models import AuditEntry, Case, CaseDocument, CaseEvent, PersonalDataAccess, User
from mediation.stats import period as periods
from mediation.tokens.services import token_issue
from mediation.web.commit import commit
from mediation.web.submissions import FIELD
from tests.conftest import TEST_PASSWORD
from tests.factories import credit_code, make_case, make_user, make_venue
from tests.imports.conftest import ledger, to_csv
from tests.lawyers.factories import make_lawyer, on_roster
from tests.web.conftest import action_form, form_token, intake_form, page, sync

ALREADY_SENT = "This form was already sent; nothing was recorded a second time."
NO_TOKEN = "one-time submission token is missing"


@dataclasses.dataclass
class Form:
    """A write form as a signed-in user meets it: the page that shows it, where it posts (None:
    that page itself), and what the user fills in (made anew for each submission)."""

    browser: FlaskClient
    shown_at: str
    data: Callable[[], dict]
    action: str | None = None
    multipart: bool = False

    @property
    def target(self) -> str:
        return self.action or self.shown_at.split("?")[0]

    def post(self, token: str | None):  # noqa: ANN201
        data = self.data() | ({FIELD: token} if token is not None else {})
        extra = {"content_type": "multipart/form-data"} if self.multipart else {}
        return self.browser.post(self.target, data=data, **extra)


def writes() -> tuple:
    """What any of the forms writes: a case, an event in a case's history, an entry in the audit
    log, a record of personal data seen, a document, or a password."""
    sync()
    counts = tuple(db.session.scalar(select(func.count()).select_from(model))
                   for model in (Case, CaseEvent, AuditEntry, PersonalDataAccess, CaseDocument))
    return counts + tuple(db.session.scalars(select(User.password_hash).order_by(User.id)))


def _browser(signed_in, role: str, region: str = "220100", user: User | None = None) -> FlaskClient:  # noqa: ANN001
    return signed_in(role, region, user=user)[1]


def _case_form(action: str, state: str) -> Callable:
    def build(signed_in) -> Form:  # noqa: ANN001
        case = make_case(state)
        return Form(_browser(signed_in, "mediator", user=case.mediator), f"/cases/{case.number}/{action}",
                    lambda: action_form(action, case))
    return build


def _intake(signed_in) -> Form:  # noqa: ANN001
    data = intake_form(channel="walk_in", referral_ref="")
    return Form(_browser(signed_in, "mediator"), "/cases/new", lambda: dict(data))


def _generate_agreement(signed_in) -> Form:  # noqa: ANN001
    case = make_case("scheduled")
    return Form(_browser(signed_in, "mediator", user=case.mediator), f"/cases/{case.number}",
                lambda: {"version": str(case.version)}, action=f"/cases/{case.number}/generate_agreement")


def _generate_application(signed_in) -> Form:  # noqa: ANN001
    case = make_case("enforcing")
    path_id = case.enforcement_paths[0].id
    return Form(_browser(signed_in, "mediator", user=case.mediator), f"/cases/{case.number}", dict,
                action=f"/cases/{case.number}/enforcement/{path_id}/application")


def _assign_lawyer(signed_in) -> Form:  # noqa: ANN001
    case = make_case("referred")
    other = make_lawyer()
    version = case.version
    return Form(_browser(signed_in, "mediator", user=case.mediator), f"/cases/{case.number}/lawyer",
                lambda: {"version": str(version), "lawyer_id": str(other.id), "reason": "换一位律师",
                         "on_date": (today() + dt.timedelta(days=14)).isoformat()})


def _show_personal_data(signed_in) -> Form:  # noqa: ANN001
    case = make_case("mediating")
    return Form(_browser(signed_in, "mediator", user=case.mediator), f"/cases/{case.number}/personal-data",
                lambda: {"purpose": "contact", "note": ""})


def _user_new(signed_in) -> Form:  # noqa: ANN001
    return Form(_browser(signed_in, "admin"), "/admin/users/new", lambda: {
        "username": "once.only", "full_name": "只建一次", "role": "mediator", "region_code": "220102",
        "active": "y", "password": "long-enough-password"})


def _user_edit(signed_in) -> Form:  # noqa: ANN001
    user = make_user("mediator", "220102")
    return Form(_browser(signed_in, "admin"), f"/admin/users/{user.id}", lambda: {
        "full_name": "改过的名字", "role": "mediator", "region_code": "220102", "active": "y"})


def _venue_new(signed_in) -> Form:  # noqa: ANN001
    return Form(_browser(signed_in, "admin"), "/admin/venues/new", lambda: {
        "name": "只建一次的调解室", "kind": "court_workroom", "region_code": "220102", "address": "", "active": "y"})


def _employer_code(signed_in) -> Form:  # noqa: ANN001
    code = credit_code()
    return Form(_browser(signed_in, "supervisor"), "/admin/employers",
                lambda: {"uscc": code[:-1] + ("1" if code[-1] != "1" else "2"), "name": "老试点机械厂"})


def _employer_master(signed_in) -> Form:  # noqa: ANN001
    uscc = make_case("intake").employer_master.uscc
    return Form(_browser(signed_in, "supervisor"), f"/admin/employers/{uscc}",
                lambda: {"name": "更名后的机械厂", "legal_representative": "", "address": "", "reason": "营业执照变更"})


def _lawyer_new(signed_in) -> Form:  # noqa: ANN001
    return Form(_browser(signed_in, "admin", "220000"), "/lawyers/new", lambda: {
        "username": "once_lawyer", "full_name": "新律师", "region_code": "220100", "password": TEST_PASSWORD,
        "law_firm": "吉林正义律师事务所", "licence_no": "12201201599999999", "phone": "",
        "languages": ["zh"], "specialties": ["wages"]})


def _conflict(signed_in) -> Form:  # noqa: ANN001
    lawyer = make_lawyer()
    code = credit_code()
    return Form(_browser(signed_in, "admin", "220000"), f"/lawyers/{lawyer.id}",
                lambda: {"employer_uscc": code, "note": "顾问"}, action=f"/lawyers/{lawyer.id}/conflicts")


def _roster(kind: str) -> Callable:
    def build(signed_in) -> Form:  # noqa: ANN001
        venue, lawyer = make_venue("220100"), make_lawyer()
        shown_at = f"/venues/{venue.id}/week"
        if kind == "delete":
            entry = on_roster(lawyer, venue, 2)
            return Form(_browser(signed_in, "admin", "220000"), shown_at, dict,
                        action=f"/venues/{venue.id}/roster/{entry.id}/delete")
        if kind == "add":
            return Form(_browser(signed_in, "admin", "220000"), shown_at, lambda: {
                "roster-lawyer_id": str(lawyer.id), "roster-weekday": "2",
                "roster-starts_on": today().isoformat(), "roster-ends_on": ""},
                action=f"/venues/{venue.id}/roster")
        on_date = (today() + dt.timedelta(days=9)).isoformat()
        return Form(_browser(signed_in, "admin", "220000"), shown_at, lambda: {
            "exception-lawyer_id": str(lawyer.id), "exception-on_date": on_date, "exception-kind": "leave",
            "exception-note": "出庭"}, action=f"/venues/{venue.id}/exceptions")
    return build


def _token_new(signed_in) -> Form:  # noqa: ANN001
    return Form(_browser(signed_in, "mediator"), "/account/tokens", lambda: {"name": "court platform"},
                action="/account/tokens")


def _token_revoke(signed_in) -> Form:  # noqa: ANN001
    user, browser = signed_in("mediator", "220100")
    token, _raw = token_issue(user=user, actor=user, name="script")
    commit()
    return Form(browser, "/account/tokens", dict, action=f"/account/tokens/{token.id}/revoke")


def _stats_lock(signed_in) -> Form:  # noqa: ANN001
    last_month = periods.containing("month", today().replace(day=1) - dt.timedelta(days=1))
    return Form(_browser(signed_in, "supervisor", "220000"), f"/statistics?period={last_month.key}",
                lambda: {"region": "220000", "period": last_month.key}, action="/statistics/locks")


def _import(signed_in) -> Form:  # noqa: ANN001
    content = to_csv(ledger())
    return Form(_browser(signed_in, "supervisor", "220000"), "/import",
                lambda: {"ledger": (io.BytesIO(content), "ledger.csv")}, multipart=True)


def _password(signed_in) -> Form:  # noqa: ANN001
    return Form(_browser(signed_in, "mediator"), "/account/password", lambda: {
        "current_password": TEST_PASSWORD, "new_password": "a-new-password-2026", "confirm": "a-new-password-2026"})


FORMS: dict[str, Callable] = {
    "intake": _intake,
    "case action: payment": _case_form("payment", "effective"),
    "case action: schedule a session": _case_form("schedule", "mediating"),
    "case action: record a session": _case_form("session", "mediating"),
    "case action: settle": _case_form("settle", "mediating"),
    "generate the agreement": _generate_agreement,
    "generate the judicial confirmation application": _generate_application,
    "assign a lawyer": _assign_lawyer,
    "show personal data": _show_personal_data,
    "admin: new user": _user_new,
    "admin: edit user": _user_edit,
    "admin: new venue": _venue_new,
    "admin: accept an employer code": _employer_code,
    "admin: edit an employer's master record": _employer_master,
    "admin: new lawyer": _lawyer_new,
    "admin: declare a conflict": _conflict,
    "roster: add": _roster("add"),
    "roster: leave or extra day": _roster("exception"),
    "roster: remove": _roster("delete"),
    "API token: new": _token_new,
    "API token: revoke": _token_revoke,
    "statistics: lock a month": _stats_lock,
    "import a ledger": _import,
    "own password": _password,
}


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_write_form_needs_its_token_writes_once_and_answers_a_replay_with_the_first_result(signed_in, kind):
    form = FORMS[kind](signed_in)
    form.browser.fill_submission_tokens = False  # this test sends the tokens itself
    shown = form.browser.get(form.shown_at)
    assert shown.status_code == 200
    token = form_token(shown.get_data(as_text=True), form.action)
    before = writes()

    missing = page(form.post(None))
    assert missing.status == 400 and NO_TOKEN in missing.text
    assert writes() == before

    first = form.post(token)
    assert first.status_code in (200, 302), page(first).messages
    written = writes()
    assert written != before

    again = form.post(token)
    assert again.status_code == 303
    if first.status_code == 302:
        assert again.location == first.location  # where the first submission led
    shown_again = page(form.browser.get(again.location))
    assert shown_again.status == 200 and ALREADY_SENT in shown_again.alerts
    assert writes() == written


def test_a_refused_form_comes_back_with_its_token_unused_and_is_then_written_once(signed_in):
    """A field to correct: the form comes back with what was typed and the same token, which the
    corrected submission uses; the first page's copy of the form is then a replay."""
    browser = _browser(signed_in, "mediator")
    browser.fill_submission_tokens = False
    token = form_token(browser.get("/cases/new").get_data(as_text=True))
    data = intake_form(channel="walk_in", referral_ref="")
    before = writes()

    refused = page(browser.post("/cases/new", data=data | {"employer_name": "", FIELD: token}))
    assert refused.status == 400 and "employer_name" in refused.invalid
    assert refused.value(FIELD) == token and refused.value("employer_uscc") == data["employer_uscc"]
    assert writes() == before

    taken_in = browser.post("/cases/new", data=data | {FIELD: refused.value(FIELD)})
    assert taken_in.status_code == 302
    replay = browser.post("/cases/new", data=data | {FIELD: token})
    assert replay.status_code == 303 and replay.location == taken_in.location
    assert writes()[0] == before[0] + 1  # one case


def test_a_form_without_its_token_comes_back_filled_in_with_a_fresh_one(signed_in):
    browser = _browser(signed_in, "mediator")
    browser.fill_submission_tokens = False
    data = intake_form(channel="walk_in", referral_ref="")
    refused = page(browser.post("/cases/new", data=data))
    assert refused.status == 400 and NO_TOKEN in " ".join(refused.alerts)
    assert refused.value("employer_name") == data["employer_name"]  # nothing typed is lost
    assert browser.post("/cases/new", data=data | {FIELD: refused.value(FIELD)}).status_code == 302


@pytest.mark.parametrize("token", ["", "x" * 5000, "not.a.token", "Ij.aw.zz"])
def test_a_malformed_token_is_a_400_naming_the_problem(signed_in, token):
    case = make_case("mediating")
    browser = _browser(signed_in, "mediator", user=case.mediator)
    browser.fill_submission_tokens = False
    before = writes()
    refused = page(browser.post(f"/cases/{case.number}/session", data=action_form("session", case) | {FIELD: token}))
    assert refused.status == 400 and NO_TOKEN in " ".join(refused.alerts)
    assert writes() == before


def test_a_token_of_one_form_or_user_cannot_send_another(signed_in):
    case = make_case("mediating")
    browser = _browser(signed_in, "mediator", user=case.mediator)
    browser.fill_submission_tokens = False
    colleague = _browser(signed_in, "mediator", user=make_user("mediator", "220100"))
    session_form = form_token(browser.get(f"/cases/{case.number}/session").get_data(as_text=True))
    theirs = form_token(colleague.get("/cases/new").get_data(as_text=True))
    before = writes()
    # the token of the session form, sent with the "extend" form of the same case
    wrong_form = page(browser.post(f"/cases/{case.number}/extend",
                                   data=action_form("extend", case) | {FIELD: session_form}))
    # a colleague's token of the intake form, sent by this user
    wrong_user = page(browser.post("/cases/new", data=intake_form() | {FIELD: theirs}))
    assert wrong_form.status == wrong_user.status == 400
    assert NO_TOKEN in " ".join(wrong_form.alerts) and NO_TOKEN in " ".join(wrong_user.alerts)
    assert writes() == before


# Forms that carry no token: signing in and out (mediation/web/submissions.py, EXEMPT) and the
# public check of a printed agreement, which writes nothing.
NO_TOKEN_FORMS = {("auth/login.html", None), ("base.html", "url_for('auth.logout')"),
                  ("settlements/verify.html", None)}


def test_every_post_form_of_the_templates_carries_a_token():
    """The test clients fill a token into whatever form data a test posts, so a form whose
    template forgot `submission_token` would pass every page test and be refused in a browser."""
    forms = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        name = path.relative_to(PROJECT_ROOT / "templates").as_posix()
        for tag, body in re.findall(r"(<form\b[^>]*>)(.*?)</form>", path.read_text(), re.S | re.I):
            if not re.search(r'method="post"', tag, re.I):
                continue
            action = re.search(r'action="\{\{ (.*?)\s*\}\}"', tag)
            target = action.group(1).split(",")[0].rstrip(")") + ")" if action else None
            forms.append(name)
            if (name, target) in NO_TOKEN_FORMS:
                continue
            assert "submission_token(" in body, f"a POST form in {name} carries no submission_token()"
            if action:  # bound to where it posts
                assert f"submission_token({action.group(1)})" in body, f"{name}: the token names another URL"
    assert len(forms) >= 20  # the walk found the forms
