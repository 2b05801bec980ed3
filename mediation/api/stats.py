"""Recovery statistics: the figures of the statistics page for a range of days, as JSON."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation import policy
from mediation.api.docs import blueprint, problems
from mediation.api.present import recovery
from mediation.api.problems import ApiProblem, from_service_error
from mediation.api.schemas.stats import RecoveryQuerySchema, RecoverySchema
from mediation.common.errors import ServiceError
from mediation.stats.filters import recovery_filters
from mediation.stats.report import build

bp = blueprint("stats_api", __name__, url_prefix="/api/v1/stats",
               description="Recovery statistics (supervisors and administrators).")


@bp.route("/recovery", methods=["GET"])
@problems(bp, 403, 404, 422)
@bp.arguments(RecoveryQuerySchema, location="query", as_kwargs=True)
@bp.response(200, RecoverySchema)
def recovery_read(start: dt.date, end: dt.date, region: str | None = None, channel: str | None = None,
                  kind: str | None = None, venue: int | None = None):
    """The total of a region of your subtree, and one row per child region, for a range of days.

    Figures as on the statistics page (its glossary defines each): cases counted by the date of
    the event in the period, stocks at its end; claimed, agreed, recovered (money actually paid in
    the period) and outstanding are yuan strings.
    """
    user = current_user
    if not policy.can_read_statistics(user):
        raise ApiProblem(403, "forbidden", _l("Only supervisors and administrators read the statistics."))
    try:
        filters, scope = recovery_filters(user, start=start, end=end, region_code=region or user.region_code,
                                          channel=channel or "", kind=kind or "", venue_id=venue)
    except ServiceError as error:
        return from_service_error(error)
    return recovery(build(filters, scope))
