"""Consultations: the legal questions answered, and their edits (issue 16 §1)

Revision ID: 0019_consultations
Revises: 0018

Two new tables; no existing data changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_consultations"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("region_code", sa.String(length=6), sa.ForeignKey("region.code"), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=24), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("worker_name", sa.String(length=64), nullable=False),
        sa.Column("worker_phone", sa.String(length=11), nullable=True),
        sa.Column("employer_name", sa.String(length=120), nullable=False),
        sa.Column("employer_uscc", sa.String(length=18), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("case_id", name="uq_consultation_case_id"),
    )
    op.create_index("ix_consultation_region_code", "consultation", ["region_code"])
    op.create_index("ix_consultation_held_on", "consultation", ["held_on"])
    op.create_index("ix_consultation_recorded_by_id", "consultation", ["recorded_by_id"])
    op.create_table(
        "consultation_edit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("consultation_id", sa.Integer(), sa.ForeignKey("consultation.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("edited_by_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_consultation_edit_consultation_id", "consultation_edit", ["consultation_id"])


def downgrade() -> None:
    op.drop_table("consultation_edit")
    op.drop_table("consultation")
