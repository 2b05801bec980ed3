"""the recovery statistics' monthly summary, filled from the existing cases

Revision ID: 0008
Revises: 0007

See mediation/models/summary.py. The province page of a million cases read from the cases took
about 5 s on PostgreSQL (bench/stats.py); from this summary it reads a few thousand rows. The
date indexes serve the stocks taken inside a month (mediation/stats/summary_queries.py).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CELL = ("month", "dimension", "member", "region_code", "channel")
MEASURES = ("received", "collective", "claimed", "settled", "agreed", "written_off", "paid_on_settled",
            "failed", "withdrawn", "closed", "recovered", "workers_month", "workers_quarter", "workers_year",
            "in_mediation_delta", "overdue_delta")


def _cell_columns() -> list:
    return [sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("month", sa.Date(), nullable=False),
            sa.Column("dimension", sa.String(length=8), nullable=False),
            sa.Column("member", sa.Integer(), nullable=False),
            sa.Column("region_code", sa.String(length=6), nullable=False),
            sa.Column("channel", sa.String(length=8), nullable=False)]


def upgrade() -> None:
    op.create_table("stats_month", *_cell_columns(),
                    *(sa.Column(name, sa.BigInteger(), nullable=False) for name in MEASURES),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_month")))
    op.create_index("uq_stats_month_cell", "stats_month", list(CELL), unique=True)
    op.create_table("stats_month_days", *_cell_columns(),
                    sa.Column("days", sa.Integer(), nullable=False),
                    sa.Column("cases", sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_month_days")))
    op.create_index("uq_stats_month_days_cell", "stats_month_days", [*CELL, "days"], unique=True)
    op.create_index("ix_case_file_mediation_started_on", "case_file", ["mediation_started_on"])
    op.create_index("ix_case_file_ended_on", "case_file", ["ended_on"])

    # Fill it from the cases already there, with the same code that keeps it.
    from mediation.stats import summary

    summary.rebuild(op.get_bind(), with_parts=False)  # the stored facts come with 0013


def downgrade() -> None:
    op.drop_index("ix_case_file_ended_on", table_name="case_file")
    op.drop_index("ix_case_file_mediation_started_on", table_name="case_file")
    op.drop_index("uq_stats_month_days_cell", table_name="stats_month_days")
    op.drop_table("stats_month_days")
    op.drop_index("uq_stats_month_cell", table_name="stats_month")
    op.drop_table("stats_month")
