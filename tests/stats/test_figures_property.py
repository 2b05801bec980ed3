"""Random case histories, written straight into the tables, against a plain recomputation in
Python of every figure from the definitions' words: the database's aggregates, rolled up the
region tree, must agree with it for every region row and the total, whatever the filters.

Also: the children add up to the parent, recovered never exceeds agreed over all time, and a
case moved to another region takes its figures with it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.extensions import db
from mediation.models import COLLECTIVE_THRESHOLD, Case, ClaimItem, Employer, Payment, Region, User, Venue, Worker
from mediation.stats import period as periods
from mediation.stats import summary
from mediation.stats.figures import AMOUNT_FIGURES, COUNT_FIGURES, StatsFilters
from mediation.stats.report import build

DAY = dt.timedelta(days=1)
ORIGIN = dt.date(2025, 1, 1)
# Counties of two prefectures of Jilin, and a case filed at a prefecture itself.
REGIONS = ("220102", "220104", "220112", "220100", "222401", "222403", "220202")
KINDS = ("wages", "overtime", "social_insurance")
_serial = itertools.count(1)

history = st.fixed_dictionaries({
    "region": st.sampled_from(REGIONS),
    "channel": st.sampled_from(("court", "hr", "walk_in")),
    "received": st.integers(0, 700),
    "outcome": st.sampled_from(("intake", "mediating", "settled", "closed", "failed", "withdrawn")),
    "started_after": st.integers(0, 20),
    "took": st.integers(0, 60),
    "workers": st.sampled_from((1, 1, 2, 3, COLLECTIVE_THRESHOLD)),
    "claims": st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 5_000_000), st.integers(0, 100)),
                       min_size=1, max_size=3),
    "payments": st.lists(st.tuples(st.integers(0, 400), st.integers(1, 100)), max_size=3),
    "venue": st.booleans(),
    "written_off": st.booleans(),
})
filters_strategy = st.fixed_dictionaries({
    "period": st.sampled_from(("2025", "2026", "2025-Q2", "2026-03", "2025-01-15..2025-12-31",
                               "2025-01-01..2027-12-31")),
    "channel": st.sampled_from(("", "court", "hr")),
    "kind": st.sampled_from(("", "wages", "social_insurance")),
    "region": st.sampled_from(("220000", "220100", "222400")),
})


def _insert(histories: list[dict], venue: Venue, user: User, origin: dt.date = ORIGIN) -> list[dict]:
    """Write the histories as cases, received from `origin` on; return each as plain facts for the
    recomputation."""
    facts = []
    for h in histories:
        n = next(_serial)
        received = origin + h["received"] * DAY
        started = received + h["started_after"] * DAY if h["outcome"] != "intake" else None
        ended_day = started + h["took"] * DAY if started else None
        settled_on = ended_day if h["outcome"] in ("settled", "closed") else None
        employer = Employer(name=f"单位{n}", uscc=f"9122{n:014d}")
        case = Case(number=f"P-{n}", channel=h["channel"], referral_ref=f"R{n}", region_code=h["region"],
                    employer_master=employer, employer_name=employer.name, employer_uscc=employer.uscc,
                    state=h["outcome"], worker_count=h["workers"], received_on=received,
                    mediation_started_on=started, mediation_due_on=started + 15 * DAY if started else None,
                    settled_on=settled_on, venue_id=venue.id if h["venue"] else None,
                    ended_on=ended_day if h["outcome"] in ("closed", "failed", "withdrawn") else None)
        workers = [Worker(name=f"工人{n}-{i}", id_number=f"{n:012d}{i:06d}") for i in range(h["workers"])]
        case.workers = workers
        db.session.add(case)
        db.session.flush()
        claims = []
        for index, (kind, claimed, percent) in enumerate(h["claims"]):
            agreed = claimed * percent // 100 if settled_on else None
            claims.append(ClaimItem(case_id=case.id, worker_id=workers[index % len(workers)].id, kind=kind,
                                    claimed_fen=claimed, agreed_fen=agreed))
        db.session.add_all(claims)
        agreed_total = sum(c.agreed_fen or 0 for c in claims)
        payments, left = [], agreed_total
        for after, percent in h["payments"] if settled_on else []:
            amount = min(left, max(agreed_total * percent // 100, 1))
            if amount <= 0:
                break
            left -= amount
            payments.append(Payment(case_id=case.id, worker_id=workers[len(payments) % len(workers)].id,
                                    amount_fen=amount, paid_on=settled_on + after * DAY, method="cash",
                                    recorded_by_id=user.id))
        db.session.add_all(payments)
        if h["written_off"] and h["outcome"] == "closed":
            case.written_off_fen = left
        facts.append({"id": case.id, "case": h, "region": h["region"], "received": received, "started": started,
                      "settled": settled_on, "ended": case.ended_on, "state": h["outcome"],
                      "due": case.mediation_due_on,
                      "workers": h["workers"], "channel": h["channel"], "venue": case.venue_id,
                      "written_off": case.written_off_fen or 0, "kinds": {c.kind for c in claims},
                      "claimed": sum(c.claimed_fen for c in claims), "agreed": agreed_total,
                      "payments": [(p.paid_on, p.worker_id, p.amount_fen) for p in payments]})
    db.session.flush()
    summary.keep(db.session.connection(), [f["id"] for f in facts])  # as the commit point does
    return facts


def _expected(facts: list[dict], f: StatsFilters, codes: set[str]) -> dict:
    """Every figure, recomputed from the glossary's words, over the cases in `codes`."""
    start, end, as_of = f.period.start, f.period.end, f.as_of

    def inside(day) -> bool:  # noqa: ANN001
        return day is not None and start <= day <= end

    def mediating_on(c, day) -> bool:  # noqa: ANN001
        return (c["started"] is not None and c["started"] <= day and (c["settled"] is None or c["settled"] > day)
                and (c["ended"] is None or c["ended"] > day))

    counts, amounts, workers_paid, days = Counter(), Counter(), 0, []
    for c in facts:
        if c["region"] not in codes or (f.channel and c["channel"] != f.channel):
            continue
        if f.kind and f.kind not in c["kinds"]:
            continue
        received, settled = inside(c["received"]), inside(c["settled"])
        counts["received"] += received
        counts["settled"] += settled
        for state in ("failed", "withdrawn", "closed"):
            counts[state] += c["state"] == state and inside(c["ended"])
        counts["in_mediation"] += mediating_on(c, as_of)
        counts["overdue"] += mediating_on(c, as_of) and c["due"] < as_of
        counts["collective"] += received and c["workers"] >= COLLECTIVE_THRESHOLD
        amounts["claimed"] += c["claimed"] if received else 0
        if settled:
            amounts["agreed"] += c["agreed"]
            amounts["outstanding"] += c["agreed"] - sum(p[2] for p in c["payments"]) - c["written_off"]
            days.append((c["settled"] - c["received"]).days)
        in_period = [p for p in c["payments"] if inside(p[0])]
        amounts["recovered"] += sum(p[2] for p in in_period)
        workers_paid += len({p[1] for p in in_period})
    days.sort()
    rank = lambda q: days[math.ceil(q * len(days)) - 1] if days else None  # noqa: E731
    return {"counts": counts, "amounts": amounts, "workers_paid": workers_paid,
            "median_days": rank(0.5), "p90_days": rank(0.9)}


