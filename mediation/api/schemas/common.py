"""Schemas every resource shares: the problem document, a region, a person, a page of results."""

from __future__ import annotations

import marshmallow as ma

from mediation.common.fields import BaseSchema, Id

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


class ProblemFieldSchema(ma.Schema):
    field = ma.fields.String(required=True, metadata={
        "description": "A JSON pointer into the request body without its leading slash "
                       "(\"workers/0/id_number\"; \"\" for the body as a whole), or a query parameter or header."})
    message = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with a stable `code`."""

    type = ma.fields.String(required=True, metadata={"example": "urn:mediation:problem:validation_failed"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True, metadata={
        "description": "Stable machine code: bad_request, malformed_json, unauthorized, forbidden, not_found, "
                       "method_not_allowed, conflict, refused, duplicate_referral, idempotency_key_in_flight, "
                       "idempotency_key_reused, payload_too_large, unsupported_media_type, validation_failed, "
                       "too_many_requests, internal_error."})
    detail = ma.fields.String(required=True)
    errors = ma.fields.List(ma.fields.Nested(ProblemFieldSchema), metadata={
        "description": "Every field that failed (validation problems only)."})


class RegionSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "220100"})
    name_zh = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class PageQuerySchema(BaseSchema):
    page = Id(strict=False, maximum=MAX_PAGE, load_default=1, metadata={"description": "1 for the first page."})
    per_page = Id(strict=False, maximum=MAX_PER_PAGE, load_default=25)


class PageSchema(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True, metadata={"description": "Items matching the filters, in all pages."})
    pages = ma.fields.Integer(required=True)
