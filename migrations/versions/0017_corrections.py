"""corrections: voided payments (who, when, why) and cancelled or rescheduled sessions

Revision ID: 0017
Revises: 0014

A payment recorded in error is voided, never deleted: it keeps its row, marked with who voided it,
when and why, and counts nowhere after. A booked session that is cancelled or moved keeps its row
with the reason; a move books the new time as a new row pointing back at the old one. Existing rows
need nothing: no payment is voided, no session was moved, and every reason is empty.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table to add a foreign key (PostgreSQL alters it in place)
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("voided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.Text(), server_default="", nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_payment_voided_by_id_user_account"), "user_account",
                                    ["voided_by_id"], ["id"])
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("rescheduled_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_mediation_session_rescheduled_from_id_mediation_session"),
                                    "mediation_session", ["rescheduled_from_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_mediation_session_rescheduled_from_id_mediation_session"),
                                 type_="foreignkey")
        batch_op.drop_column("rescheduled_from_id")
        batch_op.drop_column("change_reason")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_payment_voided_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by_id")
        batch_op.drop_column("voided_at")
