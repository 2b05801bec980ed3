"""Regions: the administrative tree (GB/T 2260 codes) that scopes access and rolls up figures."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.extensions import db

LEVELS = ("province", "prefecture", "county")


class Region(db.Model):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    parent_code: Mapped[Optional[str]] = mapped_column(ForeignKey("region.code"), index=True)
    level: Mapped[str] = mapped_column(String(12))
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    # Materialized path "220000/220100/220102/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(255), unique=True)

    parent: Mapped[Optional["Region"]] = relationship(remote_side=[code])

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_zh

    def contains(self, other: "Region") -> bool:
        return other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name_zh}>"
