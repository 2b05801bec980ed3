"""index case_file (lawyer_id, state) for the open-case counts of the lawyer proposal

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:05:00.000000

The proposal counts the open cases of every candidate lawyer (mediation/lawyers/proposal.py).
With ix_case_file_lawyer_id alone each counted case costs a table lookup to read its state;
with (lawyer_id, state) the count is answered from the index (SQLite indexes carry the rowid,
and PostgreSQL gets the id as an INCLUDE column for an index-only scan). See bench/proposal.py.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_file_lawyer_id_state', 'case_file', ['lawyer_id', 'state'], unique=False,
                    postgresql_include=['id'])


def downgrade():
    op.drop_index('ix_case_file_lawyer_id_state', table_name='case_file')
