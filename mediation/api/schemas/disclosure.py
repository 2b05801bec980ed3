"""Asking for a case's full ID numbers and phones, and what comes back."""

from __future__ import annotations

import marshmallow as ma

from mediation.common.fields import BaseSchema, Choice, Text
from mediation.disclosure.services import NOTE_MAX_LENGTH
from mediation.models import DISCLOSURE_PURPOSES


class ShowInSchema(BaseSchema):
    purpose = Choice(DISCLOSURE_PURPOSES, required=True, metadata={"description": "Why you need the full numbers."})
    note = Text(NOTE_MAX_LENGTH, load_default="", metadata={"description": "Required when the purpose is other."})


class AccessSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    purpose = ma.fields.String(required=True, metadata={"enum": list(DISCLOSURE_PURPOSES)})
    note = ma.fields.String(required=True)


class FullWorkerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    id_number = ma.fields.String(required=True)
    phone = ma.fields.String(required=True, allow_none=True)


class PersonalDataSchema(ma.Schema):
    access = ma.fields.Nested(AccessSchema, required=True, metadata={"description": "The record of this viewing."})
    workers = ma.fields.List(ma.fields.Nested(FullWorkerSchema), required=True)
