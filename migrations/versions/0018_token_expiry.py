"""API tokens expire: api_token.expires_at

Revision ID: 0018
Revises: 0014

A token issued from now on expires API_TOKEN_DAYS (180 by default) after it was issued; the
tokens already issued get the same default, counted from their own creation: creation + 180
days (so one issued more than 180 days ago stops working when this runs). The column is added
empty, filled, then made NOT NULL (SQLite: through a copy of the table, batch mode).
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 180  # the default of API_TOKEN_DAYS when this revision was written


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_token", sa.column("id", sa.Integer()), sa.column("created_at", sa.DateTime(timezone=True)),
                      sa.column("expires_at", sa.DateTime(timezone=True)))
    bind = op.get_bind()
    lifetime = dt.timedelta(days=EXISTING_TOKEN_DAYS)
    # A few rows per user: computed here rather than in each database's own date arithmetic.
    rows = bind.execute(sa.select(tokens.c.id, tokens.c.created_at)).all()
    for token_id, created_at in rows:
        bind.execute(tokens.update().where(tokens.c.id == token_id).values(expires_at=created_at + lifetime))
    with op.batch_alter_table("api_token") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
