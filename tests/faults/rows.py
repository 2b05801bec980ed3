"""The rows a case intake writes: every table it touches, the statistics' summary included."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

INTAKE_TABLES = ("case_file", "case_number_sequence", "worker", "employer", "claim_item",
                 "case_event", "stats_month", "stats_month_days")


def count_rows(connection: Connection) -> dict[str, int]:
    return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in INTAKE_TABLES}


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return count_rows(connection)
    finally:
        engine.dispose()
