"""Parties: the workers a case recorded (each case its own rows), and the employers' master records.

A case owns the details of its parties as it recorded them (issue 15): its workers are rows of
its own, and its employer's name, credit code, representative and address are columns of the
case (mediation/models/case.py). Nothing another case records changes them; a correction on the
case does (mediation/cases/corrections.py). The same person in two cases is two rows with one ID
number: the index on `id_number` links them for duplicate warnings, never for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.extensions import db


class Worker(db.Model):
    """One worker as one case recorded them."""

    __tablename__ = "worker"
    __table_args__ = (UniqueConstraint("case_id", "id_number", name="uq_worker_case_id_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    # The cross-case index: the same person on other cases, for warnings and nothing else.
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(11))
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Worker {self.id}>"


class Employer(db.Model):
    """The master record of an employer, one per credit code: it links the cases of one employer
    for the risk register, the statistics and conflicts of interest, and carries a supervisor's
    acceptance of a code that fails its checksum. A case shows its own record of the employer
    (Case.employer), never this one; only an explicit, audited edit changes it
    (mediation/admin/services.py `employer_master_update`)."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    # Some early pilot codes fail the checksum; a supervisor may accept one on record.
    uscc_checksum_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_representative: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<Employer {self.uscc}>"


@dataclass(frozen=True)
class EmployerRecord:
    """The employer as a case recorded it (read from the case's own columns)."""

    name: str
    uscc: str
    legal_representative: str
    address: str
