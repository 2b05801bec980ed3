"""risk screening: hazards at employers, their steps and supervision notices

Revision ID: 0020_hazards
Revises: 0018

See mediation/models/hazard.py and mediation/hazards/services.py. New tables only: nothing to carry over.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_hazards"
down_revision = "0019_consultations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hazard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("workers_affected", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("closing_note", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_hazard_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_hazard_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], name=op.f("fk_hazard_employer_id_employer")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_hazard_region_code_region")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_hazard_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
    )
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hazard_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hazard_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_hazard_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_hazard_outcome"), ["outcome"], unique=False)
        batch_op.create_index(batch_op.f("ix_hazard_region_code"), ["region_code"], unique=False)

    op.create_table(
        "hazard_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reply_by", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("verification_code", sa.String(length=16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_hazard_notice_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_hazard_notice_hazard_id_hazard"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_notice")),
        sa.UniqueConstraint("hazard_id", "version", name="uq_hazard_notice_hazard_version"),
        sa.UniqueConstraint("verification_code", name=op.f("uq_hazard_notice_verification_code")),
    )
    with op.batch_alter_table("hazard_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hazard_notice_hazard_id"), ["hazard_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hazard_notice_sha256"), ["sha256"], unique=False)

    op.create_table(
        "hazard_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_hazard_step_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_hazard_step_hazard_id_hazard"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_step")),
        sa.UniqueConstraint("hazard_id", "seq", name="uq_hazard_step_hazard_seq"),
    )
    with op.batch_alter_table("hazard_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hazard_step_hazard_id"), ["hazard_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hazard_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_step_hazard_id"))

    op.drop_table("hazard_step")
    with op.batch_alter_table("hazard_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_notice_sha256"))
        batch_op.drop_index(batch_op.f("ix_hazard_notice_hazard_id"))

    op.drop_table("hazard_notice")
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_region_code"))
        batch_op.drop_index(batch_op.f("ix_hazard_outcome"))
        batch_op.drop_index(batch_op.f("ix_hazard_level"))
        batch_op.drop_index(batch_op.f("ix_hazard_kind"))
        batch_op.drop_index(batch_op.f("ix_hazard_employer_id"))

    op.drop_table("hazard")
