"""Venues: the workrooms and committees where mediation happens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.common.codes import Code
from mediation.extensions import db
from mediation.models.region import Region


class VenueKind(Code):
    """Where mediation happens."""

    COURT_WORKROOM = "court_workroom", _l("Court mediation workroom")
    ARBITRATION_WORKROOM = "arbitration_workroom", _l("Arbitration commission workroom")
    UNION_COMMITTEE = "union_committee", _l("Union mediation committee")


VENUE_KINDS = VenueKind.values()


class Venue(db.Model):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name}>"
