"""Rolling the per-code figures up the region tree: one row per child region of the region
being read, each the sum of its whole subtree, plus a row for cases filed at the region's own
level; the total is the sum of those rows, so the children always add up to the parent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Region
from mediation.stats.figures import Figures


@dataclass
class RegionRow:
    region: Region
    figures: Figures
    own_level: bool = False  # the cases filed under the region itself, not under a child


def children_of(region: Region) -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.parent_code == region.code).order_by(Region.code)))


def roll_up(region: Region, by_code: dict[str, Figures]) -> tuple[list[RegionRow], Figures]:
    """(rows, total) for `region` from {region code: Figures} of its subtree."""
    subtree = {r.code: r for r in db.session.scalars(
        select(Region).where(Region.path.startswith(region.path, autoescape=True)))}
    children = children_of(region)
    sums = {child.code: Figures() for child in children}
    own = Figures()
    for code, figures in by_code.items():
        holder = subtree.get(code)
        if holder is None:
            continue  # outside the subtree: the queries never return it, and it must not count
        child = next((c for c in children if holder.path.startswith(c.path)), None)
        if child is None:
            own += figures
        else:
            sums[child.code] += figures
    rows = [RegionRow(child, sums[child.code]) for child in children]
    if own.counts or own.amounts or own.days or own.workers_paid or not children:
        rows.insert(0, RegionRow(region, own, own_level=True))
    total = Figures()
    for row in rows:
        total += row.figures
    return rows, total
