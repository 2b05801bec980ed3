"""The monthly summary the statistics page reads (mediation/stats/summary.py): kept on every write
equal to a recomputation from the cases, and giving the same figures as the queries on the cases
for every month, quarter and year, stocks taken inside a month included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, ClaimItem, Region, StatsMonth
from mediation.stats import period as periods
from mediation.stats import queries, summary, summary_queries
from mediation.stats.figures import StatsFilters
from mediation.stats.summary import CaseFacts, contribution
from mediation.web.commit import commit
from tests.stats.test_figures_property import _insert, history

DAY = dt.timedelta(days=1)


def _as_dicts(results: list[dict]) -> list[dict]:
    return [{key: (dict(+f.counts), dict(+f.amounts), f.workers_paid, dict(f.days), f.median_days)
             for key, f in rows.items()} for rows in results]


def _live(filters: StatsFilters, region: Region) -> list[dict]:
    grouped = queries.grouped_figures_by(filters, region, [Case.region_code, Case.lawyer_id, Case.venue_id])
    return _as_dicts(grouped)


def _from_summary(filters: StatsFilters, region: Region) -> list[dict]:
    return _as_dicts(list(summary_queries.grouped_figures_by(filters, region)))


def _no_drift() -> list[str]:
    return summary.verify(db.session.connection())


@pytest.fixture
def venue_and_user(app):
    from tests.factories import make_user, make_venue

    return make_venue("220100"), make_user("lawyer", "220000")


# Periods around today, so that the stocks of the current month, quarter and year are taken on a
# day inside a month (today), and ended ones at a month's end.
period_strategy = st.tuples(st.sampled_from(("month", "quarter", "year")), st.integers(0, 500))
mutations = st.lists(st.tuples(st.sampled_from(("move", "lawyer", "unpay", "resettle", "reclaim", "delete")),
                               st.integers(0, 50)), max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(histories=st.lists(history, min_size=1, max_size=10), chosen=period_strategy,
       channel=st.sampled_from(("", "court", "hr")), region=st.sampled_from(("220000", "220100", "222400")),
       changes=mutations)
def test_the_summary_gives_the_figures_of_the_cases(app, venue_and_user, histories, chosen, channel, region,
                                                    changes):
    venue, lawyer = venue_and_user
    kind, days_back = chosen
    try:
        facts = _insert(histories, venue, lawyer, origin=today() - 600 * DAY)
        deleted = set()
        for index, (change, pick) in enumerate(changes):
            case_id = facts[pick % len(facts)]["id"]
            if case_id not in deleted:
                _change(db.session.get(Case, case_id), change, index, lawyer)
                db.session.flush()
                summary.keep(db.session.connection(), [case_id])  # as the commit point does
            if change == "delete":
                deleted.add(case_id)
        assert _no_drift() == []
        filters = StatsFilters(period=periods.containing(kind, today() - days_back * DAY), region=region,
                               channel=channel)
        assert summary_queries.covers(filters)
        scope = db.session.get(Region, region)
        assert _from_summary(filters, scope) == _live(filters, scope)
        assert (summary_queries.monthly_recovered(filters, scope) == queries.monthly_recovered(filters, scope))
    finally:
        db.session.rollback()


def _change(case: Case, change: str, index: int, lawyer) -> None:  # noqa: ANN001
    """Correct a case as the services would: its region, lawyer, payments, settlement, claims."""
    if change == "move":
        case.region_code = ("222401", "220104", "220202")[index % 3]
    elif change == "lawyer":
        case.lawyer_id = None if case.lawyer_id else lawyer.id
    elif change == "unpay" and case.payments:
        db.session.delete(case.payments[-1])
    elif change == "resettle" and case.settled_on:
        case.settled_on = case.settled_on - 40 * DAY
    elif change == "reclaim":
        claim = db.session.scalars(db.select(ClaimItem).where(ClaimItem.case_id == case.id)).first()
        claim.claimed_fen += 12_345
    elif change == "delete":
        db.session.delete(case)


def test_a_case_flows_into_the_month_of_each_event():
    received = dt.date(2026, 3, 30)
    facts = CaseFacts(region_code="220102", lawyer_id=None, venue_id=7, channel="court", received_on=received,
                      started_on=dt.date(2026, 4, 2), due_on=dt.date(2026, 4, 17), settled_on=dt.date(2026, 5, 6),
                      ended_on=dt.date(2026, 8, 1), state="closed", worker_count=2, written_off=100,
                      claimed=900_000, agreed=800_000,
                      payments=((1, dt.date(2026, 5, 20), 300_000), (1, dt.date(2026, 6, 3), 200_000),
                                (1, dt.date(2026, 7, 1), 100_000), (2, dt.date(2026, 7, 9), 100_000)))
    cells, histogram = contribution(facts)
    cell = ("venue", 7, "220102", "court")

    def month(m: int) -> dict:
        return {name: value for name, value in cells[(dt.date(2026, m, 1), *cell)].items() if value}

    # the same part in each dimension: the region, the lawyer (none: 0), the venue
    for other in (("region", 0, "220102", "court"), ("lawyer", 0, "220102", "court")):
        assert {key[0] for key in cells if key[1:] == other} == {key[0] for key in cells if key[1:] == cell}
        assert all(cells[(m, *other)] == cells[(m, *cell)] for m in {key[0] for key in cells})

    assert month(3) == {"received": 1, "claimed": 900_000}
    assert month(4) == {"in_mediation_delta": 1, "overdue_delta": 1}  # overdue from 18 April
    assert month(5) == {"settled": 1, "agreed": 800_000, "written_off": 100, "paid_on_settled": 700_000,
                        "recovered": 300_000, "workers_month": 1, "workers_quarter": 1, "workers_year": 1,
                        "in_mediation_delta": -1, "overdue_delta": -1}
    # worker 1 again in June: counted in the month, not again in the quarter or the year
    assert month(6) == {"recovered": 200_000, "workers_month": 1}
    # July opens a quarter: worker 1 counts for it, and worker 2 for the quarter and the year
    assert month(7) == {"recovered": 200_000, "workers_month": 2, "workers_quarter": 2, "workers_year": 1}
    assert month(8) == {"closed": 1}
    assert histogram == {(dt.date(2026, 5, 1), dimension, member, "220102", "court", 37): 1
                         for dimension, member in (("region", 0), ("lawyer", 0), ("venue", 7))}


def test_a_case_that_left_before_its_due_date_was_never_overdue():
    facts = CaseFacts(region_code="220102", lawyer_id=3, venue_id=None, channel="hr", received_on=dt.date(2026, 1, 5),
                      started_on=dt.date(2026, 1, 6), due_on=dt.date(2026, 1, 21), settled_on=None,
                      ended_on=dt.date(2026, 1, 22), state="withdrawn", worker_count=1, written_off=0,
                      claimed=1, agreed=0, payments=())
    cells, _ = contribution(facts)
    january = cells[(dt.date(2026, 1, 1), "lawyer", 3, "220102", "hr")]
    # due on the 21st, so overdue on the 22nd only if still in mediation that day: it was not
    assert january["overdue_delta"] == 0 and january["in_mediation_delta"] == 0
    assert january["withdrawn"] == 1 and january["received"] == 1


@pytest.mark.real_commits  # `flask stats verify` and `rebuild` use connections of their own
def test_verify_names_a_cell_changed_behind_the_apps_back_and_rebuild_mends_it(app, venue_and_user):
    from mediation.cli import stats_rebuild, stats_verify

    venue, lawyer = venue_and_user
    _insert([{"region": "220102", "channel": "court", "received": 10, "outcome": "closed", "started_after": 1,
              "took": 5, "workers": 2, "claims": [("wages", 500_000, 100)], "payments": [(3, 100)],
              "venue": True, "written_off": False}], venue, lawyer, origin=dt.date(2026, 1, 1))
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(stats_verify).exit_code == 0
    db.session.execute(db.update(StatsMonth).where(StatsMonth.recovered > 0, StatsMonth.dimension == "venue")
                       .values(recovered=1))
    db.session.commit()
    result = runner.invoke(stats_verify)
    assert result.exit_code == 1 and "recovered" in result.output and "1 summary cells differ" in result.output
    rebuilt = runner.invoke(stats_rebuild)
    assert rebuilt.exit_code == 0 and "summary cells written" in rebuilt.output
    assert runner.invoke(stats_verify).exit_code == 0


def test_the_services_writes_reach_the_summary(app):
    """The hooks see the services' writes, not only the tests' own: a case taken in, referred,
    mediated, settled, its agreement signed and paid in full, then closed."""
    from tests.factories import make_case, pay_in_full

    def total(column) -> int:  # noqa: ANN001
        """Summed over the region dimension (each case is also counted by lawyer and by venue)."""
        return db.session.scalar(db.select(db.func.coalesce(db.func.sum(column), 0))
                                 .where(StatsMonth.dimension == "region"))

    case = make_case("effective", workers=2)
    assert total(StatsMonth.received) == 1 and total(StatsMonth.settled) == 1
    assert total(StatsMonth.agreed) == sum(item.agreed_fen for item in case.claims) > 0
    assert total(StatsMonth.recovered) == 0
    pay_in_full(case)
    commit()
    assert total(StatsMonth.recovered) == total(StatsMonth.agreed) == total(StatsMonth.paid_on_settled)
    assert total(StatsMonth.workers_month) == 2 and total(StatsMonth.closed) == (case.state == "closed")
    assert _no_drift() == []
