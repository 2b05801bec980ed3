"""Reads of stored documents: a case's versions, and the look-ups of the verification page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


# Verifiable documents that belong to no case (a hazard's supervision notice): the domain that
# stores them registers its look-ups here, so the one public /verify page finds every kind.
OTHER_VERIFIABLE: list[tuple[Callable[[str], Any], Callable[[bytes], Any]]] = []


def register_verifiable(by_code: Callable[[str], Any], by_content: Callable[[bytes], Any]) -> None:
    if (by_code, by_content) not in OTHER_VERIFIABLE:
        OTHER_VERIFIABLE.append((by_code, by_content))


def document_by_code(code: str) -> Any:
    """The document (a CaseDocument, or another registered kind) with this verification code."""
    found = db.session.scalar(select(CaseDocument).options(joinedload(CaseDocument.case))
                              .where(CaseDocument.verification_code == code))
    for by_code, _by_content in OTHER_VERIFIABLE:
        found = found or by_code(code)
    return found


def document_by_content(content: bytes) -> Any:
    """The stored document with exactly these bytes (same SHA-256 and, to be sure, same content)."""
    digest = hashlib.sha256(content).hexdigest()
    for document in db.session.scalars(select(CaseDocument).options(joinedload(CaseDocument.case))
                                       .where(CaseDocument.sha256 == digest)):
        if document.content == content:
            return document
    for _by_code, by_content in OTHER_VERIFIABLE:
        if (found := by_content(content)) is not None:
            return found
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
