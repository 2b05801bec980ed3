"""Errors a service raises; each maps to one HTTP status and carries words for the user."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ValidationFailed(ServiceError):
    status = 400
    code = "validation_failed"


class NotPermitted(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Refused(ServiceError):
    """The action does not fit the case's state or a guard fails."""

    status = 409
    code = "refused"


class Conflict(ServiceError):
    """Someone else changed the record since the user loaded it."""

    status = 409
    code = "conflict"


class NeedsConfirmation(ServiceError):
    """Nothing is wrong, but the user must read these warnings and confirm before it is done (a
    likely duplicate, a name that differs from what another case recorded). `warnings` maps
    field names to messages, as `field_errors` does for errors."""

    status = 409
    code = "confirmation_required"

    def __init__(self, message: str, *, warnings: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.warnings = warnings
