"""case_document: the generated settlement agreements, hashed and verifiable

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('verification_code', sa.String(length=16), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('superseded', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_document_case_id_case_file'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_case_document_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_document')),
        sa.UniqueConstraint('case_id', 'kind', 'version', name='uq_case_document_case_kind_version'),
        sa.UniqueConstraint('verification_code', name=op.f('uq_case_document_verification_code')),
    )
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_document_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_document_sha256'), ['sha256'], unique=False)


def downgrade():
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_case_document_case_id'))
    op.drop_table('case_document')
