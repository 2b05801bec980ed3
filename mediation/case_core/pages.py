"""What other domains add to the case page: each registers a part (its template and the names
that template reads), so the case page imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mediation.models import Case, User


@dataclass(frozen=True)
class CasePagePart:
    template: str  # included in the case page's main column
    context: Callable[[User, Case], dict[str, Any]]  # the names the template reads
    order: int  # its place among the parts, smallest first (the agreement before enforcement)


CASE_PAGE_PARTS: list[CasePagePart] = []


def register_case_page_part(part: CasePagePart) -> None:
    if any(existing.template == part.template for existing in CASE_PAGE_PARTS):
        raise ValueError(f"case page part {part.template!r} is registered twice")
    CASE_PAGE_PARTS.append(part)
    CASE_PAGE_PARTS.sort(key=lambda one: one.order)


def case_page_parts(user: User, case: Case) -> tuple[list[str], dict[str, Any]]:
    """The templates of the registered parts, and the names they read."""
    names: dict[str, Any] = {}
    for part in CASE_PAGE_PARTS:
        names.update(part.context(user, case))
    return [part.template for part in CASE_PAGE_PARTS], names
