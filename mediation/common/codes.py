"""Stored codes with their labels, declared together as enums.

`ClaimKind.WAGES == "wages"` and is stored as "wages"; `ClaimKind.WAGES.label` is its translated
name. The tuples of values (`CLAIM_KINDS`) and the label dictionaries (`labels.CLAIM_KIND_LABELS`)
the forms, schemas and templates read are derived from the enum, so a code and its words are
declared once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Code(StrEnum):
    """A code stored as its value, with its label (a lazy translated string)."""

    label: Any

    def __new__(cls, value: str, label: Any = None) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored values, in declaration order (plain strings)."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, Any]:
        """{value: label}, in declaration order."""
        return {member.value: member.label for member in cls}
