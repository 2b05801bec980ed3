"""GET /api/v1/consultations: the consultations of your region's subtree, filtered like the
list page, a phone always masked. Read only: consultations are logged on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from flask_login import current_user

from mediation.api.cases import scoped_region
from mediation.api.docs import blueprint, problems
from mediation.api.present import region as region_document
from mediation.api.schemas.common import PageQuerySchema, PageSchema, PersonSchema, RegionSchema
from mediation.common.fields import Choice, Day, Text
from mediation.common.identity import mask_phone
from mediation.consultations.selectors import ConsultationFilters, consultation_list_query
from mediation.extensions import db
from mediation.models import CONSULTATION_CHANNELS, CONSULTATION_TOPICS, Consultation

bp = blueprint("consultations_api", __name__, url_prefix="/api/v1/consultations",
               description="Consultations (legal questions answered) in your region's subtree.")


class ConsultationQuerySchema(PageQuerySchema):
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only those you logged."})
    region = Text(6, metadata={"description": "A region of your subtree (with the regions below it)."})
    channel = Choice(CONSULTATION_CHANNELS)
    topic = Choice(CONSULTATION_TOPICS)
    start = Day(data_key="from", metadata={"description": "Held on or after this day."})
    end = Day(data_key="to", metadata={"description": "Held on or before this day."})


class ConsultationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    region = ma.fields.Nested(RegionSchema, required=True)
    channel = ma.fields.String(required=True, metadata={"enum": list(CONSULTATION_CHANNELS)})
    held_on = ma.fields.Date(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    topic = ma.fields.String(required=True, metadata={"enum": list(CONSULTATION_TOPICS)})
    question = ma.fields.String(required=True)
    answer = ma.fields.String(required=True)
    worker_name = ma.fields.String(required=True)
    worker_phone = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "Always masked (139****5678)."})
    employer_name = ma.fields.String(required=True)
    employer_uscc = ma.fields.String(required=True, allow_none=True)
    recorded_by = ma.fields.Nested(PersonSchema, required=True)
    case_number = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "The mediation case taken in from it, if any."})


class ConsultationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(ConsultationSchema), required=True)


def _present(c: Consultation) -> dict[str, Any]:
    return {"id": c.id, "region": region_document(c.region), "channel": c.channel, "held_on": c.held_on,
            "duration_minutes": c.duration_minutes, "topic": c.topic, "question": c.question, "answer": c.answer,
            "worker_name": c.worker_name, "worker_phone": mask_phone(c.worker_phone) or None,
            "employer_name": c.employer_name, "employer_uscc": c.employer_uscc,
            "recorded_by": {"id": c.recorded_by.id, "name": c.recorded_by.full_name},
            "case_number": c.case.number if c.case else None}


@bp.route("", methods=["GET"])
@problems(bp, 404, 422)
@bp.arguments(ConsultationQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ConsultationPageSchema)
def consultation_list(page: int, per_page: int, mine: bool = False, region: str | None = None,
                      channel: str | None = None, topic: str | None = None, start: dt.date | None = None,
                      end: dt.date | None = None):
    """The consultations you may see, newest first."""
    filters = ConsultationFilters(recorded_by_id=current_user.id if mine else None,
                                  region=scoped_region(region, "region") if region else None,
                                  channel=channel or "", topic=topic or "", start=start, end=end)
    result = db.paginate(consultation_list_query(current_user, filters), page=page, per_page=per_page,
                         error_out=False, count=True)
    return {"items": [_present(c) for c in result.items], "page": page, "per_page": per_page,
            "total": result.total or 0, "pages": result.pages}
