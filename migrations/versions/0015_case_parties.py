"""each case owns its parties: a worker row per case, the employer as the case recorded it

Revision ID: 0015_case_parties
Revises: 0014

Issue 15 §1. A worker was one row per ID number shared by every case (case_worker); now each
row belongs to one case (worker.case_id), and the same person on two cases is two rows linked
only by the index on id_number. A worker shared by N cases becomes N rows: the first case (the
lowest id) keeps the row, every other case gets a copy, and its claim items, payments,
installments and signatures (worker_id and the "worker:<id>" party key) move to its copy, as
do the worker ids in the facts the statistics last counted it with (stats_case_part), so that
`flask stats verify` still agrees. Case events keep the ids they were written with (their hashes
cover them); the history reads an old id through its ID number (mediation/case_core/history.py).

The case's own record of its employer (name, credit code, representative, address) starts as
the master record holds it now: the earlier names were overwritten in place and are not on
record anywhere else.

The downgrade merges the rows of one ID number back into the lowest one (its name and phone win).
"""

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0015_case_parties"
down_revision = "0014"
branch_labels = None
depends_on = None

CHUNK = 500  # cases per IN list
DEPENDENTS = ("claim_item", "payment", "installment", "agreement_signature")
EMPLOYER_COLUMNS = (("employer_name", "name", 120), ("employer_uscc", "uscc", 18),
                    ("employer_legal_representative", "legal_representative", 64),
                    ("employer_address", "address", 200))


def _pairs() -> str:
    """Every (case, worker) pair the database knows of: the links and the rows that name both."""
    tables = ("case_worker", *DEPENDENTS)
    return " UNION ".join(f"SELECT case_id, worker_id FROM {t} WHERE worker_id IS NOT NULL" for t in tables)


def _repoint(table: str) -> None:
    """Each row of `table` to the worker row of its own case with the same ID number."""
    op.execute(f"""
        UPDATE {table} SET worker_id = (
            SELECT mine.id FROM worker mine JOIN worker theirs ON theirs.id_number = mine.id_number
            WHERE theirs.id = {table}.worker_id AND mine.case_id = {table}.case_id)
        WHERE EXISTS (SELECT 1 FROM worker w WHERE w.id = {table}.worker_id AND w.case_id <> {table}.case_id)""")


def _party_keys() -> None:
    op.execute("UPDATE agreement_signature SET party = 'worker:' || worker_id "
               "WHERE worker_id IS NOT NULL AND party LIKE 'worker:%'")


def _paid_elsewhere(owner: str) -> list[int]:
    """The cases with a payment whose worker row is not `owner` (SQL of `w`, the payment's worker,
    and `p`, the payment): the payments about to move."""
    return [row[0] for row in op.get_bind().execute(sa.text(
        f"SELECT DISTINCT p.case_id FROM payment p JOIN worker w ON w.id = p.worker_id WHERE {owner}"))]


def _recount_parts(case_ids: list[int]) -> None:
    """The worker ids in these cases' counted facts, as their payments now name them (a payment's
    worker id only tells the case's workers apart: the counts themselves do not change)."""
    for start in range(0, len(case_ids), CHUNK):
        _recount_chunk(case_ids[start:start + CHUNK])


def _recount_chunk(case_ids: list[int]) -> None:
    bind = op.get_bind()
    part = sa.table("stats_case_part", sa.column("case_id", sa.Integer), sa.column("facts", sa.JSON))
    payment = sa.table("payment", sa.column("case_id", sa.Integer), sa.column("worker_id", sa.Integer),
                       sa.column("paid_on", sa.Date), sa.column("amount_fen", sa.BigInteger))
    # a voided payment counts for nothing, where the schema has voids (their migration may run first)
    voids = any(column["name"] == "voided_at" for column in sa.inspect(bind).get_columns("payment"))
    not_voided = [sa.column("voided_at").is_(None)] if voids else []
    paid: dict[int, list] = defaultdict(list)
    for case_id, worker_id, paid_on, fen in bind.execute(
            sa.select(payment.c.case_id, payment.c.worker_id, payment.c.paid_on, payment.c.amount_fen)
            .where(payment.c.case_id.in_(case_ids), *not_voided)):
        paid[case_id].append((worker_id, paid_on, fen))
    changed = []
    for case_id, facts in bind.execute(sa.select(part.c.case_id, part.c.facts).where(part.c.case_id.in_(case_ids))):
        facts = json.loads(facts) if isinstance(facts, str) else facts
        counted = facts.get("payments") or []
        now = sorted(paid.get(case_id, []))
        # the same payments as counted (days and amounts): only then is it a change of ids alone
        if sorted((day, fen) for _w, day, fen in counted) == sorted((d.isoformat(), f) for _w, d, f in now):
            renamed = [[w, d.isoformat(), f] for w, d, f in now]
            if renamed != counted:
                changed.append({"id": case_id, "facts": {**facts, "payments": renamed}})
    if changed:
        bind.execute(part.update().where(part.c.case_id == sa.bindparam("id"))
                     .values(facts=sa.bindparam("facts")), changed)


