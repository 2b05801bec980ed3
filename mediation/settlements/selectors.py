"""Reads of stored documents: a case's versions, and the look-ups of the verification page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from mediation.extensions import db
from mediation.models import Case, CaseDocument, Worker


def documents_of(case: Case) -> list[CaseDocument]:
    """The agreement versions of a case, newest first, without their content."""
    return list(db.session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)
                                   .order_by(CaseDocument.kind, CaseDocument.version.desc())))


def document_version(case: Case, version: int, kind: str = "agreement") -> CaseDocument | None:
    return db.session.scalar(select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.kind == kind, CaseDocument.version == version))


def document_by_code(code: str) -> CaseDocument | None:
    return db.session.scalar(select(CaseDocument).options(joinedload(CaseDocument.case))
                             .where(CaseDocument.verification_code == code))


def document_by_content(content: bytes) -> CaseDocument | None:
    """The stored document with exactly these bytes (same SHA-256 and, to be sure, same content)."""
    digest = hashlib.sha256(content).hexdigest()
    for document in db.session.scalars(select(CaseDocument).options(joinedload(CaseDocument.case))
                                       .where(CaseDocument.sha256 == digest)):
        if document.content == content:
            return document
    return None


@dataclass(frozen=True)
class WorkerMoney:
    """One worker's line of the money table: what was claimed, agreed, paid and is still owed."""

    worker: Worker
    claimed_fen: int
    agreed_fen: int
    paid_fen: int

    @property
    def outstanding_fen(self) -> int:
        return max(self.agreed_fen - self.paid_fen, 0)


def money_by_worker(case: Case) -> list[WorkerMoney]:
    return [WorkerMoney(worker=w, claimed_fen=sum(i.claimed_fen for i in case.claims_of(w)),
                        agreed_fen=case.agreed_for(w), paid_fen=case.paid_to(w)) for w in case.workers]
