"""The OpenAPI document: valid, public, and describing every route the app serves under /api/v1."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from werkzeug.exceptions import HTTPException

import workflows
from mediation.api.actions import TRIGGERS

PROBLEM = "application/problem+json"


def _document(anonymous) -> dict:
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_and_needs_no_token(anonymous):
    document = _document(anonymous)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_every_route_under_the_api_is_in_the_document_with_its_methods(app, anonymous):
    document = _document(anonymous)
    served = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            methods = {m.lower() for m in rule.methods if m not in ("HEAD", "OPTIONS")}
            served.setdefault(_openapi_path(rule.rule), set()).update(methods)
    documented = {path: set(operations) - {"parameters"} for path, operations in document["paths"].items()}
    assert served == documented


# The API actions that fire no workflow trigger: corrections and the agreement PDF.
NON_TRIGGER_ACTIONS = {"correct_claims", "void_payment", "cancel_session", "reschedule_session", "generate_agreement"}


def test_there_is_one_operation_per_workflow_trigger(anonymous):
    assert set(TRIGGERS) == set(workflows.TRIGGERS) | NON_TRIGGER_ACTIONS | {"correct_party"}
    paths = _document(anonymous)["paths"]
    for action in TRIGGERS:
        assert "post" in paths[f"/api/v1/cases/{{number}}/actions/{action}"]


def test_every_error_is_documented_as_a_problem(anonymous):
    document = _document(anonymous)
    responses = document["components"]["responses"]
    for path, operations in document["paths"].items():
        if path.endswith("openapi.json"):
            continue
        for operation in (o for name, o in operations.items() if name != "parameters"):
            assert "401" in operation["responses"] and "default" in operation["responses"], path
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) or status == "default":
                    name = response["$ref"].rsplit("/", 1)[1]
                    assert list(responses[name]["content"]) == [PROBLEM], (path, status)


def test_no_documentation_page_loads_scripts_from_a_cdn(anonymous):
    for path in ("/api/v1/swagger-ui", "/api/v1/redoc", "/api/v1/rapidoc"):
        assert anonymous.get(path).status_code in (401, 404)


def test_the_error_responses_are_problems_and_401_names_its_challenge(app, anonymous):
    responses = _document(anonymous)["components"]["responses"]
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert responses["DEFAULT_ERROR"] == {"description": "An error, as a problem document.", "content": problem}
    assert responses["UNAUTHORIZED"]["content"] == problem
    assert responses["UNAUTHORIZED"]["headers"]["WWW-Authenticate"]["description"] == 'Bearer realm="api"'
    assert "Error" not in _document(anonymous)["components"]["schemas"]  # flask-smorest's own error schema
    # and flask-smorest's JSON error handler is replaced by the problems' one
    handler = app.error_handler_spec[None][None][HTTPException]
    assert getattr(handler, "__self__", None) is None and handler.__module__ == "mediation.api.problems"
