"""Token services: only the hash is stored, lookups refuse what they must, limits and rights hold."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from flask_babel import force_locale

from mediation.api.auth import user_for_token
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import ApiToken, User
from mediation.tokens.services import MAX_LIVE_TOKENS, token_issue, token_revoke, tokens_of
from tests.cases.unchanged import nothing_written
from tests.factories import make_user
from tests.tokens.conftest import token_rows


@pytest.fixture
def owner(app):
    return make_user("mediator", "220102")


def issue(user: User, actor: User | None = None, name: str = "court platform") -> tuple[ApiToken, str]:
    token, raw = token_issue(user=user, actor=actor or user, name=name)
    db.session.commit()
    return token, raw


def stored(token: ApiToken) -> ApiToken:
    db.session.rollback()
    return db.session.get(ApiToken, token.id)


def test_only_the_hash_of_the_token_is_stored(owner):
    token, raw = issue(owner, name="  court platform  ")
    assert raw.startswith("med_") and len(raw) == 47
    (row,) = token_rows()
    assert raw not in row
    assert row[3] == hashlib.sha256(raw.encode()).hexdigest()
    assert row[4] == raw[:8]
    token = stored(token)
    assert (token.user_id, token.name, token.created_by_id) == (owner.id, "court platform", owner.id)
    assert token.last_used_at is None and token.revoked_at is None and token.created_at is not None


def test_every_token_is_new(owner):
    raws = {issue(owner)[1] for _ in range(5)}
    assert len(raws) == 5


def test_a_live_token_finds_its_user(owner):
    _token, raw = issue(owner)
    assert user_for_token(raw).id == owner.id


@pytest.mark.parametrize("raw", ["", "med_", "med_unknown-token", "Bearer med_x", "x" * 5000, None, 42],
                         ids=["empty", "prefix only", "unknown", "with scheme", "huge", "none", "number"])
def test_unknown_tokens_find_nobody(owner, raw):
    issue(owner)
    assert user_for_token(raw) is None


def test_a_token_of_another_case_finds_nobody(owner):
    _token, raw = issue(owner)
    assert user_for_token(raw.upper()) is None
    assert user_for_token(raw + "x") is None


def test_a_revoked_token_finds_nobody(owner):
    token, raw = issue(owner)
    token_revoke(token=token, actor=owner)
    db.session.commit()
    assert user_for_token(raw) is None


def test_the_token_of_an_inactive_user_finds_nobody(owner):
    _token, raw = issue(owner)
    owner.active = False
    db.session.commit()
    assert user_for_token(raw) is None
    owner.active = True  # reactivated: the token works again (it was never revoked)
    db.session.commit()
    assert user_for_token(raw).id == owner.id


def test_use_is_recorded_at_most_once_a_minute(owner):
    token, raw = issue(owner)
    user_for_token(raw)
    first = stored(token).last_used_at
    assert first is not None
    user_for_token(raw)
    assert stored(token).last_used_at == first  # within the minute: no write

    token = stored(token)
    token.last_used_at = utcnow() - dt.timedelta(seconds=61)
    db.session.commit()
    earlier = stored(token).last_used_at
    user_for_token(raw)
    assert stored(token).last_used_at > earlier


def test_recording_use_leaves_the_user_usable(owner):
    _token, raw = issue(owner)
    user = user_for_token(raw)
    assert user.username == owner.username and user.region.code == "220102"


@pytest.mark.parametrize(("name", "message"), [
    ("", "Give the token a name"), ("   ", "Give the token a name"), (None, "Give the token a name"),
    ("n" * 81, "At most 80 characters."),
], ids=["empty", "blank", "none", "too long"])  # a name is text: the page's field and the command's argument
def test_a_token_needs_a_name(owner, name, message):
    with force_locale("en"), nothing_written(ValidationFailed, field="name", also=token_rows) as refused:
        token_issue(user=owner, actor=owner, name=name)
    assert message in refused.value.field_errors["name"][0]


def test_a_name_of_80_characters_is_fine(owner):
    token, _raw = issue(owner, name="名" * 80)
    assert stored(token).name == "名" * 80


def test_an_inactive_user_gets_no_token(owner):
    admin = make_user("admin", "220100")
    owner.active = False
    db.session.commit()
    with nothing_written(Refused, also=token_rows) as refused:
        token_issue(user=owner, actor=admin, name="script")
    with force_locale("en"):
        assert "inactive" in str(refused.value.message)


def test_a_user_holds_at_most_twenty_live_tokens(owner):
    tokens = [issue(owner, name=f"script {i}")[0] for i in range(MAX_LIVE_TOKENS)]
    with nothing_written(Refused, also=token_rows) as refused:
        token_issue(user=owner, actor=owner, name="one too many")
    with force_locale("en"):
        assert "at most 20 live API tokens" in str(refused.value.message)
    token_revoke(token=stored(tokens[0]), actor=owner)
    db.session.commit()
    issue(owner, name="in the freed place")
    assert len(tokens_of(owner)) == MAX_LIVE_TOKENS + 1


def test_nobody_issues_tokens_for_someone_else_but_an_administrator_of_their_region(owner):
    for actor in (make_user("mediator", "220102"), make_user("supervisor", "220000"),
                  make_user("admin", "222400")):  # an administrator of another prefecture
        with nothing_written(NotPermitted, also=token_rows):
            token_issue(user=owner, actor=actor, name="script")
    admin = make_user("admin", "220100")
    token, _raw = issue(owner, actor=admin, name="set up by the administrator")
    assert stored(token).created_by_id == admin.id


def test_the_command_line_issues_for_anyone(owner):
    token, raw = token_issue(user=owner, actor=None, name="command line")
    db.session.commit()
    assert stored(token).created_by_id is None
    assert user_for_token(raw).id == owner.id


def test_revoking_is_for_the_owner_and_their_administrators(owner):
    token, raw = issue(owner)
    for actor in (make_user("mediator", "220102"), make_user("admin", "222400")):
        with nothing_written(NotPermitted, also=token_rows):
            token_revoke(token=stored(token), actor=actor)
    token_revoke(token=stored(token), actor=make_user("admin", "220000"))
    db.session.commit()
    assert stored(token).revoked_at is not None
    assert user_for_token(raw) is None


def test_revoking_twice_is_refused_and_changes_nothing(owner):
    token, _raw = issue(owner)
    token_revoke(token=token, actor=owner)
    db.session.commit()
    with nothing_written(Refused, also=token_rows) as refused:
        token_revoke(token=stored(token), actor=owner)
    with force_locale("en"):
        assert str(refused.value.message) == "This token was already revoked."


def test_tokens_of_lists_live_and_revoked_newest_first(owner):
    other = make_user("mediator", "220102")
    first, _ = issue(owner, name="first")
    issue(other, name="someone else's")
    second, _ = issue(owner, name="second")
    token_revoke(token=stored(first), actor=owner)
    db.session.commit()
    assert [t.name for t in tokens_of(owner)] == ["second", "first"]
    assert [t.live for t in tokens_of(owner)] == [True, False]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_use_is_recorded_in_a_reading_and_a_writing_request(app, owner, method):
    """A GET commits nothing of its own, and on SQLite begins a deferred transaction: the use
    is committed by the lookup itself, and survives the request's rollback."""
    token, raw = issue(owner)
    with app.test_request_context("/api/v1/cases", method=method):
        assert user_for_token(raw).id == owner.id
        db.session.rollback()
    assert stored(token).last_used_at is not None
