"""The recovery statistics' filters, checked against the reader's scope: shared by the page
(mediation/stats/views.py) and the JSON API (mediation/api/stats.py)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.common.errors import NotFound, ValidationFailed
from mediation.extensions import db
from mediation.models import CHANNELS, CLAIM_KINDS, Region, User, Venue
from mediation.stats import period as periods
from mediation.stats.figures import StatsFilters


def region_for(user: User, code: str | None) -> Region | None:
    """The region whose figures the user asks for, when it lies in their own subtree; None
    otherwise: another region's figures do not exist for this user, whatever the URL says."""
    region = db.session.get(Region, code) if isinstance(code, str) and code else None
    return region if region is not None and policy.can_see_region(user, region) else None


def recovery_filters(user: User, *, start: dt.date, end: dt.date, region_code: str, channel: str = "",
                     kind: str = "", venue_id: int | None = None) -> tuple[StatsFilters, Region]:
    """The filters of a range of days; NotFound for a region outside the user's subtree,
    ValidationFailed (naming the field) for the rest."""
    errors: dict[str, list[str]] = {}
    if db.session.get(Region, region_code) is None:
        errors["region"] = [str(_l("Unknown region."))]
    region = region_for(user, region_code)
    if region is None and not errors:
        raise NotFound(_l("There is no such region in your scope."))
    try:
        period = periods.custom(start, end)
    except periods.PeriodError as error:
        errors["to"] = [gettext(str(error))]
    if channel and channel not in CHANNELS:
        errors["channel"] = [str(_l("Choose where the case comes from."))]
    if kind and kind not in CLAIM_KINDS:
        errors["kind"] = [str(_l("Unknown claim kind."))]
    venue = db.session.get(Venue, venue_id) if venue_id is not None else None
    if venue_id is not None and (venue is None or not policy.can_see_region(user, venue.region)):
        errors["venue"] = [str(_l("Unknown venue."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    return StatsFilters(period=period, region=region.code, channel=channel, kind=kind, venue_id=venue_id), region
