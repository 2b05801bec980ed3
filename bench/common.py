"""What the benchmarks share: a fresh PostgreSQL schema, the app's configuration for a benchmark
database, the 90th percentile of a run's timings, and the line that names the database measured."""

from __future__ import annotations

import statistics

from sqlalchemy import create_engine, text


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema: the benchmarks build their data from nothing."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def app_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "bench-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def describe_database() -> str:
    """The database of the current app context, as the reports print it (inside an app context)."""
    from mediation.extensions import db

    dialect = db.engine.dialect
    version = ".".join(str(part) for part in dialect.server_version_info or ())
    if dialect.name == "sqlite":
        return f"SQLite {version} (file in a temp dir)"
    return f"{dialect.name} {version} ({db.engine.url.render_as_string(hide_password=True)})"
