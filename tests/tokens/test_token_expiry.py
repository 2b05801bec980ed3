"""API tokens expire: after API_TOKEN_DAYS (180 by default) unless the command line that issued
one asked for fewer; an expired token is a 401 that says so, the tokens page shows each token's
expiry, and an expired token no longer counts among the live ones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from mediation.common.errors import Refused, ValidationFailed
from mediation.common.timeutil import CHINA, as_utc, utcnow
from mediation.extensions import db
from mediation.models import ApiToken
from mediation.tokens.services import MAX_LIVE_TOKENS, token_issue
from tests.api.conftest import ApiClient, assert_problem
from tests.factories import make_user
from tests.tokens.conftest import token_rows
from tests.web.conftest import page

DAY = dt.timedelta(days=1)


def issue(user, **kwargs) -> tuple[ApiToken, str]:  # noqa: ANN001
    token, raw = token_issue(user=user, actor=kwargs.pop("actor", user), name=kwargs.pop("name", "script"), **kwargs)
    db.session.commit()
    return token, raw


def expire(token: ApiToken, ago: dt.timedelta = dt.timedelta(seconds=1)) -> None:
    token.expires_at = utcnow() - ago
    db.session.commit()


def day_of(moment: dt.datetime) -> str:
    """The date as the UI and the messages give it: in China."""
    return as_utc(moment).astimezone(CHINA).date().isoformat()


def lifetime(token: ApiToken) -> dt.timedelta:
    return as_utc(token.expires_at) - as_utc(token.created_at)


def test_a_token_expires_after_180_days_by_default(app):
    token, _raw = issue(make_user("mediator", "220100"))
    assert app.config["API_TOKEN_DAYS"] == 180
    assert lifetime(token) == 180 * DAY


def test_the_lifetime_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 30)
    token, _raw = issue(make_user("mediator", "220100"))
    assert lifetime(token) == 30 * DAY


@pytest.mark.parametrize("days", [1, 7, 180])
def test_a_shorter_lifetime_may_be_asked_for(app, days):
    token, _raw = issue(make_user("mediator", "220100"), days=days)
    assert lifetime(token) == days * DAY


# "30", 1.5 or true never reach the service: the command line's --days is an integer option (below)
@pytest.mark.parametrize("days", [0, -3, 181, 10**9])
def test_a_lifetime_beyond_the_setting_or_not_a_whole_number_of_days_is_refused(app, days):
    user = make_user("mediator", "220100")
    with pytest.raises(ValidationFailed) as refused:
        token_issue(user=user, actor=None, name="script", days=days)
    assert "days" in refused.value.field_errors
    db.session.rollback()
    assert token_rows() == []


def test_an_expired_token_is_a_401_that_says_it_expired(app, anonymous):
    user = make_user("mediator", "220100")
    token, raw = issue(user)
    client = ApiClient(anonymous.client, raw)
    assert client.get("/api/v1/cases").status_code == 200
    expire(token)
    used = token.last_used_at
    body = assert_problem(client.get("/api/v1/cases"), 401, "token_expired")
    assert "expired" in body["detail"] and day_of(token.expires_at) in body["detail"]
    response = client.get("/api/v1/cases")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    db.session.rollback()
    assert db.session.get(ApiToken, token.id).last_used_at == used  # an expired token's use is no use


def test_a_revoked_token_that_also_expired_is_simply_unknown(app, anonymous):
    from mediation.tokens.services import token_revoke

    token, raw = issue(make_user("mediator", "220100"))
    token_revoke(token=token, actor=None)
    expire(token)
    assert_problem(ApiClient(anonymous.client, raw).get("/api/v1/cases"), 401, "unauthorized")


def test_a_token_works_until_its_expiry(app, anonymous):
    token, raw = issue(make_user("mediator", "220100"))
    token.expires_at = utcnow() + dt.timedelta(minutes=1)
    db.session.commit()
    assert ApiClient(anonymous.client, raw).get("/api/v1/cases").status_code == 200


def test_expired_tokens_leave_room_for_new_ones(app):
    user = make_user("mediator", "220100")
    tokens = [issue(user, name=f"t{n}")[0] for n in range(MAX_LIVE_TOKENS)]
    with pytest.raises(Refused):
        token_issue(user=user, actor=user, name="one too many")
    db.session.rollback()
    expire(db.session.get(ApiToken, tokens[0].id))
    assert issue(user, name="replacement")[0].expires_at is not None


def test_the_tokens_page_shows_when_each_token_expires(signed_in):
    user, browser = signed_in("mediator")
    made = page(browser.post("/account/tokens", data={"name": "court platform"}))
    (row,) = token_rows()
    token = db.session.get(ApiToken, row[0])
    expires_on = day_of(token.expires_at)
    assert f"It expires on {expires_on}" in made.text
    old, _raw = issue(user, name="old script")
    expire(old, ago=3 * DAY)
    listed = page(browser.get("/account/tokens"))
    rows = dict(re.findall(r'<tr data-token="(\d+)" data-live="(yes|no)"', listed.text))
    assert rows == {str(token.id): "yes", str(old.id): "no"}
    assert expires_on in listed.text
    expired_row = listed.text.split(f'data-token="{old.id}"')[1].split("</tr>")[0]
    assert "Expired on" in expired_row and 'data-action="revoke"' not in expired_row


def test_the_command_line_issues_a_shorter_lived_token(runner):
    make_user("mediator", "220100", username="li")
    result = runner.invoke(args=["users", "token", "li", "--days", "30"])
    assert result.exit_code == 0, result.output
    token = db.session.scalars(select(ApiToken)).one()
    assert lifetime(token) == 30 * DAY
    assert f"expires on {day_of(token.expires_at)}" in result.stderr
    default = runner.invoke(args=["users", "token", "li"])
    assert default.exit_code == 0 and len(token_rows()) == 2


@pytest.mark.parametrize(("days", "said"), [("0", "180"), ("181", "180"), ("x", "is not a valid integer"),
                                          ("1.5", "is not a valid integer"), ("true", "is not a valid integer")])
def test_the_command_line_refuses_a_longer_or_nonsense_lifetime(runner, days, said):
    make_user("mediator", "220100", username="zhao")
    result = runner.invoke(args=["users", "token", "zhao", "--days", days])
    assert result.exit_code != 0 and result.stdout == "" and said in result.output, result.output
    assert token_rows() == []
