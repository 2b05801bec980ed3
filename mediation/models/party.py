"""Parties: workers (by resident ID number) and employers (by unified social credit code)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from mediation.extensions import db


class Worker(db.Model):
    __tablename__ = "worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    # One person, one row across the whole database: imports match workers on this.
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[Optional[str]] = mapped_column(String(11))

    def __repr__(self) -> str:
        return f"<Worker {self.id}>"


class Employer(db.Model):
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
