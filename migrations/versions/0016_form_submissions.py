"""the used one-time tokens of the pages' write forms

Revision ID: 0016
Revises: 0014

See mediation/models/submission.py and mediation/web/submissions.py. A new table: no existing
data to carry over (forms rendered before the upgrade carry no token and are refused with 400,
asking the user to send them again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015_case_parties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("location", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE",
                                name=op.f("fk_form_submission_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submission")),
        sa.UniqueConstraint("nonce", name="uq_form_submission_nonce"),
    )
    op.create_index(op.f("ix_form_submission_created_at"), "form_submission", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_form_submission_created_at"), table_name="form_submission")
    op.drop_table("form_submission")
