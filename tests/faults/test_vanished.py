"""A database that cannot be opened at all: the first query of a request, loading the signed-in
user or the token's, fails; the page still answers 503 as to a signed-out visitor, the API a
problem, and neither loads the user again nor signs anyone out."""

from __future__ import annotations

import os

from mediation.extensions import db
from mediation.web.unavailable import MESSAGES, RETRY_AFTER
from tests.conftest import TEST_PASSWORD
from tests.faults.conftest import MEDIATOR, app_for, translated


def test_the_pages_and_the_api_answer_503_when_the_database_cannot_be_opened(seeded_sqlite):
    path = seeded_sqlite.url.removeprefix("sqlite:///")
    app = app_for(f"sqlite:///file:{path}?mode=rw&uri=true")  # never creates a new, empty file
    pages = app.test_client()
    assert pages.post("/login", data={"username": MEDIATOR, "password": TEST_PASSWORD}).status_code == 302
    with app.app_context():
        db.engine.dispose()
    os.rename(path, path + ".away")
    try:
        page = pages.get("/")
        body = page.get_data(as_text=True)
        assert page.status_code == 503 and page.headers["Retry-After"] == RETRY_AFTER, body[:2000]
        assert translated(app, MESSAGES["unreachable"][1], "zh") in body
        assert 'id="whoami"' not in body and "Traceback" not in body
        assert page.headers["Cache-Control"] == "no-store"
        answer = app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {seeded_sqlite.token}"})
        assert answer.status_code == 503 and answer.get_json(force=True)["code"] == "database_unavailable"
    finally:
        with app.app_context():
            db.engine.dispose()
        os.rename(path + ".away", path)
    assert pages.get("/").status_code == 200  # still signed in once the database is back
    with app.app_context():
        db.engine.dispose()
