"""An outage fails every request at once: the operator's log gets one traceback a minute per
kind of failure, and a line for each of the others, not a hundred tracebacks a second."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from mediation.web import unavailable


def _error(code: int) -> OperationalError:
    orig = sqlite3.OperationalError("attempt to write a readonly database")
    orig.sqlite_errorcode = code
    return OperationalError("INSERT INTO case_file ...", {}, orig)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(unavailable.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(unavailable, "_last_traceback", {})
    return now


def test_one_traceback_a_minute_per_kind_then_one_line_each(clock, caplog):
    app = Flask(__name__)
    logger = logging.getLogger("faults-test")
    read_only, unreachable = _error(8), _error(10)
    assert (unavailable.classify(read_only), unavailable.classify(unreachable)) == ("read_only", "unreachable")
    with app.test_request_context("/cases/new", method="POST"), caplog.at_level(logging.WARNING, "faults-test"):
        for _ in range(3):
            unavailable.log_failure(logger, "read_only", read_only)
        unavailable.log_failure(logger, "unreachable", unreachable)  # another kind: its own traceback
        clock[0] += unavailable.TRACEBACK_EVERY
        unavailable.log_failure(logger, "read_only", read_only)  # a minute on: a traceback again

    logged = [(r.levelname, r.exc_info is not None) for r in caplog.records]
    assert logged == [("ERROR", True), ("WARNING", False), ("WARNING", False), ("ERROR", True), ("ERROR", True)]
    assert "POST /cases/new: OperationalError" in caplog.records[1].getMessage()
