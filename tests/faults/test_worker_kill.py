"""A gunicorn worker killed (SIGKILL) in the middle of a case intake leaves no partial case.

The worker is stopped by tests/faults/fault_wsgi.py after the intake's last flush, with every
row of the case written in its open transaction, then killed. Nothing of it may remain; the
other worker keeps answering (and never saw the uncommitted rows), gunicorn boots a new one,
the history and the summary still verify, and sending the same referral again takes it in once.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.faults.cluster import free_port
from tests.faults.conftest import referral, verify_commands
from tests.faults.rows import table_counts

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 30) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()


def _wait(predicate, seconds: float, what: str):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := predicate():
            return found
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _up(server: Server) -> bool:
    try:
        return server.call("GET", "/api/v1/openapi.json", timeout=2)[0] == 200
    except OSError:
        return False


@pytest.fixture
def gunicorn(seeded, tmp_path):
    port = free_port()
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    log = tmp_path / "gunicorn.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=seeded.url, FAULT_BARRIER=str(barrier),
               MEDIATION_INSTANCE_PATH=str(tmp_path / "instance"))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60",
         "--error-logfile", str(log), "tests.faults.fault_wsgi:app"], cwd=ROOT, env=env)
    server = Server(port, seeded.token)
    try:
        _wait(lambda: process.poll() is not None or _up(server), 60, "gunicorn to answer")
        assert process.poll() is None, log.read_text()
        _wait(lambda: len(_workers(process.pid)) == 2, 30, "both workers")
        yield server, process, barrier, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_worker_killed_mid_intake_leaves_no_partial_case(seeded, gunicorn):
    server, master, barrier, log = gunicorn
    before = table_counts(seeded.url)
    body = referral(f"FAULT-{seeded.backend}-1")
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["answer"] = server.call("POST", "/api/v1/cases", body)
        except (OSError, http.client.HTTPException) as error:  # the worker died under the request
            outcome["error"] = error

    request = threading.Thread(target=send)
    request.start()
    paused = _wait(lambda: (barrier / "paused.json").exists() and json.loads((barrier / "paused.json").read_text()),
                   30, "the intake to pause")
    # Inside its transaction the intake had written a row to every table it touches.
    assert all(paused["seen"][t] > before[t] for t in before if t != "stats_month_days"), (before, paused["seen"])

    # Meanwhile the other worker answers, without the uncommitted case.
    status, listing = server.call("GET", "/api/v1/cases")
    assert status == 200 and all(not c["referral_ref"].startswith("FAULT-") for c in listing["items"]), listing

    os.kill(paused["pid"], signal.SIGKILL)
    request.join(30)
    assert "error" in outcome, outcome  # no answer: the client never heard the case was taken in
    assert table_counts(seeded.url) == before  # and nothing of it is there
    verify_commands(seeded.url)

    # gunicorn replaces the dead worker; the same referral then goes through, once.
    _wait(lambda: paused["pid"] not in (found := _workers(master.pid)) and len(found) == 2, 30, "a new worker")
    status, case = server.call("POST", "/api/v1/cases", body)
    assert status == 201, case
    assert table_counts(seeded.url) == paused["seen"]  # exactly the rows the killed intake had written
    status, again = server.call("POST", "/api/v1/cases", body)
    assert (status, again["number"]) == (200, case["number"])
    assert table_counts(seeded.url) == paused["seen"]
    verify_commands(seeded.url)
    assert "Traceback" not in log.read_text()
