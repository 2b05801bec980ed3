"""schemathesis against the OpenAPI document: every operation, with generated requests, must
answer without a server error and exactly as the document says (status, content type, headers,
body schema). Runs in every `make test`, on SQLite and on PostgreSQL.

The token is an administrator's of Changchun, whose region has a case in every state (so the
triggers, payments and the PDF are reached, not only their 404s); most generated case numbers
are replaced by these cases' numbers, and one in four is kept (a 404, or another region's case).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mediation.extensions import db
from tests.api.conftest import issue_token
from tests.factories import make_case, make_user

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
EXAMPLES = 40  # per operation, positive and negative: about a minute for the whole API on each database
STATES = ("intake", "referred", "mediating", "settled", "effective", "defaulted", "enforcing", "closed")


class FreshContext:
    """Each request in an app context of its own, after the test's own transaction has ended,
    as under a real server (see tests.web.conftest.RequestScopedClient)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    def __call__(self, environ, start_response):  # noqa: ANN001, ANN204
        db.session.commit()
        with self.app.app_context():
            return self.app(environ, start_response)


@pytest.fixture
def seeded(app, _request_scoped_clients) -> dict:
    numbers = [make_case(state, region="220102").number for state in STATES]
    numbers.append(make_case("mediating", region="222401").number)  # Yanbian: out of the token's scope
    admin = make_user("admin", "220100")
    return {"numbers": numbers, "token": issue_token(admin)}


def _strategy(operation, numbers: list[str]):  # noqa: ANN001, ANN202
    """Generated requests, positive and negative; for a case's URL, most at a seeded case."""
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if "{number}" in operation.path:
        strategies += [operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters={"number": n})
                       for n in numbers for _ in range(3)]
    return st.one_of(strategies)


def test_the_api_answers_as_its_document_says(app, seeded):
    """One pytest test looping over the operations (schemathesis's own pytest plugin reads pytest
    internals that pytest 9.2 no longer has); each operation is one Hypothesis run."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", FreshContext(app))
    headers = {"Authorization": f"Bearer {seeded['token']}"}
    failures, operations = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations.add(operation.label)

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=_strategy(operation, seeded["numbers"]))
        def run(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # noqa: BLE001 (every operation's failures are reported at once)
            failures.append(f"{operation.label}: {error}")
    documented = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items()
                  for method in item if method != "parameters" and not path.endswith("/openapi.json")}
    assert operations == documented
    assert not failures, "\n\n".join(failures)
