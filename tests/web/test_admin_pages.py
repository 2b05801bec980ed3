"""Administration pages: users, venues and accepted employer codes, and who may open them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from mediation import create_app
from mediation.extensions import db
from mediation.models import Employer, User, Venue
from tests.conftest import base_config
from tests.factories import credit_code, make_user, make_venue
from tests.web.conftest import bad_check_character, follow, intake_form, login, page, sync


def admin_rules() -> list:
    """The administration pages from the app's url_map (the employers pages, supervisors' too, have
    their own tests: below, and tests/admin/test_employer_master.py)."""
    app = create_app(base_config("sqlite://"))
    return [pytest.param(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}), id=rule.rule)
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
            if rule.endpoint.startswith("admin.") and rule.endpoint not in ("admin.employers", "admin.employer_master")]


def _user_count() -> int:
    sync()
    return db.session.scalar(select(func.count()).select_from(User))


def _user_form(**overrides) -> dict[str, str]:
    data = {"username": "new.mediator", "full_name": "新调解员", "role": "mediator", "region_code": "220102",
            "active": "y", "password": "long-enough-password"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("rule, methods", admin_rules())
@pytest.mark.parametrize("role", ["mediator", "lawyer", "supervisor"])
def test_admin_pages_are_for_admins_only(signed_in, role, rule, methods):
    other, venue = make_user("mediator", "220100"), make_venue("220100")
    _, browser = signed_in(role, "220100")
    ids = {"user_id": other.id, "venue_id": venue.id}
    url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(ids[m.group(1)]), rule)
    data = _user_form(name="改名", kind="court_workroom")
    for method in methods:
        assert browser.open(url, method=method, data=data if method == "POST" else None).status_code == 403
    sync()
    assert db.session.get(User, other.id).full_name == "测试mediator"
    assert db.session.get(Venue, venue.id).name == venue.name
    assert _user_count() == 2


@pytest.mark.parametrize("role, status", [("mediator", 403), ("lawyer", 403), ("supervisor", 200), ("admin", 200)])
def test_the_employers_page_is_for_supervisors_and_admins(signed_in, role, status):
    _, browser = signed_in(role, "220100")
    assert browser.get("/admin/employers").status_code == status


def test_create_a_user_who_can_then_sign_in(signed_in, new_client):
    _, browser = signed_in("admin", "220100")
    response = browser.post("/admin/users/new", data=_user_form())
    assert response.status_code == 302
    assert "The user has been created." in follow(browser, response).alerts
    sync()
    user = db.session.scalars(select(User).where(User.username == "new.mediator")).one()
    assert (user.role, user.region_code, user.active) == ("mediator", "220102", True)
    assert login(new_client(), "new.mediator", "long-enough-password").status_code == 302


@pytest.mark.parametrize("change, field, message", [
    ({"password": "123456789"}, "password", "at least 10 characters"),
    ({"password": ""}, "password", "at least 10 characters"),
    ({"username": "Taken.Name"}, "username", "taken"),
    ({"username": "bad name!"}, "username", "letters, digits, dots or underscores"),
    ({"username": ""}, "username", "required"),
    ({"role": "superuser"}, "role", "Not a valid choice"),
    ({"region_code": "222400"}, "region_code", "Not a valid choice"),
])
def test_a_bad_new_user_gets_400_naming_the_field(signed_in, change, field, message):
    make_user("lawyer", "220100", username="taken.name")
    _, browser = signed_in("admin", "220100")
    before = _user_count()
    result = page(browser.post("/admin/users/new", data=_user_form(**change)))
    assert result.status == 400
    assert field in result.invalid, result.messages
    assert message.lower() in result.messages.lower()
    assert _user_count() == before


def test_edit_a_user(signed_in):
    user = make_user("mediator", "220102")
    _, browser = signed_in("admin", "220100")
    form = page(browser.get(f"/admin/users/{user.id}"))
    assert form.status == 200 and form.value("full_name") == user.full_name
    response = browser.post(f"/admin/users/{user.id}", data=_user_form(
        username="ignored", full_name="改过的名字", role="lawyer", region_code="220103", password=""))
    assert response.status_code == 302
    sync()
    user = db.session.get(User, user.id)
    assert (user.username, user.full_name, user.role, user.region_code) == (
        user.username, "改过的名字", "lawyer", "220103")
    assert user.username != "ignored"


def _rendered_form(shown) -> dict[str, str]:  # noqa: ANN001
    """What a browser posts back from a page's form as shown: every control with its value (a
    checkbox only when checked), nothing the page does not render."""
    data = {}
    for name, attrs in shown.fields.items():
        if attrs.get("type") == "checkbox":
            if "checked" in attrs:
                data[name] = attrs.get("value") or "y"
        elif name != "csrf_token":
            data[name] = attrs.get("value", "")
    return data


def test_a_user_is_edited_and_deactivated_through_the_form_as_rendered(signed_in):
    """The edit page renders no username (it is not editable): what it posts must be enough."""
    user = make_user("mediator", "220102")
    _, browser = signed_in("admin", "220100")
    shown = page(browser.get(f"/admin/users/{user.id}"))
    assert "username" not in shown.fields
    data = _rendered_form(shown) | {"full_name": "改过的名字", "region_code": "220102", "role": "mediator"}
    saved = browser.post(f"/admin/users/{user.id}", data=data)
    assert saved.status_code == 302, page(saved).messages
    # the page again, whose form carries a new one-time token (the first one is used up)
    data = _rendered_form(page(browser.get(f"/admin/users/{user.id}"))) | {"region_code": "220102", "role": "mediator"}
    assert data["full_name"] == "改过的名字"
    data.pop("active", None)  # unticked: the user is deactivated
    assert browser.post(f"/admin/users/{user.id}", data=data).status_code == 302
    sync()
    user = db.session.get(User, user.id)
    assert (user.full_name, user.active) == ("改过的名字", False)


def test_deactivating_a_user_ends_their_sessions(signed_in, new_client):
    user, their_browser = signed_in("mediator", "220100")
    assert their_browser.get("/").status_code == 200
    _, browser = signed_in("admin", "220100")

    response = browser.post(f"/admin/users/{user.id}", data=_user_form(
        full_name=user.full_name, role="mediator", region_code="220100", active="", password=""))

    assert response.status_code == 302
    shut_out = their_browser.get("/")
    assert shut_out.status_code == 302 and shut_out.headers["Location"].startswith("/login")
    assert login(new_client(), user).status_code == 401


def test_an_admin_cannot_remove_their_own_access(signed_in):
    admin, browser = signed_in("admin", "220100")
    result = page(browser.post(f"/admin/users/{admin.id}", data=_user_form(
        full_name=admin.full_name, role="admin", region_code="220100", active="", password="")))
    assert result.status == 400 and "role" in result.invalid
    assert browser.get("/").status_code == 200
    sync()
    assert db.session.get(User, admin.id).active


def test_users_and_venues_outside_the_admins_region_are_not_found(signed_in):
    stranger, far_venue = make_user("mediator", "222400"), make_venue("222400")
    _, browser = signed_in("admin", "220100")
    assert browser.get(f"/admin/users/{stranger.id}").status_code == 404
    assert browser.post(f"/admin/users/{stranger.id}", data=_user_form()).status_code == 404
    assert browser.get(f"/admin/venues/{far_venue.id}").status_code == 404
    assert browser.get("/admin/users/999999").status_code == 404
    assert stranger.username not in browser.get("/admin/users").get_data(as_text=True)


def test_create_and_edit_a_venue(signed_in):
    _, browser = signed_in("admin", "220100")
    data = {"name": "南关区法院调解工作室", "kind": "court_workroom", "region_code": "220102",
            "address": "长春市南关区人民大街1号", "active": "y"}
    assert browser.post("/admin/venues/new", data=data).status_code == 302
    sync()
    venue = db.session.scalars(select(Venue).where(Venue.name == data["name"])).one()
    assert (venue.kind, venue.region_code, venue.active) == ("court_workroom", "220102", True)

    data.update(name="南关区劳动仲裁调解室", kind="arbitration_workroom", active="")
    response = browser.post(f"/admin/venues/{venue.id}", data=data)
    assert response.status_code == 302
    assert "The venue has been saved." in follow(browser, response).alerts
    sync()
    venue = db.session.get(Venue, venue.id)
    assert (venue.name, venue.kind, venue.active) == ("南关区劳动仲裁调解室", "arbitration_workroom", False)
    # an inactive venue is no longer offered at intake
    assert f'value="{venue.id}"' not in browser.get("/cases/new").get_data(as_text=True)


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"name": "室" * 121}, "name"), ({"kind": "tent"}, "kind"),
    ({"region_code": "222400"}, "region_code"), ({"address": "址" * 201}, "address"),
])
def test_a_bad_venue_gets_400_naming_the_field(signed_in, change, field):
    _, browser = signed_in("admin", "220100")
    data = {"name": "测试室", "kind": "court_workroom", "region_code": "220102", "address": "", "active": "y"}
    data.update(change)
    result = page(browser.post("/admin/venues/new", data=data))
    assert result.status == 400 and field in result.invalid
    sync()
    assert db.session.scalar(select(func.count()).select_from(Venue)) == 0


def test_a_supervisor_accepts_a_code_that_fails_its_checksum_then_intake_works(signed_in):
    code = bad_check_character(credit_code())
    _, mediator = signed_in("mediator", "220100")
    refused = page(mediator.post("/cases/new", data=intake_form(employer_uscc=code)))
    assert refused.status == 400 and "employer_uscc" in refused.invalid

    _, supervisor = signed_in("supervisor", "220100")
    response = supervisor.post("/admin/employers", data={"uscc": code, "name": "老试点机械厂"})
    assert response.status_code == 302
    accepted = follow(supervisor, response)
    assert "The code has been accepted." in accepted.alerts and code in accepted.text

    taken_in = mediator.post("/cases/new", data=intake_form(employer_uscc=code))
    assert taken_in.status_code == 302
    sync()
    employer = db.session.scalars(select(Employer).where(Employer.uscc == code)).one()
    assert employer.uscc_checksum_overridden


@pytest.mark.parametrize("change, field", [
    ({"uscc": "9122010112345678"}, "uscc"), ({"uscc": ""}, "uscc"), ({"name": ""}, "name"),
])
def test_a_bad_employer_code_form_names_the_field(signed_in, change, field):
    _, supervisor = signed_in("supervisor", "220100")
    data = {"uscc": bad_check_character(credit_code()), "name": "老试点机械厂"}
    data.update(change)
    result = page(supervisor.post("/admin/employers", data=data))
    assert result.status == 400 and field in result.invalid
    sync()
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 0