def _observed(figures) -> dict:  # noqa: ANN001
    return {"counts": Counter({k: figures.counts[k] for k in COUNT_FIGURES}),
            "amounts": Counter({k: figures.amounts[k] for k in AMOUNT_FIGURES}),
            "workers_paid": figures.workers_paid, "median_days": figures.median_days, "p90_days": figures.p90_days}


def _clean(expected: dict) -> dict:
    return {**expected, "counts": Counter({k: expected["counts"][k] for k in COUNT_FIGURES}),
            "amounts": Counter({k: expected["amounts"][k] for k in AMOUNT_FIGURES})}


def _subtree(code: str) -> set[str]:
    region = db.session.get(Region, code)
    return {r.code for r in db.session.scalars(db.select(Region).where(Region.path.startswith(region.path)))}


@pytest.fixture
def venue_and_user(app):
    from tests.factories import make_user, make_venue

    return make_venue("220100"), make_user("supervisor", "220000")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(histories=st.lists(history, min_size=0, max_size=12), chosen=filters_strategy)
def test_every_figure_matches_a_plain_recomputation(app, venue_and_user, histories, chosen):
    venue, user = venue_and_user
    try:
        facts = _insert(histories, venue, user)
        region = db.session.get(Region, chosen["region"])
        filters = StatsFilters(period=periods.parse(chosen["period"]), region=region.code,
                               channel=chosen["channel"], kind=chosen["kind"])
        report = build(filters, region)
        assert _observed(report.total) == _clean(_expected(facts, filters, _subtree(region.code)))
        summed = Counter()
        for row in report.rows:
            codes = {row.region.code} if row.own_level else _subtree(row.region.code)
            assert _observed(row.figures) == _clean(_expected(facts, filters, codes)), row.region.code
            summed.update(row.figures.counts)
            summed.update(row.figures.amounts)
        # the children (and the cases filed at the region itself) add up to the parent
        assert summed == Counter({**report.total.counts, **report.total.amounts})
        months = report.months
        assert sum(months.values()) == report.total.amounts["recovered"]
    finally:
        db.session.rollback()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(history, min_size=1, max_size=10))
