"""Session lifetime (absolute and idle), server-side ends, and the cookie flags of production."""

from __future__ import annotations

import time

import pytest

from tests.factories import make_user
from tests.web.conftest import follow, login, page


def _age(browser, *, signed_in_ago: int = 0, seen_ago: int = 0) -> None:  # noqa: ANN001
    """Move the session's clocks back, as if time had passed."""
    with browser.session_transaction() as session:
        now = int(time.time())
        session["auth_at"] = now - signed_in_ago
        session["seen_at"] = now - seen_ago


def _cookie_attributes(response, name: str = "session") -> set[str]:  # noqa: ANN001
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "="))
    return {part.strip().lower().split("=")[0] for part in cookie.split(";")[1:]}


def test_a_session_idle_longer_than_the_timeout_ends(app, signed_in):
    _user, browser = signed_in("mediator")
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    _age(browser, seen_ago=idle - 90)
    assert browser.get("/").status_code == 200  # just within: the request renews it
    _age(browser, seen_ago=idle + 1)
    response = browser.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Your session has expired: please sign in again." in follow(browser, response).alerts


def test_activity_renews_the_idle_clock(app, signed_in):
    _user, browser = signed_in("mediator")
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    _age(browser, seen_ago=idle - 120)
    assert browser.get("/").status_code == 200
    with browser.session_transaction() as session:
        assert int(time.time()) - session["seen_at"] < 5


def test_a_session_ends_after_its_lifetime_however_active(app, signed_in):
    _user, browser = signed_in("mediator")
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    _age(browser, signed_in_ago=lifetime - 60)
    assert browser.get("/").status_code == 200
    _age(browser, signed_in_ago=lifetime + 1)  # active a second ago, signed in too long ago
    assert browser.get("/").status_code == 302


def test_a_session_without_its_clocks_is_not_trusted(signed_in):
    _user, browser = signed_in("mediator")
    with browser.session_transaction() as session:
        del session["auth_at"]
    assert browser.get("/").status_code == 302


def test_an_expired_session_is_gone_even_after_signing_in_elsewhere(signed_in):
    """The expiry clears the session: the old cookie cannot come back to life."""
    user, browser = signed_in("mediator")
    _age(browser, seen_ago=10**6)
    assert browser.get("/").status_code == 302
    with browser.session_transaction() as session:
        assert "_user_id" not in session and session.get("lang") == "en"
    signed_in(user=user)
    assert browser.get("/").status_code == 302


def test_the_session_cookie_expires_with_the_lifetime(client):
    response = login(client, make_user("mediator"))
    assert "expires" in _cookie_attributes(response)  # a permanent session, bounded by the lifetime


def test_sign_out_says_that_every_device_is_signed_out(signed_in, new_client):
    user, browser = signed_in("lawyer")
    _same, phone = signed_in(user=user)
    result = follow(browser, browser.post("/logout"))
    assert "You have signed out on all your devices." in result.alerts
    assert phone.get("/").status_code == 302


def test_cookies_are_not_secure_by_default_so_http_on_localhost_works(client):
    assert "secure" not in _cookie_attributes(login(client, make_user("mediator")))


@pytest.mark.parametrize("overrides", [{"SECURE_COOKIES": True}, {"SECURE_COOKIES": 1}])
def test_production_cookies_are_secure_http_only_and_same_site(make_app, overrides):
    served = make_app(**overrides)
    assert served.config["REMEMBER_COOKIE_SECURE"] and served.config["REMEMBER_COOKIE_HTTPONLY"]
    assert served.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    user = make_user("mediator")
    browser = served.test_client()
    response = browser.post("/login", data={"username": user.username, "password": "correct-horse-battery"},
                            base_url="https://localhost")
    assert response.status_code == 302
    assert {"secure", "httponly", "samesite"} <= _cookie_attributes(response)
    assert "samesite=lax" in response.headers["Set-Cookie"].lower()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_environment_switch_turns_secure_cookies_on(monkeypatch, tmp_path):
    """What the README tells a deployment behind HTTPS: MEDIATION_SECURE_COOKIES=1."""
    from mediation import create_app
    from mediation.extensions import db, limiter

    monkeypatch.setenv("MEDIATION_SECURE_COOKIES", "1")
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    enabled = limiter.enabled
    deployed = create_app()  # configured as a deployment is: instance folder and environment
    limiter.enabled = enabled  # one Limiter serves every app: the last init_app set it
    with deployed.app_context():
        db.engine.dispose()
    assert deployed.config["SESSION_COOKIE_SECURE"] is True
    assert deployed.config["REMEMBER_COOKIE_SECURE"] is True


def test_the_login_page_is_the_same_for_a_stale_cookie(signed_in):
    """A session ended elsewhere shows the sign-in page, not an error."""
    _user, browser = signed_in("mediator")
    _age(browser, seen_ago=10**6)
    assert page(browser.get("/login")).status == 200
