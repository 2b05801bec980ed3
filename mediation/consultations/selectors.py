"""Reads of consultations: one in the user's scope, and the filtered list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select

from mediation import policy
from mediation.consultations import access
from mediation.extensions import db
from mediation.models import Consultation, Region, User


def consultation_in_scope(user: User, consultation_id: int) -> Consultation | None:
    """The consultation, or None when it does not exist or lies outside the user's region."""
    return db.session.scalar(select(Consultation).where(Consultation.id == consultation_id, access.in_scope(user)))


@dataclass(frozen=True)
class ConsultationFilters:
    recorded_by_id: int | None = None
    region: Region | None = None
    channel: str = ""
    topic: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def consultation_list_query(user: User, filters: ConsultationFilters) -> Select:
    """Newest first; a region filter means its whole subtree."""
    query = select(Consultation).where(access.in_scope(user))
    if filters.recorded_by_id is not None:
        query = query.where(Consultation.recorded_by_id == filters.recorded_by_id)
    if filters.region is not None:
        query = query.where(Consultation.region_code.in_(policy.region_subtree_codes(filters.region)))
    if filters.channel:
        query = query.where(Consultation.channel == filters.channel)
    if filters.topic:
        query = query.where(Consultation.topic == filters.topic)
    if filters.start is not None:
        query = query.where(Consultation.held_on >= filters.start)
    if filters.end is not None:
        query = query.where(Consultation.held_on <= filters.end)
    return query.order_by(Consultation.held_on.desc(), Consultation.id.desc())
