"""Optimistic locking of a case: the version a user saw, and the flush that proves it is still current."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from mediation.common.errors import Conflict
from mediation.extensions import db

CONFLICT_MESSAGE = _l(
    "Someone else changed this case while you were working on it. Nothing was saved: "
    "reload the case, check their change, and try again.")


def check_version(case: Any, expected_version: int | None) -> None:
    """Refuse when the form was filled in against an older version of the case."""
    if expected_version is not None and expected_version != case.version:
        raise Conflict(CONFLICT_MESSAGE)


@contextmanager
def flush_or_conflict() -> Iterator[None]:
    """Flush the changes made in the block; a concurrent commit in between becomes a Conflict.

    The block itself may autoflush (any query does), so a stale case can surface there too.
    The session is left for the commit point to roll back (mediation/web/commit.py).
    """
    try:
        yield
        db.session.flush()
    except StaleDataError:
        raise Conflict(CONFLICT_MESSAGE) from None
