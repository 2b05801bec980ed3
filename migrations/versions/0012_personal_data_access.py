"""the record of every "show" of a case's full ID numbers and phones

Revision ID: 0012
Revises: 0011

See mediation/models/disclosure.py and mediation/disclosure/. Like case_event, the table is
append-only: the database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE (mediation/audit/guard.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("remote_addr", sa.String(length=45), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_personal_data_access_user_id_user_account")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_personal_data_access_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_access")),
    )
    for column in ("at", "user_id", "case_id"):
        op.create_index(op.f(f"ix_personal_data_access_{column}"), "personal_data_access", [column], unique=False)
    from mediation.audit import guard  # the app's own statements, as 0011 did for case_event

    guard.install(op.get_bind(), "personal_data_access")


def downgrade() -> None:
    from mediation.audit import guard

    guard.remove(op.get_bind(), "personal_data_access")
    for column in ("at", "user_id", "case_id"):
        op.drop_index(op.f(f"ix_personal_data_access_{column}"), table_name="personal_data_access")
    op.drop_table("personal_data_access")
