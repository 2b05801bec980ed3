"""Writing the audit log: one chained entry per privileged operation, in the operation's transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from mediation.audit import chain
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models import AuditEntry, AuditHead, User
from mediation.models.audit_entry import HEAD_ID

log = logging.getLogger("mediation.audit")

# Never in an entry, at any depth: secrets and personal numbers. A detail naming one of these is
# a programming error, refused before anything is written.
FORBIDDEN_KEYS = frozenset({"password", "password_hash", "session_token", "token", "raw", "token_hash",
                            "secret", "id_number", "phone"})


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """{field: [before, after]} of the fields whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _check_detail(detail: Any, path: str = "detail") -> None:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            if str(key) in FORBIDDEN_KEYS:
                raise ValueError(f"{path}.{key}: an audit entry never carries a secret or a personal number")
            _check_detail(value, f"{path}.{key}")
    elif isinstance(detail, list | tuple):
        for value in detail:
            _check_detail(value, path)


def _locked_head() -> AuditHead:
    """The chain's head row, locked until the transaction ends.

    Why a head row and not only the unique seq: with the seq alone, two operations appending at
    once would both read the same last entry, and the later one to commit would fail on the
    unique seq (a refused user action for nobody's fault). Locking one row makes them wait for
    each other instead; privileged operations are rare enough that the wait is nothing. SQLite
    has no FOR UPDATE, and needs none: its writing transactions begin IMMEDIATE (mediation/web/sqlite.py)
    and so run one at a time. The unique seq stays as the last line: a fork cannot be written.
    The row is made on first use where the migration did not (a schema from create_all(), or
    after the tests empty the tables); two first uses at once: one fails on its primary key.
    """
    head = db.session.execute(select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, length=0, hash=chain.GENESIS)
        db.session.add(head)
    return head


def audit_record(*, actor: User | None, action: str, region_code: str, target_kind: str,
                 target_id: int | None, detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append an entry to the audit log, chained to the one before it; flushes, never commits.

    Call it from the service, after its own change is flushed, so that the entry is in the
    change's transaction (both are committed or neither) and the head row is locked last and
    held only for the end of the transaction. `actor` None: the command line or the system.
    """
    _check_detail(detail)
    head = _locked_head()
    values = {"seq": head.length + 1, "at": utcnow(), "actor_id": actor.id if actor is not None else None,
              "action": action, "region_code": region_code, "target_kind": target_kind, "target_id": target_id,
              "detail": chain.as_stored(detail)}
    entry = AuditEntry(**chain.link(values, head.hash, chain.AUDIT_CONTENT))
    head.length, head.hash = entry.seq, entry.hash
    db.session.add(entry)
    db.session.flush()
    log.info("audit %s %s %s:%s by %s", action, region_code, target_kind, target_id,
             actor.username if actor is not None else "system")
    return entry
