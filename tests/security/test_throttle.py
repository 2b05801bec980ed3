"""Sign-in throttling: failures counted per account and per address in Flask-Limiter's storage
(memory here; Redis shared by several workers in the last test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from limits import parse

from mediation.config import PROJECT_ROOT
from mediation.extensions import db, limiter
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user
from tests.web.conftest import english, login, page

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WRONG = "wrong-password-123"


def _per_account(app) -> int:  # noqa: ANN001
    return parse(app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]).amount


def _attempt(app, username: str, password: str):  # noqa: ANN001, ANN202
    """A sign-in from a new browser (same address)."""
    return login(english(app.test_client()), username, password)


def test_a_throttled_sign_in_gets_429_a_clear_message_and_retry_after(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    user = make_user("mediator")
    for _ in range(_per_account(limited)):
        assert _attempt(limited, user.username, WRONG).status_code == 401
    response = _attempt(limited, user.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts: please wait a few minutes and try again" in response.get_data(as_text=True)
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60


def test_a_locked_account_and_an_unknown_name_look_the_same(make_app):
    """The throttle does not tell which usernames exist."""
    limited = make_app(RATELIMIT_ENABLED=True)
    user = make_user("mediator")
    answers = {}
    for name in (user.username, "nobody-by-this-name"):
        statuses = [_attempt(limited, name, WRONG).status_code for _ in range(_per_account(limited))]
        locked = _attempt(limited, name, WRONG)
        answers[name] = (statuses, locked.status_code, page(locked).text.replace(name, "NAME"))
    assert answers[user.username] == answers["nobody-by-this-name"]
    assert answers[user.username][1] == 429


def test_successful_sign_ins_are_not_counted(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    user = make_user("mediator")
    for _ in range(_per_account(limited) + 2):
        assert _attempt(limited, user.username, TEST_PASSWORD).status_code == 302


def test_the_account_key_ignores_case_and_spaces(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    user = make_user("mediator")
    spellings = [user.username.upper(), f" {user.username}", user.username.title(), user.username, user.username]
    for spelling in spellings[:_per_account(limited)]:
        assert _attempt(limited, spelling, WRONG).status_code == 401
    assert _attempt(limited, user.username, TEST_PASSWORD).status_code == 429


def test_guessing_the_current_password_on_the_change_page_is_throttled(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    user = make_user("mediator")
    browser = english(limited.test_client())
    assert login(browser, user).status_code == 302
    form = {"new_password": "plum-blossom-river-42", "confirm": "plum-blossom-river-42"}
    for _ in range(_per_account(limited)):
        assert browser.post("/account/password", data={"current_password": WRONG, **form}).status_code == 400
    response = browser.post("/account/password", data={"current_password": TEST_PASSWORD, **form})
    assert response.status_code == 429 and "Retry-After" in response.headers


# --- several workers, one count ----------------------------------------------------------------

WORKER = """
import json, sys
from mediation import create_app
config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
for _ in range(config["ATTEMPTS"]):
    status = client.post("/login", data={"username": config["USERNAME"], "password": "wrong-password-123"}).status_code
    print(status)
"""


def _redis():  # noqa: ANN202
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} cannot be reached ({error}): the Redis test must run in CI")
        pytest.skip(f"Redis at {REDIS_URL} cannot be reached ({error})")
    return client


@pytest.mark.real_commits  # the first worker is another process: it must see the user
def test_two_workers_share_the_count_in_redis(make_app, database_uri, tmp_path):
    """Two processes (as two gunicorn workers) with RATELIMIT_STORAGE_URI=redis://: the failures
    one of them saw lock the account in the other."""
    store = _redis()
    prefix = f"mediation-test-{uuid.uuid4().hex}"
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_uri,
              "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL,
              "RATELIMIT_KEY_PREFIX": prefix, "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False}
    username = make_user("mediator").username
    db.session.commit()  # end our transaction: SQLite would keep the other process out
    try:
        limit = parse(make_app(**config).config["LOGIN_ATTEMPTS_PER_ACCOUNT"]).amount
        first_worker = subprocess.run(
            [sys.executable, "-c", WORKER, json.dumps({**config, "USERNAME": username, "ATTEMPTS": limit})],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "MEDIATION_INSTANCE_PATH": str(tmp_path)})
        assert first_worker.returncode == 0, first_worker.stderr
        assert first_worker.stdout.split() == ["401"] * limit
        assert store.keys(f"*{prefix}*"), "the first worker counted in Redis"

        second_worker = make_app(**config)  # this process, its own connection to Redis
        response = _attempt(second_worker, username, TEST_PASSWORD)
        assert response.status_code == 429 and "Retry-After" in response.headers

        on_its_own = make_app(**{**config, "RATELIMIT_STORAGE_URI": "memory://"})  # a worker counting alone
        assert _attempt(on_its_own, username, TEST_PASSWORD).status_code == 302
    finally:
        limiter._key_prefix = ""  # one Limiter serves every app, and it keeps the first prefix it sees
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
