"""How every API write runs: a JSON body, the idempotency key, and the one commit point of
mediation/web/commit.py: committed once on success, rolled back whole (nothing half-written) on
any failure or refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from flask import Response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.api import idempotency
from mediation.api.problems import MALFORMED_JSON, ApiProblem
from mediation.web.commit import abandon, commit


def require_json() -> None:
    """A body must be JSON; an empty body reads as {} (for the triggers whose fields are optional)."""
    body = request.get_data(cache=True)
    if not body:
        return
    if not request.is_json:
        raise ApiProblem(415, "unsupported_media_type",
                         _l("Send the request body as JSON, with Content-Type: application/json."))
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        # the parser later catches only malformed JSON: a 5,000-digit number or nesting ten
        # thousand deep would be a ValueError or RecursionError there, a 500
        raise ApiProblem(400, MALFORMED_JSON[0], MALFORMED_JSON[1]) from None


def writes(*, idempotent: bool = True) -> Callable:
    """Wrap a writing view (outermost, under the route, so it runs before the body is parsed)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            require_json()
            reserved = idempotency.reserve(current_user) if idempotent else None
            if isinstance(reserved, Response):
                return reserved  # a retry: the first response, and nothing done again
            reserved_id = reserved.id if reserved is not None else None
            try:
                response = view(*args, **kwargs)
            except BaseException:
                abandon()
                if reserved_id is not None:
                    idempotency.release(reserved_id)
                raise
            if response.status_code >= 300:
                abandon()
                if reserved_id is not None:
                    idempotency.release(reserved_id)
                return response
            if reserved is not None:
                idempotency.complete(reserved, response)
            commit()
            return response

        return wrapper

    return decorator
