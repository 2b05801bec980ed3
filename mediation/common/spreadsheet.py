"""Cells bound for a spreadsheet (CSV and XLSX exports): text that Excel or WPS would run as a
formula (CSV injection) is made plain text with a leading apostrophe."""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):  # noqa: ANN001, ANN201
    """Text that a spreadsheet would take for a formula gets a leading apostrophe; the rest is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
