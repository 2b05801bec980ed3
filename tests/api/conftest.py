"""Plumbing of the API tests: clients that carry a real bearer token (made by token_issue),
one app context per request as under a real server, English messages, and row counts to show
that a refused request wrote nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import (
    Case,
    CaseEvent,
    ClaimItem,
    Employer,
    EnforcementPath,
    IdempotencyKey,
    MediationSession,
    Payment,
    PaymentAllocation,
    User,
    Worker,
)
from mediation.tokens.services import token_issue
from tests.factories import credit_code, make_user, resident_id
from tests.web.conftest import (  # noqa: F401 (fixtures, imported to be used here)
    _request_scoped_clients,
    sync,
)

PROBLEM = "application/problem+json"


class ApiClient:
    """A script's HTTP client: JSON in and out, its token on every request, English replies."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client, self.token = client, token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": "en"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def get(self, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any):
        return self.client.get(path, headers=self.headers(headers), **kwargs)

    def post(self, path: str, json: Any = None, *, headers: dict[str, str] | None = None, **kwargs: Any):
        if json is not None:
            kwargs["json"] = json
        return self.client.post(path, headers=self.headers(headers), **kwargs)

    def open(self, path: str, *, method: str, headers: dict[str, str] | None = None, **kwargs: Any):
        return self.client.open(path, method=method, headers=self.headers(headers), **kwargs)


def issue_token(user: User) -> str:
    _token, raw = token_issue(user=user, actor=None, name="tests")
    db.session.commit()
    return raw


@pytest.fixture
def api(app):
    """api(role, region) -> (user, client): a new user with a token; api(user=existing) too."""

    def factory(role: str = "mediator", region: str = "220100", *, user: User | None = None):
        user = user or make_user(role, region)
        return user, ApiClient(app.test_client(), issue_token(user))

    return factory


@pytest.fixture
def anonymous(app) -> ApiClient:
    return ApiClient(app.test_client(), None)


def counts() -> dict[str, int]:
    """Rows of everything an API write could touch."""
    sync()
    models = (Case, Worker, Employer, ClaimItem, CaseEvent, Payment, PaymentAllocation, EnforcementPath,
              MediationSession, IdempotencyKey)
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in models}


def assert_problem(response, status: int, code: str) -> dict:
    """An error as the API promises it: a problem document with its stable code."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM, response.mimetype
    body = response.get_json(force=True)
    assert body["status"] == status and body["code"] == code, body
    assert body["type"] == f"urn:mediation:problem:{code}"
    assert body["title"] and body["detail"]
    return body


def field_errors(response) -> dict[str, list[str]]:
    """{field: [messages]} of a validation problem."""
    body = assert_problem(response, 422, "validation_failed")
    found: dict[str, list[str]] = {}
    for row in body["errors"]:
        found.setdefault(row["field"], []).append(row["message"])
    return found


_references = itertools.count(1)


def referral(*, region: str = "220102", workers: int = 1, **overrides: Any) -> dict:
    """A complete, valid referral as a court platform sends it."""
    body = {
        "channel": "court", "referral_ref": f"(2026)吉0102民初{next(_references)}号", "region_code": region,
        "received_on": (today() - dt.timedelta(days=3)).isoformat(), "language": "zh", "summary": "拖欠三个月工资",
        "employer": {"name": "长春接口测试有限公司", "uscc": credit_code(), "legal_representative": "王法人",
                     "address": "长春市南关区"},
        "workers": [{"name": f"工人{index + 1}", "id_number": resident_id(), "phone": "13912345678",
                     "claims": [{"kind": "wages", "amount": "8000.00"}]} for index in range(workers)],
    }
    body.update(overrides)
    return body
