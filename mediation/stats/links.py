"""From a figure to the cases behind it: the link the statistics page builds, and its reading
back by the case list (which is scoped to the user's region like every case read)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from mediation.models import CLAIM_KINDS
from mediation.stats import period as periods
from mediation.stats.figures import FIGURE_LABELS, StatsFilters, list_condition, narrowing
from mediation.stats.period import Period


@dataclass(frozen=True)
class FigureFilter:
    figure: str = ""
    period: Period | None = None
    kind: str = ""
    venue_id: int | None = None
    error: str = ""

    @property
    def label(self) -> str:
        return str(FIGURE_LABELS.get(self.figure, ""))

    def conditions(self, *, region: str, channel: str) -> tuple:
        """The figure's condition over its period, with the statistics page's own narrowing, as
        conditions on the case list's query (channel and region are the list's own filters)."""
        if not self.figure or self.period is None:
            return ()
        stats = StatsFilters(period=self.period, region=region, channel=channel, kind=self.kind,
                             venue_id=self.venue_id)
        condition = list_condition(self.figure, stats)
        return () if condition is None else (condition, *narrowing(stats))


def figure_url(figure: str, filters: StatsFilters, region: str | None = None) -> str:
    """The case list of the cases behind `figure` (in `region`, default the filters' region)."""
    args = {"figure": figure, "period": filters.period.key, "region": region or filters.region}
    if filters.channel:
        args["channel"] = filters.channel
    if filters.kind:
        args["kind"] = filters.kind
    if filters.venue_id is not None:
        args["venue"] = filters.venue_id
    return url_for("cases.index", **args)


def figure_filter(args: MultiDict) -> FigureFilter:
    """The figure, period, dispute kind and venue of a case-list URL; `error` says what is wrong."""
    figure = (args.get("figure") or "").strip()
    if not figure:
        return FigureFilter()
    if figure not in FIGURE_LABELS:
        return FigureFilter(error=str(_l("This figure does not exist.")))
    try:
        period = periods.parse(args.get("period") or "")
    except periods.PeriodError:
        return FigureFilter(error=str(_l("The period of this figure is not valid.")))
    kind = (args.get("kind") or "").strip()
    venue = (args.get("venue") or "").strip()
    if (kind and kind not in CLAIM_KINDS) or (venue and not venue.isdigit()):
        return FigureFilter(error=str(_l("The filters of this figure are not valid.")))
    return FigureFilter(figure=figure, period=period, kind=kind, venue_id=int(venue) if venue else None)
