"""Security headers on every route: the URL map is walked, so a new route is checked without
anyone adding it here. Each GET-able rule is requested signed out, as a signed-in administrator
and (under /api/) with a bearer token, with its arguments taken from seeded data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter, Rule

from mediation.common.timeutil import today
from mediation.config import PROJECT_ROOT
from mediation.enforcement.services import jc_application_generate
from mediation.extensions import db
from mediation.hazards.notices import notice_generate
from mediation.hazards.services import hazard_record
from mediation.stats import period as periods
from mediation.stats.locks import report_lock
from mediation.tokens.services import token_issue
from mediation.web.security import CONTENT_SECURITY_POLICY
from tests.consultations.helpers import make_consultation
from tests.factories import make_case, make_user
from tests.hazards.conftest import hazard_input
from tests.web.conftest import login

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
# Pages that answer a province administrator with something other than 200, and why.
NOT_FOR_AN_ADMIN = {
    "/login": "a signed-in user is sent on to the case list",
    "/workroom": "a lawyer's own page",
    "/consultations/new": "lawyers and mediators log consultations",
    "/consultations/<int:consultation_id>/edit": "lawyers and mediators edit them",
    "/hazards/new": "mediators and lawyers record hazards",
}


@dataclass
class Seed:
    values: dict[str, object]  # argument name -> value
    token: str


@pytest.fixture
def seed(app) -> Seed:
    admin = make_user("admin", "220000", username="walker")
    case = make_case("enforcing", region="220102")  # agreement, application PDF, an enforcement path
    _token, raw = token_issue(user=admin, actor=admin, name="walk")
    last_month = today().replace(day=1) - dt.timedelta(days=1)
    report = report_lock(actor=admin, region=admin.region, period=periods.month(last_month.year, last_month.month))
    path = case.enforcement_paths[0]
    jc_application_generate(case=case, actor=admin, path_id=path.id, verify_url="http://localhost/verify")
    consultation = make_consultation(make_user("lawyer", "220102"))
    hazard = hazard_record(actor=case.mediator, data=hazard_input())  # with its notice, version 1
    notice_generate(hazard=hazard, actor=case.mediator, expected_version=None,
                    reply_by=today() + dt.timedelta(days=10), verify_url="http://localhost/verify")
    db.session.commit()
    values = {
        "number": case.number, "action": "payment", "version": 1, "kind": "jc_application",
        "user_id": case.lawyer_id, "venue_id": case.venue_id, "path_id": path.id,
        "token_id": _token.id, "report_id": report.id, "entry_id": 1, "code": "en", "uscc": case.employer.uscc,
        "consultation_id": consultation.id,
        "hazard_id": hazard.id,
    }
    return Seed(values, raw)


STATIC_FILES = {"static": "css/app.css", "bootstrap.static": "css/bootstrap.min.css"}


def _arguments(rule: Rule, seed: Seed) -> dict[str, object]:
    """Seeded values by argument name; otherwise something the converter accepts (a 404 page
    still has to carry the headers)."""
    converters = rule._converters  # noqa: SLF001 (werkzeug keeps them only here)
    values = {}
    for name in rule.arguments:
        if name == "filename":
            values[name] = STATIC_FILES.get(rule.endpoint, "missing.txt")
        elif name in seed.values:
            values[name] = seed.values[name]
        elif isinstance(converters.get(name), IntegerConverter):
            values[name] = 1
        elif isinstance(converters.get(name), AnyConverter):
            values[name] = sorted(converters[name].items)[0]
        elif isinstance(converters.get(name), PathConverter):
            values[name] = "x/y"
        else:
            values[name] = "x"
    return values


def _get_rules(app) -> list[Rule]:  # noqa: ANN001
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())]
    assert len(rules) > 30, "the walk found the routes"
    return sorted(rules, key=lambda rule: rule.rule)


def _url(rule: Rule, seed: Seed) -> str:
    return rule.build(_arguments(rule, seed), append_unknown=False)[1]


def _is_static(rule: Rule) -> bool:
    return rule.endpoint == "static" or rule.endpoint.endswith(".static")


def _missing(response) -> dict[str, str | None]:  # noqa: ANN001
    return {name: response.headers.get(name) for name, value in EXPECTED.items()
            if response.headers.get(name) != value}


def test_every_route_carries_the_headers_signed_out(app, seed, client):
    for rule in _get_rules(app):
        url = _url(rule, seed)
        response = client.get(url)
        assert response.status_code < 500, url
        assert not _missing(response), (url, _missing(response))
        if _is_static(rule):
            assert response.status_code == 200, url


def test_every_route_carries_the_headers_and_no_store_for_a_signed_in_user(app, seed, new_client):
    browser = new_client()
    assert login(browser, "walker").status_code == 302
    statuses = {}
    for rule in _get_rules(app):
        url = _url(rule, seed)
        response = browser.get(url)
        if not rule.rule.startswith("/api/"):  # the API ignores the cookie: its own test below
            statuses[rule.rule] = response.status_code
        assert response.status_code < 500, url
        assert not _missing(response), (url, _missing(response))
        cache = response.headers.get("Cache-Control", "")
        if _is_static(rule):
            assert "no-store" not in cache, url  # the same for everyone: cacheable
        else:
            assert "no-store" in cache, (url, cache)
    # The walk reached the pages themselves, not only redirects and 404s.
    not_ok = {path for path, status in statuses.items() if status != 200}
    assert not_ok == NOT_FOR_AN_ADMIN.keys(), statuses
    assert browser.get("/").status_code == 200  # still signed in after the walk


def test_the_api_answers_bearer_requests_with_the_headers_and_no_store(app, seed, client):
    rules = [rule for rule in _get_rules(app) if rule.rule.startswith("/api/")]
    for rule in rules or [Rule("/api/v1/cases", endpoint="absent")]:  # before the API exists: its 404s
        url = rule.rule if rule.endpoint == "absent" else _url(rule, seed)
        response = client.get(url, headers={"Authorization": f"Bearer {seed.token}"})
        assert response.status_code < 500, url
        assert not _missing(response), (url, _missing(response))
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_error_pages_posts_and_throttled_answers_carry_the_headers(app, make_app, client):
    assert not _missing(client.get("/no-such-page"))
    assert not _missing(client.post("/login", data={"username": "x", "password": "wrong-password-123"}))
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_ATTEMPTS_PER_ACCOUNT="1 per minute")
    browser = limited.test_client()
    for _ in range(2):
        response = browser.post("/login", data={"username": "x", "password": "wrong-password-123"})
    assert response.status_code == 429 and not _missing(response)


def test_the_policy_forbids_inline_script_framing_and_plugins():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'" and directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> block"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=\s*[\"']", re.I), "an on* event handler attribute"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(Path(PROJECT_ROOT / "templates").rglob("*.html")),
                         ids=lambda path: str(path.relative_to(PROJECT_ROOT / "templates")))
def test_templates_need_nothing_the_policy_refuses(template):
    """What the CSP would block in a browser is found here first, with the file named."""
    text = template.read_text(encoding="utf-8")
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{template.name} has {what}: {match.group(0)!r}; move it to mediation/static"
