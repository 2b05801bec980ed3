"""The recovery figures, computed by the database in a few aggregate queries per page.

Each query groups by the keys of the page's tables at once (the case's region code, its lawyer,
its venue: GROUPING SETS on PostgreSQL, a UNION ALL over the combinations elsewhere), or by a
month, and returns one row per value of each key; nothing loads cases into Python. The region
tree is rolled up in Python afterwards from those few rows (rollup.py), so a parent is the sum
of its children by construction. Percentiles come from a histogram of whole days (key, days,
count), which merges exactly across regions.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from mediation.extensions import db
from mediation.models import Case, ClaimItem, Payment, Region
from mediation.stats.figures import (
    COUNT_FIGURES,
    Figures,
    StatsFilters,
    case_conditions,
    counted_payment,
    narrowing,
    paid_in,
)


class days_between(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """Whole days from the second date to the first."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):  # noqa: ANN001, ANN202
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):  # noqa: ANN001, ANN202
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})"
            " AS INTEGER)")


class month_of(FunctionElement):  # noqa: N801
    """A date's month as the text "YYYY-MM"."""

    inherit_cache = True


@compiles(month_of)
def _month_of_default(element, compiler, **kw):  # noqa: ANN001, ANN202
    return f"to_char({compiler.process(list(element.clauses)[0], **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):  # noqa: ANN001, ANN202
    return f"strftime('%Y-%m', {compiler.process(list(element.clauses)[0], **kw)})"


def _total(expression):  # noqa: ANN001, ANN202
    """SUM as a whole number on every database (PostgreSQL's SUM of bigint is numeric), 0 for none."""
    return cast(func.coalesce(func.sum(expression), 0), BigInteger)


def _flag(condition: ColumnElement[bool]):  # noqa: ANN202
    return _total(case((condition, 1), else_=0))


def _in_scope(query, filters: StatsFilters, region: Region):  # noqa: ANN001, ANN202
    """`query` (whose FROM has Case) narrowed to the cases of `region`'s subtree that the filters keep.

    The subtree is a join on the region rather than IN (SELECT code ...): SQLite then reads a large
    subtree's cases in storage order instead of region by region through the index (three times
    faster for a province), and still starts from the index for a county. The same rows either way.
    """
    in_subtree = and_(Region.code == Case.region_code, Region.path.startswith(region.path, autoescape=True))
    return query.join(Region, in_subtree).where(*narrowing(filters))


def _per_key(inner, count: int, sums: tuple[str, ...], extra: tuple[str, ...] = ()):  # noqa: ANN001, ANN202
    """(statement, which) summing `inner` for each of its key columns k0, k1 ... separately.

    `inner` is grouped by all the keys (and `extra`) together, which the database does in one pass
    (in parallel on PostgreSQL); each row of the statement holds the sums for one value of one key,
    the other keys NULL, and which(row) tells which key. One key: `inner` itself.
    """
    if count == 1:
        return inner, lambda _row: 0
    if db.session.get_bind().dialect.name == "postgresql":
        grouped = inner.subquery()
        keys = [grouped.c[f"k{i}"] for i in range(count)]
        others = [grouped.c[name] for name in extra]
        statement = (select(func.grouping(*keys).label("grouping"), *keys, *others,
                            *(_total(grouped.c[name]).label(name) for name in sums))
                     .group_by(func.grouping_sets(*(tuple_(key, *others) for key in keys))))
        # GROUPING(k0, k1, ...) sets the bit of each key a row is not grouped by, k0's the highest.
        index = {(2 ** count - 1) ^ (1 << (count - 1 - i)): i for i in range(count)}
        return statement, lambda row: index[row.grouping]
    grouped = inner.cte("per_key_combinations")  # used three times: SQLite (3.35+) computes it once
    others = [grouped.c[name] for name in extra]
    statement = union_all(*(
        select(literal_column(str(i)).label("which"),
               *(grouped.c[f"k{j}"] if j == i else null().label(f"k{j}") for j in range(count)), *others,
               *(_total(grouped.c[name]).label(name) for name in sums))
        .group_by(grouped.c[f"k{i}"], *others)
        for i in range(count)))
    return statement, lambda row: row.which


