"""The ledger against the database: regions in the importer's scope, venues by name, the
employers' master records, the people and employers other cases recorded, and the cases already
on record, each looked up with a few IN queries.

An employer is one master record per credit code across the whole database (as intake matches
it); the workers of a new case are rows of its own, so a person on record elsewhere is only
looked up for the warnings of the cross-case index (mediation/cases/parties.py): another name
on record, or an open case of the same worker and employer. They keep the row, and name another
case only inside the importer's scope. A case is its (channel, referral reference), the key the
case table is unique on, so importing a file twice finds every case of it the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation import policy
from mediation.cases import parties
from mediation.cases.parties import batches, matching  # noqa: F401 (the writer batches with them too)
from mediation.extensions import db
from mediation.imports.validate import Findings, LedgerCase, Problem
from mediation.models import Case, Employer, Region, User, Venue


@dataclass
class Records:
    regions: dict[str, Region] = field(default_factory=dict)
    venues: dict[tuple[str, str], int] = field(default_factory=dict)  # (name, case region) -> venue id
    employers: dict[str, tuple[int, bool]] = field(default_factory=dict)  # uscc -> (id, checksum overridden)
    index: parties.Index = field(default_factory=lambda: parties.Index(people={}, employers={}))
    cases: dict[tuple[str, str], str] = field(default_factory=dict)  # (channel, referral ref) -> case number


def look_up(cases: Iterable[LedgerCase], actor: User) -> Records:
    cases = list(cases)
    rows = [row for case in cases for row in case.rows]
    records = Records()
    for condition in matching(Region.code, (r.region_code for r in rows)):
        records.regions.update((r.code, r) for r in db.session.scalars(select(Region).where(condition)))
    for condition in matching(Employer.uscc, (r.employer_uscc for r in rows)):
        records.employers.update((uscc, (id_, overridden)) for id_, uscc, overridden in db.session.execute(
            select(Employer.id, Employer.uscc, Employer.uscc_checksum_overridden).where(condition)))
    records.index = parties.look_up(actor, (r.worker_id_number for r in rows), (r.employer_uscc for r in rows))
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
        if (case.first.channel, case.ref) not in records.cases:  # on record: left as it is, nothing to warn of
            _warn_of_other_records(case, records.index, found)


def _warn_of_other_records(case: LedgerCase, index: parties.Index, found: Findings) -> None:
    """The cross-case index's warnings: once per worker of the case (on their first row) and
    once for its employer. Warnings keep the row: the importer checks them afterwards."""
    first = case.first
    if first.employer_uscc and first.employer_name:
        found.warnings.extend(Problem(first.number, "employer_name", message) for message in
                              parties.employer_warnings(index, first.employer_uscc, first.employer_name))
    warned: set[str] = set()
    for row in case.rows:
        if not row.worker_id_number or row.worker_id_number in warned:
            continue
        warned.add(row.worker_id_number)
        if row.worker_name:
            found.warnings.extend(Problem(row.number, "worker_name", message) for message in
                                  parties.person_warnings(index, row.worker_id_number, row.worker_name))
        if first.employer_uscc:
            found.warnings.extend(Problem(row.number, "worker_id_number", message) for message in
                                  parties.duplicate_warnings(index, row.worker_id_number, first.employer_uscc))


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
