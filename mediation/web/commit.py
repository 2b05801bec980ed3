"""The one commit point of a write, for the pages and the API (indico's `RH.process`).

Services flush and raise; they never commit or roll back. A request that writes calls one
service through `perform` (a page) or runs under `api.writes` (the API), and both end here:
the work is flushed, the statistics of the cases it touched are kept, and the transaction is
committed once; on a refusal everything is rolled back, so nothing is half-written. A page's
write form carries a one-time token, used up in the same transaction (mediation/web/submissions.py):
the same form sent twice is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mediation.case_core.events import take_cases_touched
from mediation.case_core.locking import CONFLICT_MESSAGE
from mediation.common.errors import Conflict, ServiceError
from mediation.extensions import db
from mediation.stats import summary
from mediation.web import submissions
from mediation.web.forms import apply_field_errors

T = TypeVar("T")


def commit() -> None:
    """End a successful write: flush what is left (a lost update is a Conflict), use up the page
    form's token (a twin that came first makes this a replay: AlreadySent), keep the statistics
    of the cases it touched, then commit."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(CONFLICT_MESSAGE) from None
    touched = take_cases_touched()
    submissions.consume(touched)
    if touched:
        summary.keep(db.session.connection(), touched)
    db.session.commit()


def abandon() -> None:
    """End a refused or failed write: nothing of it remains."""
    take_cases_touched()
    db.session.rollback()


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a page's write came to: the service's result, or the error that refused it."""

    result: T | None = None
    error: ServiceError | None = None

    @property
    def status(self) -> int | None:
        """The HTTP status of the refusal, None on success."""
        return self.error.status if self.error is not None else None

    def __iter__(self):  # noqa: ANN204
        """Unpacks as (result, status): `done, status = perform(form, call)`."""
        return iter((self.result, self.status))


def perform(form: object | None, call: Callable[[], T], *, flash_errors: bool = True,
            field_name: Callable[[str], str] | None = None) -> Outcome[T]:
    """Call one service for a page and commit once; on a ServiceError roll back, put its field
    messages on the form's fields (the rest, and the error itself, are flashed) and return it.
    `field_name` maps a service's field names to the form's where they differ (the intake's paths).

    A write form without a valid token is refused (400) before the service runs. A refusal that
    a racing twin of the same submission caused (it wrote first) is answered as the twin's replay."""
    try:
        submissions.require()
        result = call()
        commit()
    except IntegrityError:  # the database refused what a racing twin wrote first
        abandon()
        submissions.raise_if_sent()
        raise
    except ServiceError as error:
        abandon()
        submissions.raise_if_sent()
        if flash_errors:
            named: dict[str, list[str]] = {}  # two names may map to one field: keep both messages
            for name, messages in error.field_errors.items():
                named.setdefault(field_name(name) if field_name else name, []).extend(messages)
            unplaced = (apply_field_errors(form, named) if form is not None
                        else [m for messages in error.field_errors.values() for m in messages])
            for message in unplaced:
                flash(message, "danger")
            flash(error.message, "danger")
        return Outcome(error=error)
    return Outcome(result=result)