def test_recovered_never_exceeds_agreed_over_all_time(app, venue_and_user, histories):
    venue, user = venue_and_user
    try:
        _insert(histories, venue, user)
        province = db.session.get(Region, "220000")
        everything = StatsFilters(period=periods.custom(ORIGIN, ORIGIN + 3000 * DAY), region="220000")
        report = build(everything, province)
        for row in [*report.rows, None]:
            figures = row.figures if row else report.total
            assert figures.amounts["recovered"] <= figures.amounts["agreed"]
            assert figures.amounts["outstanding"] >= 0
    finally:
        db.session.rollback()


def test_a_case_moved_to_another_region_takes_its_figures(app, venue_and_user):
    venue, user = venue_and_user
    [fact] = _insert([{"region": "220102", "channel": "court", "received": 400, "outcome": "closed",
                       "started_after": 1, "took": 5, "workers": 2, "claims": [("wages", 500_000, 100)],
                       "payments": [(3, 100)], "venue": True, "written_off": False}], venue, user)
    province = db.session.get(Region, "220000")
    filters = StatsFilters(period=periods.year(2026), region="220000")

    def by_prefecture() -> dict:
        return {row.region.code: (row.figures.counts["received"], row.figures.amounts["recovered"])
                for row in build(filters, province).rows if row.figures.counts["received"]}

    assert by_prefecture() == {"220100": (1, 500_000)}
    db.session.get(Case, fact["id"]).region_code = "222401"
    db.session.flush()
    summary.keep(db.session.connection(), [fact["id"]])  # as the commit point does
    assert by_prefecture() == {"222400": (1, 500_000)}
    db.session.rollback()


def test_percentiles_are_nearest_rank():
    from mediation.stats.figures import nearest_rank

    assert nearest_rank(Counter(), 0.5) is None
    assert nearest_rank(Counter({5: 1}), 0.9) == 5
    assert nearest_rank(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2  # rank ceil(0.5 * 4) = 2
    assert nearest_rank(Counter({1: 9, 30: 1}), 0.9) == 1 and nearest_rank(Counter({1: 8, 30: 2}), 0.9) == 30