def grouped_figures_by(filters: StatsFilters, region: Region, keys: list[ColumnElement]) -> list[dict]:
    """[{key value: Figures}] for each of `keys` (columns of Case), from the same five statements.

    The page's three tables (regions, lawyers, venues) cost hardly more together than one: each
    statement groups by the three keys at once, then sums per key (grouping sets on PostgreSQL).
    """
    conditions = case_conditions(filters)
    period = filters.period
    received, settled = conditions["received"], conditions["settled"]
    labelled = [key.label(f"k{i}") for i, key in enumerate(keys)]
    results: list[dict] = [{} for _ in keys]
    count = len(keys)

    def rows_of(inner, sums: tuple[str, ...], extra: tuple[str, ...] = ()):  # noqa: ANN001, ANN202
        statement, which_of = _per_key(inner, count, sums, extra)
        for result in db.session.execute(statement):
            which = which_of(result)
            value = result._mapping[f"k{which}"]
            figures = results[which].get(value)
            if figures is None:
                figures = results[which][value] = Figures()
            yield figures, result

    # 1. The case counts, and the write-offs of the cases settled in the period.
    relevant = or_(*(conditions[name] for name in COUNT_FIGURES))
    counted = _in_scope(select(*labelled, *(_flag(conditions[name]).label(name) for name in COUNT_FIGURES),
                               _total(case((settled, Case.written_off_fen), else_=0)).label("written_off")),
                        filters, region).where(Case.received_on <= period.end, relevant).group_by(*keys)
    for figures, result in rows_of(counted, (*COUNT_FIGURES, "written_off")):
        figures.counts.update({name: getattr(result, name) for name in COUNT_FIGURES})
        figures.amounts["written_off"] += result.written_off

    # 2. Claimed (cases received) and agreed (cases settled), from the claim items.
    amounts = _in_scope(select(*labelled, _total(case((received, ClaimItem.claimed_fen), else_=0)).label("claimed"),
                               _total(case((settled, ClaimItem.agreed_fen), else_=0)).label("agreed"))
                        .select_from(ClaimItem).join(Case, Case.id == ClaimItem.case_id),
                        filters, region).where(or_(received, settled)).group_by(*keys)
    for figures, result in rows_of(amounts, ("claimed", "agreed")):
        figures.amounts.update({"claimed": result.claimed, "agreed": result.agreed})

    # 3. Recovered: payments made in the period, and the workers (per case) they reached. The
    # payments are summed per case and worker before meeting their case: fewer rows to join.
    per_worker = (select(Payment.case_id, Payment.worker_id, _total(Payment.amount_fen).label("fen"))
                  .where(paid_in(period)).group_by(Payment.case_id, Payment.worker_id).subquery())
    recovered = _in_scope(select(*labelled, _total(per_worker.c.fen).label("recovered"),
                                 func.count().label("workers"))
                          .select_from(per_worker).join(Case, Case.id == per_worker.c.case_id),
                          filters, region).group_by(*keys)
    for figures, result in rows_of(recovered, ("recovered", "workers")):
        figures.amounts["recovered"] += result.recovered
        figures.workers_paid += result.workers

    # 4. Paid so far on the agreements reached in the period, whenever it was paid: outstanding.
    paid_on_settled = _in_scope(select(*labelled, _total(Payment.amount_fen).label("paid"))
                                .select_from(Payment).join(Case, Case.id == Payment.case_id),
                                filters, region).where(settled, counted_payment()).group_by(*keys)
    for figures, result in rows_of(paid_on_settled, ("paid",)):
        figures.amounts["paid_on_settled"] += result.paid

    # 5. Days from acceptance to settlement, as a histogram.
    days = days_between(Case.settled_on, Case.received_on)
    histogram = _in_scope(select(*labelled, days.label("days"), func.count().label("cases")),
                          filters, region).where(settled).group_by(*keys, days)
    for figures, result in rows_of(histogram, ("cases",), ("days",)):
        figures.days[result.days] += result.cases

    for rows in results:
        for figures in rows.values():
            amounts = figures.amounts
            amounts["outstanding"] = (amounts["agreed"] - amounts.pop("paid_on_settled", 0)
                                      - amounts.pop("written_off", 0))
    return results


