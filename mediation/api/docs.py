"""The OpenAPI side of the API: its Api class, the case-number converter, documented errors."""

from __future__ import annotations

import http
from collections.abc import Callable

from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
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
    """flask-smorest's Api, with every error documented as application/problem+json and
    answered by mediation.api.problems (not by flask-smorest's own JSON error handler)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass  # problems.register_problem_handlers answers errors, for /api/v1 only

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": ProblemSchema}
            if status == 401:
                response["headers"] = UNAUTHORIZED_HEADERS
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as a problem document.", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


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
