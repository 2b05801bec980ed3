"""Values no column can hold, in every path and query parameter (and the form fields) of every
route of the URL map: a NUL byte, and integers past a database integer's range. Each answers with
a refusal or the page itself, never a 500, on both databases (issue: PostgreSQL refused them with
an error the app did not expect)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.factories import make_case

HOSTILE = ("a\x00b", "2147483648", "99999999999999999999")
# The query parameters the pages and the API read, and the form fields the pages post.
QUERY_NAMES = ("q", "page", "per_page", "period", "region", "state", "channel", "overdue", "employer", "figure",
               "kind", "venue", "from", "to", "action", "username", "case", "lang", "next", "code", "as_of")
FORM_NAMES = ("username", "password", "name", "note", "reason", "version", "venue_id", "worker_id", "amount",
              "code", "purpose", "period", "region", "full_name", "role", "region_code", "active")
SKIPPED = {"/logout", "/static/<path:filename>"}  # signing out ends the walk's session; files on disk


def _path(rule: str, value: str, number: str) -> str:
    """The rule with every argument set to `value` (a case number where the rule names one,
    so the value reaches the rest)."""
    def fill(match: re.Match) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if name == "number" and "case_number" in converter:
            return number
        if name == "action":
            return "settle"
        return quote(value, safe="")
    return re.sub(r"<(?:([a-z_]+)(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule)


def _requests(app, number: str):  # noqa: ANN001, ANN202
    for rule in app.url_map.iter_rules():
        if rule.rule in SKIPPED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value in HOSTILE:
                if rule.arguments:
                    yield method, _path(rule.rule, value, number), None
                real = _path(rule.rule, "1", number).replace("/settle", "/settle")
                real = re.sub(r"/cases/1(/|$)", f"/cases/{number}\\1", real)
                query = "&".join(f"{name}={quote(value, safe='')}" for name in QUERY_NAMES)
                yield method, f"{real}?{query}", ({name: value for name in FORM_NAMES} if method == "POST" else None)


@pytest.mark.parametrize("role", ["admin", "mediator"])
def test_no_route_answers_a_500_to_values_no_column_can_hold(app, signed_in, role):
    user, browser = signed_in(role, "220000" if role == "admin" else "220100")
    case = make_case("settled", region="220102", mediator=user if role == "mediator" else None)
    failures = []
    for method, url, form in _requests(app, case.number):
        try:  # the test app lets an unexpected exception through: that is the 500 it would be
            status = browser.open(url, method=method, data=form).status_code
        except Exception as error:  # noqa: BLE001
            status = f"500 ({type(error).__name__}: {str(error).splitlines()[0][:80]})"
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{method} {url[:70]!r}: {status}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("state", ["intake", "referred", "mediating", "failed"])
def test_a_payment_schedule_posted_to_a_case_never_settled_is_refused(app, signed_in, state):
    """The schedule's page is for a settled case only: posted to any other, it is a refusal, not a
    500 (the schedule reads the day the terms were agreed, which such a case does not have)."""
    user, browser = signed_in("mediator", "220100")
    case = make_case(state, region="220102", mediator=user)
    worker = case.workers[0]
    response = browser.post(f"/cases/{case.number}/installments", data={
        "version": str(case.version), "rows-0-worker_id": str(worker.id), "rows-0-due_on": "2030-01-01",
        "rows-0-amount": "100.00"})
    assert response.status_code in (403, 409)
