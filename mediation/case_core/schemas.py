"""What every case operation's input carries: the case version seen, and a note.

Each domain's operation input schemas (its `schemas.py`) build on these; the pages and the API
both read them from the operations table.
"""

from __future__ import annotations

from mediation.case_core.checks import MAX_NOTE
from mediation.common.fields import MAX_ID, BaseSchema, Id, Text


class ActionSchema(BaseSchema):
    expected_version = Id(minimum=0, maximum=MAX_ID, allow_none=True, load_default=None, metadata={
        "description": "The case version you read: if the case changed since, nothing is saved (409 conflict)."})


def note_field(**kwargs) -> Text:  # noqa: ANN003
    """An optional note, as long as a case event may hold."""
    return Text(MAX_NOTE, load_default="", **kwargs)
