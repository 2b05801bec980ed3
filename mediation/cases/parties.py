"""The cross-case index of parties: the same ID number or credit code on other cases.

An intake (the page, the API) and an import ask it before they take a case in, for warnings
the user confirms rather than errors: a person or employer on record under another name, and a
likely duplicate (the same worker and employer with a case still open). Each warning names the
other case, and what it recorded, only when that case is in the user's scope; of a case outside
it, the user learns that the number is on record under another name and nothing more: never the
name, the phone, the case or its region (issue 15 §1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

import workflows
from mediation import policy
from mediation.extensions import db
from mediation.models import Case, User, Worker

LOOKUP_BATCH = 500  # values per IN list on SQLite: well inside its limit on parameters
ARRAY_BATCH = 5_000  # values per array on PostgreSQL
SHOWN = 3  # other cases named per field at most: enough to check, short enough to read


def batches(values: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


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


@dataclass(frozen=True)
class Seen:
    """What one other case (or group of them) recorded under a number."""

    name: str
    number: str  # the latest such case
    visible: bool  # in the user's scope: may be named
    employer_uscc: str = ""
    open: bool = False


@dataclass
class Index:
    """What the database holds under the numbers asked about, cases excluded by `exclude`."""

    people: dict[str, list[Seen]]  # ID number -> the workers of that number on other cases
    employers: dict[str, list[Seen]]  # credit code -> the names other cases recorded for it


def _latest(rows: Select, exclude: int | None, *keys: str) -> Select:
    """One row per group of `keys` and scope, with its latest case number (grouped outside, so
    that PostgreSQL need not match the scope's expression in the GROUP BY)."""
    if exclude is not None:
        rows = rows.where(Case.id != exclude)
    inner = rows.subquery()
    groups = [inner.c[key] for key in (*keys, "visible")]
    return select(*groups, func.max(inner.c.number).label("number")).group_by(*groups)


def look_up(actor: User, id_numbers: Iterable[str], usccs: Iterable[str], *, exclude: int | None = None) -> Index:
    """A few grouped queries, whatever the number of values (an import asks for thousands)."""
    visible = policy.in_scope(actor)
    is_open = Case.state.in_(sorted(workflows.OPEN_STATES))
    people: dict[str, list[Seen]] = defaultdict(list)
    for condition in matching(Worker.id_number, id_numbers):
        rows = (select(Worker.id_number, Worker.name, Case.employer_uscc, is_open.label("open"),
                       visible.label("visible"), Case.number)
                .join(Case, Case.id == Worker.case_id).where(condition))
        for row in db.session.execute(_latest(rows, exclude, "id_number", "name", "employer_uscc", "open")):
            people[row.id_number].append(Seen(name=row.name, number=row.number, visible=bool(row.visible),
                                              employer_uscc=row.employer_uscc, open=bool(row.open)))
    employers: dict[str, list[Seen]] = defaultdict(list)
    for condition in matching(Case.employer_uscc, usccs):
        rows = select(Case.employer_uscc, Case.employer_name.label("name"), visible.label("visible"),
                      Case.number).where(condition)
        for row in db.session.execute(_latest(rows, exclude, "employer_uscc", "name")):
            employers[row.employer_uscc].append(Seen(name=row.name, number=row.number, visible=bool(row.visible)))
    return Index(people=dict(people), employers=dict(employers))


def _told(seen: list[Seen], named, unnamed) -> list:  # noqa: ANN001
    """The cases in scope by number and what they recorded; the others as one unnamed warning."""
    inside = sorted((s for s in seen if s.visible), key=lambda s: s.number, reverse=True)
    if inside:
        return [named(s) for s in inside[:SHOWN]]
    return [unnamed] if seen else []


def person_warnings(index: Index, id_number: str, name: str) -> list:
    """The other names of this ID number (lazy strings)."""
    others = [s for s in index.people.get(id_number, []) if s.name != name]
    seen = {(s.name, s.number, s.visible): s for s in others}  # one per case, not per employer
    return _told(list(seen.values()), lambda s: _l(
        "This ID number is on record on case %(number)s under another name (%(name)s): check it.",
        number=s.number, name=s.name),
        _l("This ID number is already on record under a different name: check it."))


def duplicate_warnings(index: Index, id_number: str, uscc: str) -> list:
    """Open cases of the same worker and employer: likely the same dispute taken in twice."""
    same = [s for s in index.people.get(id_number, []) if s.open and s.employer_uscc == uscc]
    return _told(same, lambda s: _l(
        "Case %(number)s, still open, has the same worker and employer: this may be the same dispute "
        "taken in twice.", number=s.number),
        _l("An open case elsewhere has a worker with this ID number and the same employer: this may be the "
           "same dispute taken in twice; check it."))


def employer_warnings(index: Index, uscc: str, name: str) -> list:
    others = [s for s in index.employers.get(uscc, []) if s.name != name]
    return _told(others, lambda s: _l(
        "This credit code is on record on case %(number)s under another employer name (%(name)s): check it.",
        number=s.number, name=s.name),
        _l("This credit code is already on record under a different employer name: check it."))
