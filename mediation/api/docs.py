"""The OpenAPI side of the API: its Api class, the case-number converter, documented errors."""

from __future__ import annotations

import http
from collections.abc import Callable

from flask_smorest import Api, Blueprint
from werkzeug.routing import BaseConverter

from mediation.api.problems import PROBLEM_MIMETYPE, service_problem
from mediation.api.schemas.cases import CASE_NUMBER_PATTERN
from mediation.api.schemas.common import ProblemSchema
from mediation.common.errors import ServiceError

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": {"description": "Bearer realm=\"api\"", "schema": {"type": "string"}}}


class CaseNumberConverter(BaseConverter):
    """A case number in a URL; anything else is not a case (404 before any query)."""

    regex = CASE_NUMBER_PATTERN[1:-1]


class MediationApi(Api):
    """flask-smorest's Api, with every error documented as application/problem+json.

    Errors are answered by mediation.api.problems, whose HTTPException handler replaces the one
    this class registers (init_api registers it after this). ERROR_SCHEMA is the documented
    switch for the error schema; the content type of the error responses is set by
    `document_problems` below, with apispec's public component registry.
    """

    ERROR_SCHEMA = ProblemSchema


def _problem_response(description: str, status: int | None = None) -> dict:
    response: dict = {"description": description}
    if status == 401:
        response["headers"] = UNAUTHORIZED_HEADERS
    response["content"] = {PROBLEM_MIMETYPE: {"schema": ProblemSchema}}
    return response


def document_problems(api: Api) -> None:
    """Every error response as a problem document: 4xx and 5xx by their status names
    ("NOT_FOUND"), as `problems()` and flask-smorest refer to them, and the default one.

    flask-smorest registers these names lazily (listed only when an operation refers to one),
    as application/json; registering a lazy component again replaces it before any reference
    (tests/api/test_openapi.py holds that each one is application/problem+json).
    """
    components = api.spec.components
    for status in http.HTTPStatus:
        if status >= 400:
            components.response(status.name, _problem_response(status.phrase, status), lazy=True)
    components.response(api.DEFAULT_ERROR_RESPONSE_NAME,
                        _problem_response("An error, as a problem document."), lazy=True)


def problems(blp: Blueprint, *statuses: int) -> Callable:
    """Document the error responses an operation answers (each a problem document)."""

    def decorator(view: Callable) -> Callable:
        for status in (401, *statuses):
            view = blp.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return decorator


def blueprint(name: str, import_name: str, *, url_prefix: str, description: str) -> Blueprint:
    """A blueprint of the API: a service error its views leave unhandled is a problem too."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix, description=description)
    bp.register_error_handler(ServiceError, service_problem)
    return bp