def _check_references() -> None:
    """SQLite rebuilds a table with its foreign keys off (migrations/env.py): every reference must
    still hold before the migration commits."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"rows refer to rows that are gone: {broken[:10]}")


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        for column, _master, length in EMPLOYER_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.String(length=length), nullable=False, server_default=""))
    for column, master, _length in EMPLOYER_COLUMNS:
        op.execute(f"UPDATE case_file SET {column} = "
                   f"(SELECT COALESCE(employer.{master}, '') FROM employer WHERE employer.id = case_file.employer_id)")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_file_employer_uscc"), ["employer_uscc"], unique=False)

    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=False, server_default=""))
        batch_op.drop_constraint(batch_op.f("uq_worker_id_number"), type_="unique")
    # the first case keeps the row; every other case of the worker gets a copy of its own
    op.execute(f"UPDATE worker SET case_id = (SELECT MIN(p.case_id) FROM ({_pairs()}) p WHERE p.worker_id = worker.id)")
    op.execute(f"""
        INSERT INTO worker (case_id, name, id_number, phone, address)
        SELECT p.case_id, w.name, w.id_number, w.phone, ''
        FROM ({_pairs()}) p JOIN worker w ON w.id = p.worker_id
        WHERE p.case_id <> w.case_id""")
    moved = _paid_elsewhere("w.case_id <> p.case_id")
    for table in DEPENDENTS:
        _repoint(table)
    _party_keys()
    _recount_parts(moved)
    op.execute("DELETE FROM worker WHERE case_id IS NULL")  # on no case at all: nobody's record

    with op.batch_alter_table("case_worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_worker_worker_id"))
    op.drop_table("case_worker")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_worker_case_id_case_file"), "case_file", ["case_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_unique_constraint("uq_worker_case_id_id_number", ["case_id", "id_number"])
        batch_op.create_index(batch_op.f("ix_worker_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_worker_id_number"), ["id_number"], unique=False)
    _check_references()


def downgrade() -> None:
    op.create_table(
        "case_worker",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_case_worker_case_id_case_file"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_case_worker_worker_id_worker")),
        sa.PrimaryKeyConstraint("case_id", "worker_id", name=op.f("pk_case_worker")),
    )
    with op.batch_alter_table("case_worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_worker_worker_id"), ["worker_id"], unique=False)
    shared = "(SELECT MIN(s.id) FROM worker s WHERE s.id_number = worker.id_number)"
    moved = _paid_elsewhere(f"w.id <> {shared.replace('worker.id_number', 'w.id_number')}")
    for table in DEPENDENTS:
        op.execute(f"UPDATE {table} SET worker_id = (SELECT {shared.replace('worker.id_number', 'w.id_number')} "
                   f"FROM worker w WHERE w.id = {table}.worker_id) WHERE worker_id IS NOT NULL")
    _party_keys()
    op.execute(f"INSERT INTO case_worker (case_id, worker_id) SELECT case_id, {shared} FROM worker")
    _recount_parts(moved)
    op.execute(f"DELETE FROM worker WHERE id <> {shared}")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_id_number"))
        batch_op.drop_index(batch_op.f("ix_worker_case_id"))
        batch_op.drop_constraint("uq_worker_case_id_id_number", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_worker_case_id_case_file"), type_="foreignkey")
        batch_op.drop_column("address")
        batch_op.drop_column("case_id")
        batch_op.create_unique_constraint(batch_op.f("uq_worker_id_number"), ["id_number"])
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_employer_uscc"))
        for column, _master, _length in EMPLOYER_COLUMNS:
            batch_op.drop_column(column)
    _check_references()
