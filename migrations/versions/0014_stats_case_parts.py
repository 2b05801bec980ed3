"""the facts each case was last counted with in the statistics' summary

Revision ID: 0014
Revises: 0013

The summary is now kept at the one commit point of each write (mediation/stats/summary.py,
`keep`): a changed case's old part is read from here rather than from a session hook before
every flush. Existing deployments get the table filled, and the summary recomputed with it, by
the same `rebuild` that `flask stats rebuild` runs, so the two agree from the start.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_case_part",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    from mediation.stats import summary  # the one definition of a case's part

    summary.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("stats_case_part")
