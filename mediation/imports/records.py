"""The ledger against the database: regions in the importer's scope, venues by name, and the
workers, employers and cases already on record, each looked up with a few IN queries.

Workers are one row per resident ID number and employers one per credit code across the whole
database (as intake matches them); a case is its (channel, referral reference), the key the
case table is unique on, so importing a file twice finds every case of it the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from mediation import policy
from mediation.extensions import db
from mediation.imports.validate import Findings, LedgerCase
from mediation.models import Case, Employer, Region, User, Venue, Worker

LOOKUP_BATCH = 500  # values per IN list on SQLite: well inside its limit on parameters
ARRAY_BATCH = 5_000  # values per array on PostgreSQL


def batches(values: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class Records:
    regions: dict[str, Region] = field(default_factory=dict)
    venues: dict[tuple[str, str], int] = field(default_factory=dict)  # (name, case region) -> venue id
    employers: dict[str, tuple[int, bool]] = field(default_factory=dict)  # uscc -> (id, checksum overridden)
    workers: dict[str, tuple[int, str]] = field(default_factory=dict)  # id number -> (id, name)
    cases: dict[tuple[str, str], str] = field(default_factory=dict)  # (channel, referral ref) -> case number


def matching(column, values: Iterable[str]):  # noqa: ANN001, ANN201
    """Conditions `column IN (batch)` over the distinct values, batch by batch. On PostgreSQL a
    batch is one array parameter (= ANY): an IN list of hundreds of parameters takes it four
    times longer to plan than to run."""
    distinct = sorted({v for v in values if v})
    if db.session.get_bind().dialect.name == "postgresql":
        for batch in batches(distinct, ARRAY_BATCH):
            yield column == any_(bindparam(None, list(batch), type_=ARRAY(String())))
    else:
        for batch in batches(distinct, LOOKUP_BATCH):
            yield column.in_(batch)


def look_up(cases: Iterable[LedgerCase]) -> Records:
    cases = list(cases)
    rows = [row for case in cases for row in case.rows]
    records = Records()
    for condition in matching(Region.code, (r.region_code for r in rows)):
        records.regions.update((r.code, r) for r in db.session.scalars(select(Region).where(condition)))
    for condition in matching(Employer.uscc, (r.employer_uscc for r in rows)):
        records.employers.update((uscc, (id_, overridden)) for id_, uscc, overridden in db.session.execute(
            select(Employer.id, Employer.uscc, Employer.uscc_checksum_overridden).where(condition)))
    for condition in matching(Worker.id_number, (r.worker_id_number for r in rows)):
        records.workers.update((number, (id_, name)) for id_, number, name in db.session.execute(
            select(Worker.id, Worker.id_number, Worker.name).where(condition)))
    for condition in matching(Case.referral_ref, (c.ref for c in cases)):
        records.cases.update(((channel, ref), number) for channel, ref, number in db.session.execute(
            select(Case.channel, Case.referral_ref, Case.number).where(condition)))
    return records


def _venues_by_name(names: set[str], actor: User) -> dict[str, list[Venue]]:
    found: dict[str, list[Venue]] = {}
    for condition in matching(Venue.name, names):
        for venue in db.session.scalars(select(Venue).where(condition, Venue.active.is_(True))):
            if policy.can_see_region(actor, venue.region):
                found.setdefault(venue.name, []).append(venue)
    return found


def check_against_records(cases: Iterable[LedgerCase], records: Records, actor: User, found: Findings) -> None:
    """Regions and venues the importer may use, and parties that match what is on record."""
    cases = list(cases)
    venues = _venues_by_name({r.venue for c in cases for r in c.rows if r.venue}, actor)
    for case in cases:
        for row in case.rows:
            region = records.regions.get(row.region_code)
            if row.region_code and region is None:
                found.add(row.number, "region_code", _l("Unknown region."))
            elif region is not None and not policy.can_see_region(actor, region):
                found.add(row.number, "region_code", _l("You may only import cases of your own region."))
            if row.venue and region is not None:
                _check_venue(row.number, row.venue, region, venues, records, found)
            employer = records.employers.get(row.employer_uscc)
            if row.uscc_checksum_failed and not (employer and employer[1]):
                found.add(row.number, "employer_uscc", _l(
                    "The check character of this unified social credit code is wrong. If the code is "
                    "exactly as printed on the business licence, a supervisor can accept it on the "
                    "Employers page."))
            worker = records.workers.get(row.worker_id_number)
            if worker is not None and row.worker_name and worker[1] != row.worker_name:
                found.add(row.number, "worker_name", _l(
                    "This ID number is on record under another name (%(name)s); check both.", name=worker[1]))


def _check_venue(number: int, name: str, region: Region, venues: dict[str, list[Venue]], records: Records,
                 found: Findings) -> None:
    """A venue by its name; venues of one name are told apart by the case's region: the venue of
    the case's own region, else of the nearest region above it."""
    key = (name, region.code)
    if key in records.venues:
        return
    candidates = venues.get(name, [])
    if len(candidates) > 1:
        above = [v for v in candidates if region.path.startswith(v.region.path)]
        deepest = max((len(v.region.path) for v in above), default=0)
        candidates = [v for v in above if len(v.region.path) == deepest]
    if len(candidates) == 1:
        records.venues[key] = candidates[0].id
    elif not candidates:
        found.add(number, "venue", _l("Unknown venue."))
    else:
        found.add(number, "venue", _l("Several venues have this name: the region does not tell them apart."))
