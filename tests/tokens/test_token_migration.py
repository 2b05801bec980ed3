"""Migration 0018 gives the tokens already issued an expiry: 180 days after each was made, the
default of API_TOKEN_DAYS; the column is then required. On a database of its own (as the audit
migration's test: a SQLite file, or a schema of its own on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, update

from mediation.common.timeutil import as_utc
from mediation.extensions import db
from mediation.models import ApiToken
from mediation.regions.tree import regions_load
from mediation.tokens.services import token_issue
from tests.audit.test_migration import own_database  # noqa: F401  (the fixture)
from tests.factories import make_user

MADE = {"old script": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "new script": dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=dt.UTC)}


def test_existing_tokens_expire_180_days_after_they_were_made(own_database):  # noqa: F811
    upgrade()
    regions_load()
    user = make_user("mediator", "220100")
    for name in MADE:
        token_issue(user=user, actor=None, name=name)
    db.session.commit()
    db.session.remove()

    downgrade(revision="0017")  # the tokens as they were: no expiry
    assert "expires_at" not in {c["name"] for c in sa_inspect(db.engine).get_columns("api_token")}
    table = ApiToken.__table__
    with db.engine.begin() as connection:
        for name, made in MADE.items():
            connection.execute(update(table).where(table.c.name == name).values(created_at=made))
    upgrade()

    rows = db.session.execute(select(ApiToken.name, ApiToken.created_at, ApiToken.expires_at)).all()
    assert {name: as_utc(expires) for name, _made, expires in rows} == {
        name: made + dt.timedelta(days=180) for name, made in MADE.items()}
    db.session.remove()  # its transaction holds SQLite's write lock, which the inspector's would wait for
    [column] = [c for c in sa_inspect(db.engine).get_columns("api_token") if c["name"] == "expires_at"]
    assert column["nullable"] is False