def grouped_figures(filters: StatsFilters, region: Region, key: ColumnElement) -> dict:
    """{key value: Figures} for the cases of `region`'s subtree that the filters keep.

    `key` is a column of Case (region_code, lawyer_id, venue_id); rows with no figure are absent.
    """
    return grouped_figures_by(filters, region, [key])[0]


def monthly_recovered(filters: StatsFilters, region: Region) -> dict[str, int]:
    """{"YYYY-MM": fen paid} for every month of the period (months without payments are 0)."""
    month = month_of(Payment.paid_on)
    query = (_in_scope(select(month, _total(Payment.amount_fen)).select_from(Payment)
                       .join(Case, Case.id == Payment.case_id), filters, region)
             .where(paid_in(filters.period)).group_by(month))
    totals = dict.fromkeys(filters.period.months(), 0)
    totals.update({m: fen for m, fen in db.session.execute(query)})
    return totals


def region_figures(filters: StatsFilters, region: Region) -> dict[str, Figures]:
    """{region code: Figures} for the codes that have cases (leaves and inner regions alike)."""
    return grouped_figures(filters, region, Case.region_code)



def case_contributions(filters: StatsFilters, region: Region) -> dict[int, dict]:
    """{case id: {figure: value}} for every case that counts in some figure of the period: what a
    locked report keeps, so that a later recomputation can name the cases whose part changed."""
    conditions = case_conditions(filters)
    period = filters.period
    claims = (select(ClaimItem.case_id.label("case_id"), _total(ClaimItem.claimed_fen).label("claimed"),
                     _total(ClaimItem.agreed_fen).label("agreed"))
              .group_by(ClaimItem.case_id).subquery())
    paid_all = (select(Payment.case_id.label("case_id"), _total(Payment.amount_fen).label("fen"))
                .where(counted_payment()).group_by(Payment.case_id).subquery())
    paid_in_period = (select(Payment.case_id.label("case_id"), _total(Payment.amount_fen).label("fen"),
                             func.count(func.distinct(Payment.worker_id)).label("workers"))
                      .where(paid_in(period)).group_by(Payment.case_id).subquery())
    columns = select(Case.id, Case.region_code, Case.written_off_fen, claims.c.claimed, claims.c.agreed,
                     func.coalesce(paid_all.c.fen, 0).label("paid_all"),
                     func.coalesce(paid_in_period.c.fen, 0).label("recovered"),
                     func.coalesce(paid_in_period.c.workers, 0).label("workers"),
                     *(case((conditions[name], 1), else_=0).label(name) for name in COUNT_FIGURES))
    joined = (columns.outerjoin(claims, claims.c.case_id == Case.id)
              .outerjoin(paid_all, paid_all.c.case_id == Case.id)
              .outerjoin(paid_in_period, paid_in_period.c.case_id == Case.id))
    query = _in_scope(joined, filters, region).where(
        or_(*(conditions[name] for name in COUNT_FIGURES), paid_in_period.c.case_id.isnot(None)))
    result = {}
    for row in db.session.execute(query):
        part = {name: getattr(row, name) for name in COUNT_FIGURES if getattr(row, name)}
        if part.get("received"):
            part["claimed"] = row.claimed or 0
        if part.get("settled"):
            part["agreed"] = row.agreed or 0
            part["outstanding"] = (row.agreed or 0) - row.paid_all - row.written_off_fen
        if row.recovered:
            part.update(recovered=row.recovered, workers_paid=row.workers)
        result[row.id] = {"region": row.region_code, **part}
    return result
