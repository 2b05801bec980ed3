"""The recovery statistics: the page's filters, and its table as JSON."""

from __future__ import annotations

import marshmallow as ma

from mediation.api.schemas.common import RegionSchema
from mediation.common.fields import BaseSchema, Choice, Day, Id, Text, Yuan
from mediation.models import CHANNELS, CLAIM_KINDS


class RecoveryQuerySchema(BaseSchema):
    start = Day(required=True, data_key="from", metadata={"description": "First day of the period, included."})
    end = Day(required=True, data_key="to", metadata={"description": "Last day of the period, included."})
    region = Text(6, metadata={"description": "Default: your home region. A region of your subtree."})
    channel = Choice(CHANNELS)
    kind = Choice(CLAIM_KINDS, metadata={"description": "Cases with at least one claim item of this kind."})
    venue = Id(strict=False)


class FiguresSchema(ma.Schema):
    cases_received = ma.fields.Integer(required=True)
    cases_in_mediation = ma.fields.Integer(required=True, metadata={"description": "At the end of the period."})
    cases_settled = ma.fields.Integer(required=True)
    cases_failed = ma.fields.Integer(required=True)
    cases_withdrawn = ma.fields.Integer(required=True)
    cases_closed = ma.fields.Integer(required=True)
    cases_collective = ma.fields.Integer(required=True)
    cases_overdue = ma.fields.Integer(required=True, metadata={"description": "At the end of the period."})
    claimed = Yuan(required=True)
    agreed = Yuan(required=True)
    recovered = Yuan(required=True, metadata={"description": "Money actually paid in the period."})
    outstanding = Yuan(required=True)
    workers_paid = ma.fields.Integer(required=True)
    success_rate = ma.fields.Float(required=True, allow_none=True, metadata={
        "description": "settled / (settled + failed), for display; null when neither."})
    median_days = ma.fields.Integer(required=True, allow_none=True)
    p90_days = ma.fields.Integer(required=True, allow_none=True)


class RegionRowSchema(FiguresSchema):
    region_code = ma.fields.String(required=True)
    region = ma.fields.Nested(RegionSchema, required=True)
    own_level = ma.fields.Boolean(required=True, metadata={
        "description": "The cases filed at the region's own level, not under one of its children."})


class RecoverySchema(ma.Schema):
    region_code = ma.fields.String(required=True)
    region = ma.fields.Nested(RegionSchema, required=True)
    start = ma.fields.Date(required=True, data_key="from")
    end = ma.fields.Date(required=True, data_key="to")
    channel = ma.fields.String(required=True, allow_none=True)
    kind = ma.fields.String(required=True, allow_none=True)
    venue = ma.fields.Integer(required=True, allow_none=True)
    total = ma.fields.Nested(FiguresSchema, required=True)
    rows = ma.fields.List(ma.fields.Nested(RegionRowSchema), required=True, metadata={
        "description": "One row per child region (the sum of its subtree), and one for the region's own level "
                       "when it has cases; they add up to the total."})
