"""locked period reports of the recovery statistics, with each case's part

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "locked_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("locked_by_id", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["locked_by_id"], ["user_account.id"], name=op.f("fk_locked_report_locked_by_id_user_account")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_locked_report_region_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locked_report")),
        sa.UniqueConstraint("region_code", "period_key", name="uq_locked_report_region_period"),
    )
    op.create_index(op.f("ix_locked_report_region_code"), "locked_report", ["region_code"], unique=False)
    op.create_table(
        "locked_report_case",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["locked_report.id"], ondelete="CASCADE",
                                name=op.f("fk_locked_report_case_report_id_locked_report")),
        sa.PrimaryKeyConstraint("report_id", "case_id", name=op.f("pk_locked_report_case")),
    )


def downgrade() -> None:
    op.drop_table("locked_report_case")
    op.drop_index(op.f("ix_locked_report_region_code"), table_name="locked_report")
    op.drop_table("locked_report")
