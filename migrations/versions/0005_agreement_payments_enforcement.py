"""agreement signatures, installments, payment allocations, enforcement paths

The agreement takes effect when every party has signed; the employer pays by installments;
payments are allocated to them; a default leads to one or more court paths.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 13:13:48

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('enforcement_path',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=True),
    sa.Column('court', sa.String(length=200), server_default='', nullable=False),
    sa.Column('court_case_no', sa.String(length=64), server_default='', nullable=False),
    sa.Column('outcome', sa.String(length=12), server_default='pending', nullable=False),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('outcome_note', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_enforcement_path_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_enforcement_path_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_path'))
    )
    with op.batch_alter_table('enforcement_path', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enforcement_path_case_id'), ['case_id'], unique=False)

    op.create_table('installment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_installment_amount_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_installment_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_installment_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installment')),
    sa.UniqueConstraint('case_id', 'worker_id', 'seq', name='uq_installment_case_worker_seq')
    )
    with op.batch_alter_table('installment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_installment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_installment_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_installment_worker_id'), ['worker_id'], unique=False)

    op.create_table('agreement_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=32), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('representative', sa.String(length=100), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_agreement_signature_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['case_document.id'], name=op.f('fk_agreement_signature_document_id_case_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_agreement_signature_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_agreement_signature_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
    sa.UniqueConstraint('document_id', 'party', name='uq_agreement_signature_document_party')
    )
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signature_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_signature_document_id'), ['document_id'], unique=False)

    op.create_table('payment_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('installment_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_payment_allocation_amount_positive')),
    sa.ForeignKeyConstraint(['installment_id'], ['installment.id'], name=op.f('fk_payment_allocation_installment_id_installment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_allocation_payment_id_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocation'))
    )
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocation_installment_id'), ['installment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_payment_id'), ['payment_id'], unique=False)

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_effective_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('written_off_fen', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_case_file_written_off_not_negative'), 'written_off_fen >= 0')

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enforcement_path_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_enforcement_path_id'), ['enforcement_path_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payment_enforcement_path_id_enforcement_path'), 'enforcement_path', ['enforcement_path_id'], ['id'])




def downgrade():

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_enforcement_path_id_enforcement_path'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payment_enforcement_path_id'))
        batch_op.drop_column('enforcement_path_id')

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_file_written_off_not_negative'), type_='check')
        batch_op.drop_column('written_off_fen')
        batch_op.drop_column('agreement_effective_on')

    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocation_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_installment_id'))

    op.drop_table('payment_allocation')
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signature_document_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_signature_case_id'))

    op.drop_table('agreement_signature')
    with op.batch_alter_table('installment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_installment_worker_id'))
        batch_op.drop_index(batch_op.f('ix_installment_due_on'))
        batch_op.drop_index(batch_op.f('ix_installment_case_id'))

    op.drop_table('installment')
    with op.batch_alter_table('enforcement_path', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enforcement_path_case_id'))

    op.drop_table('enforcement_path')

