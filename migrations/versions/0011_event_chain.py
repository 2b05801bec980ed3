"""tamper-evident case history: hash-chained, append-only case events

Revision ID: 0011
Revises: 0010

Each event gets its place in its case's chain (seq, prev_hash, hash) and each case the head of
its chain (history_length, history_head_hash), filled here for the events already recorded, in
the order they happened (at, then id). Then the database is told to refuse any UPDATE, DELETE
or (PostgreSQL) TRUNCATE of case_event. See mediation/audit/.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CASES_PER_BATCH = 1_000


def _fill_chains(connection) -> None:  # noqa: ANN001
    """Chain the existing events, a thousand cases at a time rather than every event at once."""
    from mediation.audit import chain  # the app's own hashing, as 0008 filled the summary with the app's code

    events = sa.table("case_event", *(sa.column(name) for name in ("id", "case_id", "actor_id", "action",
                                                                    "from_state", "to_state", "note")),
                      sa.column("at", sa.DateTime(timezone=True)), sa.column("detail", sa.JSON),
                      sa.column("seq", sa.Integer), sa.column("prev_hash", sa.String), sa.column("hash", sa.String))
    cases = sa.table("case_file", sa.column("id", sa.Integer), sa.column("history_length", sa.Integer),
                     sa.column("history_head_hash", sa.String))
    set_event = (sa.update(events).where(events.c.id == sa.bindparam("event_id"))
                 .values(seq=sa.bindparam("new_seq"), prev_hash=sa.bindparam("new_prev"),
                         hash=sa.bindparam("new_hash")))
    set_head = (sa.update(cases).where(cases.c.id == sa.bindparam("head_case_id"))
                .values(history_length=sa.bindparam("length"), history_head_hash=sa.bindparam("head")))
    last_id = 0
    while ids := connection.execute(sa.select(cases.c.id).where(cases.c.id > last_id).order_by(cases.c.id)
                                    .limit(CASES_PER_BATCH)).scalars().all():
        last_id = ids[-1]
        rows = connection.execute(sa.select(events).where(events.c.case_id.between(ids[0], last_id))
                                  .order_by(events.c.case_id, events.c.at, events.c.id)).mappings().all()
        updates, heads = [], {}
        for row in rows:  # in the order they happened, within each case
            length, prev = heads.get(row["case_id"], (0, chain.GENESIS))
            linked = chain.link({**row, "seq": length + 1}, prev)
            updates.append({"event_id": row["id"], "new_seq": length + 1, "new_prev": prev, "new_hash": linked["hash"]})
            heads[row["case_id"]] = (length + 1, linked["hash"])
        if updates:
            connection.execute(set_event, updates)
            connection.execute(set_head, [{"head_case_id": case_id, "length": length, "head": head}
                                          for case_id, (length, head) in heads.items()])


def upgrade() -> None:
    from mediation.audit import chain, guard

    # Plain ALTER TABLE ... ADD COLUMN on both backends: never a copy of case_file (see downgrade).
    op.add_column("case_file", sa.Column("history_length", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("case_file", sa.Column("history_head_hash", sa.String(length=64), nullable=False,
                                         server_default=chain.GENESIS))
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    _fill_chains(op.get_bind())

    with op.batch_alter_table("case_event", schema=None) as batch_op:
        for name in ("seq", "prev_hash", "hash"):
            batch_op.alter_column(name, existing_type=sa.Integer() if name == "seq" else sa.String(length=64),
                                  nullable=False)
        batch_op.create_unique_constraint("uq_case_event_case_id_seq", ["case_id", "seq"])
        batch_op.drop_index("ix_case_event_case_id")  # the unique index above serves case_id alone too
    # Last: on SQLite the batch above rebuilt case_event, which would have dropped the triggers.
    guard.install(op.get_bind())


def downgrade() -> None:
    from mediation.audit import guard

    guard.remove(op.get_bind())
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index("ix_case_event_case_id", ["case_id"], unique=False)
        batch_op.drop_constraint("uq_case_event_case_id_seq", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    # Not in batch mode: on SQLite that would copy case_file and drop the old table, and with
    # foreign keys on, the drop cascades to every case's events, claims and payments.
    op.drop_column("case_file", "history_head_hash")
    op.drop_column("case_file", "history_length")
