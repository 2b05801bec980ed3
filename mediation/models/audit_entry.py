"""The audit log: one hash-chained, append-only entry per privileged operation that is no case event."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit import chain, guard
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.region import Region
from mediation.models.user import User


class AuditEntry(db.Model):
    """Who did what to which object of which region, when: users, venues, rosters, tokens, locks...

    Written only through mediation.audit.log.audit_record, which keeps the chain: one chain for
    the whole database (seq 1, 2, 3...), each entry sealing its content (chain.AUDIT_CONTENT) and
    the hash of the entry before it. The database refuses to change or remove one (guard.py).
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: whatever got past the head row's lock (audit_record) still could not fork the chain.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None: the command line or the system itself.
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)  # a stable code: "user.create", "stats.lock"...
    # The region the operation concerns: who may read the entry (that region's subtree's admins and supervisors).
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    target_kind: Mapped[str] = mapped_column(String(24))  # "user", "venue", "api_token"...
    target_id: Mapped[Optional[int]] = mapped_column(Integer)  # None: no single object (a ledger import)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # what changed: never a secret or personal number

    actor: Mapped[Optional[User]] = relationship()
    region: Mapped[Region] = relationship()


class AuditHead(db.Model):
    """The head of the audit chain, one row (id 1): how many entries and the last one's hash.

    Each append locks this row first (SELECT ... FOR UPDATE), so appends wait for each other
    instead of failing; and a verifier notices a removed last entry, as a case's head does for
    its events.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    length: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=chain.GENESIS)


HEAD_ID = 1

guard.attach(AuditEntry.__table__)  # the triggers, for a schema made by create_all() too
