"""A database that cannot take changes (read-only, or its disk full): a write answers 503 with
a plain message, in the user's language, on the pages and the API; nothing is half-written
and reading goes on.

Read-only: SQLite opened through a read-only URI (as a file on a read-only mount is; root
ignores chmod), PostgreSQL with default_transaction_read_only set on the test's own database.
Disk full: SQLite capped at its current size with PRAGMA max_page_count, which fails a write
that needs one more page exactly as a full disk does ("database or disk is full").
"""

from __future__ import annotations

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine.url import make_url

from mediation.extensions import db
from mediation.web.unavailable import ADVICE, MESSAGES, RETRY_AFTER
from tests.conftest import TEST_PASSWORD
from tests.faults.conftest import MEDIATOR, app_for, referral, translated, verify_commands
from tests.faults.rows import table_counts
from tests.web.conftest import form_token, intake_form

PROBLEM = "application/problem+json"


def _before_the_fault(url: str, token: str) -> tuple[str, str]:
    """Take in one case and sign in on the pages while the database still writes: the case
    number and the signed-in session cookie."""
    app = app_for(url)
    client = app.test_client()
    response = client.post("/api/v1/cases", json=referral("RO-BEFORE"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert client.post("/login", data={"username": MEDIATOR, "password": TEST_PASSWORD}).status_code == 302
    cookie = client.get_cookie("session")
    with app.app_context():
        # as if the token had not been used for a while: its next use tries to record that
        db.session.execute(text("UPDATE api_token SET last_used_at = NULL"))
        db.session.commit()
        db.engine.dispose()
    return response.get_json()["number"], cookie.value


def _read_only_url(seeded) -> str:  # noqa: ANN001
    if seeded.backend == "sqlite":
        return f"sqlite:///file:{seeded.url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    engine_url = make_url(seeded.url)  # a database of the throwaway cluster, this test's alone
    engine = create_engine(engine_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"ALTER DATABASE {engine_url.database} SET default_transaction_read_only = on"))
    engine.dispose()
    return seeded.url


def _assert_refused_everywhere(app, seeded, number: str, cookie: str, summary: str = "拖欠工资") -> None:  # noqa: ANN001
    before = table_counts(seeded.url)
    api = app.test_client()
    answer = api.post("/api/v1/cases", json=referral("RO-DURING", summary=summary),
                      headers={"Authorization": f"Bearer {seeded.token}", "Accept-Language": "en"})
    assert answer.status_code == 503, answer.get_data(as_text=True)[:2000]
    assert answer.mimetype == PROBLEM and answer.headers["Retry-After"] == RETRY_AFTER
    problem = answer.get_json(force=True)
    assert (problem["code"], problem["status"]) == ("database_read_only", 503)
    assert problem["detail"] == "The database cannot take changes right now", problem

    pages = app.test_client()
    pages.set_cookie("session", cookie)
    form = intake_form(workers=2, summary=summary)
    for locale in ("zh", "en"):  # Chinese by default, English when asked for
        path = "/cases/new" + ("?lang=en" if locale == "en" else "")
        token = form_token(pages.get(path).get_data(as_text=True))  # the form as rendered, reading still works
        page = pages.post(path, data=form | {"submission_token": token})
        body = page.get_data(as_text=True)
        assert page.status_code == 503 and page.headers["Retry-After"] == RETRY_AFTER, body[:2000]
        assert translated(app, MESSAGES["read_only"][1], locale) in body, body[:2000]
        assert translated(app, ADVICE, locale) in body
        assert "Traceback" not in body and "sqlite3" not in body and "psycopg" not in body
    assert table_counts(seeded.url) == before  # nothing half-written

    # Reading goes on: the case list and the case, on the pages and the API.
    assert number in pages.get("/?lang=en").get_data(as_text=True)
    read = api.get(f"/api/v1/cases/{number}", headers={"Authorization": f"Bearer {seeded.token}"})
    assert read.status_code == 200, read.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_read_only_database_refuses_writes_cleanly(seeded):
    number, cookie = _before_the_fault(seeded.url, seeded.token)
    app = app_for(_read_only_url(seeded))
    _assert_refused_everywhere(app, seeded, number, cookie)
    verify_commands(seeded.url)


def test_full_disk_refuses_writes_cleanly(seeded_sqlite):
    seeded = seeded_sqlite
    number, cookie = _before_the_fault(seeded.url, seeded.token)
    app = app_for(seeded.url)
    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _disk_full(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA max_page_count = 1")  # SQLite keeps it at the current size
            cursor.close()

    # a summary of 4,000 characters (12 kB) needs pages the file does not have
    _assert_refused_everywhere(app, seeded, number, cookie, summary="拖欠工资" * 1000)
    verify_commands(seeded.url)
