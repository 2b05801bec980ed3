"""the audit log: one hash-chained, append-only entry per privileged operation that is no case event

Revision ID: 0013
Revises: 0012

See mediation/models/audit_entry.py and mediation/audit/log.py. audit_entry is append-only like
case_event: the database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE (mediation/audit/guard.py).
audit_head is the chain's head, one row that every append locks and moves on.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXED = ("actor_id", "action", "region_code")


def upgrade() -> None:
    from mediation.audit import chain, guard  # the app's own statements, as 0011 and 0012 did

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("target_kind", sa.String(length=24), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_audit_entry_actor_id_user_account")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_audit_entry_region_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_entry_seq")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_audit_entry_{column}"), "audit_entry", [column], unique=False)
    guard.install(op.get_bind(), "audit_entry")

    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "length": 0, "hash": chain.GENESIS}])


def downgrade() -> None:
    from mediation.audit import guard

    op.drop_table("audit_head")
    guard.remove(op.get_bind(), "audit_entry")
    for column in INDEXED:
        op.drop_index(op.f(f"ix_audit_entry_{column}"), table_name="audit_entry")
    op.drop_table("audit_entry")
