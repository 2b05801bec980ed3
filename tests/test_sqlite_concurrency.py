"""Two gunicorn workers writing to one SQLite file at once: no "database is locked", no lost write.

The app begins every write transaction with BEGIN IMMEDIATE, so a writer waits out the busy
timeout for the lock instead of failing when it upgrades a read transaction (mediation/web/sqlite.py).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mediation.common.timeutil import today
from tests.factories import credit_code, resident_id
from tests.web.conftest import form_token

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8
WRITES_PER_THREAD = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIATION_")}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
        "MEDIATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "MEDIATION_WTF_CSRF_ENABLED": "false",
        "MEDIATION_RATELIMIT_ENABLED": "false",
        "FLASK_APP": "wsgi",
        "PYTHONPATH": str(ROOT),
    })
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)


def _intake_form(thread: int, write: int) -> dict[str, str]:
    serial = thread * 100 + write
    return {
        "channel": "court", "language": "zh", "referral_ref": f"LOAD-{serial}", "region_code": "220102", "venue_id": "",
        "received_on": (today() - dt.timedelta(days=3)).isoformat(),
        "employer_name": "并发测试有限公司", "employer_uscc": credit_code(9000 + serial),
        "workers-0-name": f"工人{serial}", "workers-0-id_number": resident_id(serial % 1000, area="220103"),
        "workers-0-wages": "1000.00",
    }


def _worker_thread(base: str, thread: int) -> list[int]:
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def post(path: str, data: dict[str, str]) -> int:
        if path != "/login":  # a write form: the one-time token of the form as rendered
            with opener.open(f"{base}{path}", timeout=60) as form_page:
                data = data | {"submission_token": form_token(form_page.read().decode())}
        body = urllib.parse.urlencode(data).encode()
        try:
            with opener.open(f"{base}{path}", body, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post("/login", {"username": "loadmed", "password": "load-test-password"}) == 302
    return [post("/cases/new", _intake_form(thread, write)) for write in range(WRITES_PER_THREAD)]


def test_two_gunicorn_workers_write_at_once(tmp_path):
    env = _env(tmp_path)
    _flask(env, "init-db")
    _flask(env, "users", "create", "loadmed", "--role", "mediator", "--region", "220100",
           "--password", "load-test-password")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/login", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        with ThreadPoolExecutor(THREADS) as pool:
            statuses = [s for result in pool.map(lambda t: _worker_thread(base, t), range(THREADS)) for s in result]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert "database is locked" not in output
    assert statuses == [302] * (THREADS * WRITES_PER_THREAD), output[-3000:]
    with sqlite3.connect(tmp_path / "load.sqlite3") as connection:
        numbers = [row[0] for row in connection.execute("SELECT number FROM case_file")]
        events = connection.execute("SELECT count(*) FROM case_event WHERE action = 'intake'").fetchone()[0]
    assert len(numbers) == len(set(numbers)) == THREADS * WRITES_PER_THREAD
    assert events == THREADS * WRITES_PER_THREAD
    expected = {f"220102-{today().year}-{n:05d}" for n in range(1, THREADS * WRITES_PER_THREAD + 1)}
    assert set(numbers) == expected  # gap-free numbering under contention
