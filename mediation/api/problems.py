"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`).

Every error under /api/v1 answers {type, title, status, code, detail, errors?}: `code` is a
stable machine word clients may branch on, `title` and `detail` are for people (translated),
and a validation problem lists every field that failed as {field, message}, the field named
as a JSON pointer into the request body without its leading slash ("workers/0/id_number"),
or as the query parameter or header it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from flask import Flask, Response, current_app, json, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from mediation.common.errors import ServiceError
from mediation.extensions import db

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/v1"

# status -> (code, title) for the errors HTTP itself raises (routing, parsing, limits)
HTTP_PROBLEMS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("The request could not be understood")),
    401: ("unauthorized", _l("A valid API token is required")),
    403: ("forbidden", _l("You may not do this")),
    404: ("not_found", _l("Not found")),
    405: ("method_not_allowed", _l("This action is not available here")),
    409: ("conflict", _l("Conflict")),
    413: ("payload_too_large", _l("The request is too large")),
    415: ("unsupported_media_type", _l("The request body must be JSON")),
    422: ("validation_failed", _l("Please correct the marked fields.")),
    429: ("too_many_requests", _l("Too many requests: please wait and try again")),
    500: ("internal_error", _l("Something went wrong on our side")),
    503: ("service_unavailable", _l("Temporarily unavailable")),
}
MALFORMED_JSON = ("malformed_json", _l("The request body is not valid JSON."))
# A service's validation error is the client's to correct: 422 like a schema error, one code.
SERVICE_STATUS = {"validation_failed": 422}


class ApiProblem(Exception):
    """An error the API raises itself (auth, idempotency, a filter out of scope)."""

    def __init__(self, status: int, code: str, detail: Any = None, *,
                 errors: list[dict[str, str]] | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail
        self.errors = errors
        self.headers = dict(headers or {})


def in_api() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def problem(status: int, code: str, detail: Any = None, *, errors: list[dict[str, str]] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
    title = HTTP_PROBLEMS.get(status, ("", _l("Error")))[1]
    body: dict[str, Any] = {"type": f"urn:mediation:problem:{code}", "title": str(title), "status": status,
                            "code": code, "detail": str(detail if detail is not None else title)}
    if errors is not None:
        body["errors"] = [{"field": e["field"], "message": str(e["message"])} for e in errors]
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers.update(headers or {})
    return response


def flatten(messages: Any, prefix: str = "") -> Iterator[dict[str, str]]:
    """marshmallow's nested error dict as {field, message} rows; "_schema" is the object itself."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = prefix if key == "_schema" else f"{prefix}/{key}" if prefix else str(key)
            yield from flatten(value, name)
    elif isinstance(messages, list | tuple):
        for item in messages:
            yield from flatten(item, prefix)
    else:
        yield {"field": prefix, "message": str(messages)}


def validation_problem(errors: list[dict[str, str]], detail: Any = None) -> Response:
    return problem(422, "validation_failed", detail or _l("Please correct the marked fields."), errors=errors)


def _from_http(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}  # webargs puts the parser's messages here
    messages = data.get("messages")
    headers = dict(data.get("headers") or {})
    if status == 400 and messages and "json" in messages and isinstance(messages["json"], list):
        return problem(400, MALFORMED_JSON[0], MALFORMED_JSON[1])
    if status == 422 and messages is not None:
        # {location: errors}; the body's fields are named plainly, the others by their parameter
        rows = [row for location in messages.values() for row in flatten(location)]
        return validation_problem(rows)
    code, title = HTTP_PROBLEMS.get(status, (error.name.lower().replace(" ", "_"), error.name))
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return problem(status, code, title, headers=headers)


def from_service_error(error: ServiceError, rename: Callable[[str], str] | None = None) -> Response:
    """A service's refusal; `rename` turns its field names into the request body's where they
    differ (an operation's `api_field`)."""
    status = SERVICE_STATUS.get(error.code, error.status)
    # a refusal's field errors, or the warnings a NeedsConfirmation asks the client to confirm
    fields = error.field_errors or getattr(error, "warnings", None) or {}
    if not fields:
        return problem(status, error.code, error.message)
    rename = rename or (lambda name: name)
    rows = [{"field": rename(name), "message": message}
            for name, messages in fields.items() for message in messages]
    return problem(status, error.code, error.message, errors=rows)


def service_problem(error: ServiceError) -> Response:
    """A service error no view turned into a problem itself (registered on the API blueprints)."""
    db.session.rollback()
    return from_service_error(error)


def register_problem_handlers(app: Flask, pages: Mapping[type, Callable]) -> None:
    """Answer errors under /api/v1 as problems; hand every other path to the pages' handlers
    `pages` (the app's, as they were before the API was set up: this wraps them). The handler
    for HTTPException replaces flask-smorest's JSON one too."""
    page_http_error = pages.get(HTTPException)
    page_unexpected = pages.get(Exception)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not in_api():
            return page_http_error(error) if page_http_error else error
        db.session.rollback()
        return _from_http(error)

    @app.errorhandler(ApiProblem)
    def api_problem(error: ApiProblem):
        db.session.rollback()
        return problem(error.status, error.code, error.detail, errors=error.errors, headers=error.headers)

    if page_unexpected is None:
        return  # testing: let the test see the real exception

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if not in_api():
            return page_unexpected(error)
        db.session.rollback()
        current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _from_http(InternalServerError())
