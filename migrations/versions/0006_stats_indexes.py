"""index case_file (settled_on) for the recovery statistics

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 15:30:00.000000

The statistics (mediation/stats/queries.py) read the cases settled in a period three times per
page: agreed, paid so far on those agreements (outstanding) and days to settlement. Without an
index each is a scan of every case; SQLite even walked case_file through ix_case_file_region_code,
one random row at a time. With it they are a range of the index (the cases settled in a period
were received, so written, at about the same time and sit together on disk). See bench/stats.py:
on SQLite at 100,000 cases the province page goes from about 1.2 s to 0.8 s.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_file_settled_on', 'case_file', ['settled_on'], unique=False)


def downgrade():
    op.drop_index('ix_case_file_settled_on', table_name='case_file')
