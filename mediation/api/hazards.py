"""Hazards (risk screening): the scoped, filtered list, read-only.

Thin: parse the query (its schema), check the region filter's scope (404 outside it), read the
selectors, write the result out. Recording is done on the pages (mediation/hazards/views.py).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from sqlalchemy.orm import selectinload

from mediation.api.cases import scoped_region
from mediation.api.docs import blueprint, problems
from mediation.api.present import region
from mediation.api.schemas.common import PageQuerySchema, PageSchema, RegionSchema
from mediation.common.fields import Choice, Text, Yuan
from mediation.extensions import db
from mediation.hazards.selectors import HazardFilters, hazard_list_query
from mediation.models import Hazard, HazardKind, HazardLevel, HazardOutcome, HazardSource

bp = blueprint("hazards_api", __name__, url_prefix="/api/v1/hazards",
               description="Labor-relations hazards found at employers in your region's subtree (risk screening).")


class HazardListQuerySchema(PageQuerySchema):
    status = Choice(("open", "closed"), metadata={"description": "open: not yet closed; closed: with an outcome."})
    level = Choice(HazardLevel.values())
    kind = Choice(HazardKind.values())
    region = Text(6, metadata={"description": "A region code of your subtree: its hazards and those below it."})
    employer = Text(18, metadata={"description": "The employer's unified social credit code, exactly."})


class HazardStepSchema(ma.Schema):
    seq = ma.fields.Integer(required=True)
    taken_on = ma.fields.Date(required=True)
    text = ma.fields.String(required=True)


class HazardSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    region = ma.fields.Nested(RegionSchema, required=True)
    employer_name = ma.fields.String(required=True)
    employer_uscc = ma.fields.String(required=True)
    source = ma.fields.String(required=True, metadata={"enum": list(HazardSource.values())})
    kind = ma.fields.String(required=True, metadata={"enum": list(HazardKind.values())})
    level = ma.fields.String(required=True, metadata={"enum": list(HazardLevel.values())})
    found_on = ma.fields.Date(required=True)
    workers_affected = ma.fields.Integer(required=True)
    amount = Yuan(required=True, metadata={"description": "The estimated amount at stake, in yuan."})
    outcome = ma.fields.String(required=True, allow_none=True, metadata={"enum": list(HazardOutcome.values())})
    closed_on = ma.fields.Date(required=True, allow_none=True)
    case_number = ma.fields.String(required=True, allow_none=True)
    steps = ma.fields.List(ma.fields.Nested(HazardStepSchema), required=True)


class HazardPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(HazardSchema), required=True)


def hazard_summary(hazard: Hazard) -> dict[str, Any]:
    return {
        "id": hazard.id, "region": region(hazard.region), "employer_name": hazard.employer.name,
        "employer_uscc": hazard.employer.uscc, "source": hazard.source, "kind": hazard.kind, "level": hazard.level,
        "found_on": hazard.found_on, "workers_affected": hazard.workers_affected, "amount": hazard.amount_fen,
        "outcome": hazard.outcome, "closed_on": hazard.closed_on,
        "case_number": hazard.case.number if hazard.case is not None else None,
        "steps": [{"seq": s.seq, "taken_on": s.taken_on, "text": s.text} for s in hazard.steps],
    }


@bp.route("", methods=["GET"])
@problems(bp, 404, 422)
@bp.arguments(HazardListQuerySchema, location="query", as_kwargs=True)
@bp.response(200, HazardPageSchema)
def hazard_list(page: int, per_page: int, **filters: Any):
    """The hazards you may see, the latest found first, filtered like the hazard list page."""
    if filters.get("region"):
        scoped_region(filters["region"], "region")
    chosen = HazardFilters(status=filters.get("status") or "", level=filters.get("level") or "",
                           kind=filters.get("kind") or "", region=filters.get("region") or "",
                           employer=(filters.get("employer") or "").upper())
    query = hazard_list_query(current_user, chosen).options(selectinload(Hazard.steps), selectinload(Hazard.case))
    result = db.paginate(query, page=page, per_page=per_page, error_out=False,
                         count=True)
    return {"items": [hazard_summary(hazard) for hazard in result.items], "page": page, "per_page": per_page,
            "total": result.total or 0, "pages": result.pages}
