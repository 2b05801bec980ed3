"""Consultations counted by topic and channel, for a region's subtree and a period (the
statistics page shows them under the recovery figures: templates/consultations/_stats.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from mediation import policy
from mediation.extensions import db
from mediation.models import CONSULTATION_CHANNELS, CONSULTATION_TOPICS, Consultation, Region


@dataclass(frozen=True)
class ConsultationCounts:
    cells: dict[tuple[str, str], int]  # (topic, channel) -> consultations

    def count(self, topic: str | None = None, channel: str | None = None) -> int:
        return sum(n for (t, c), n in self.cells.items() if topic in (None, t) and channel in (None, c))

    topics = CONSULTATION_TOPICS
    channels = CONSULTATION_CHANNELS


def consultation_counts(region: Region, start: dt.date, end: dt.date) -> ConsultationCounts:
    """Consultations held from `start` to `end` (both included) in the region and those below it."""
    where = (Consultation.region_code.in_(policy.region_subtree_codes(region)),
             Consultation.held_on >= start, Consultation.held_on <= end)
    rows = db.session.execute(select(Consultation.topic, Consultation.channel, func.count())
                              .where(*where).group_by(Consultation.topic, Consultation.channel)).all()
    return ConsultationCounts({(topic, channel): n for topic, channel, n in rows})
