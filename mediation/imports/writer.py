"""Writing the valid cases of a ledger: bulk Core inserts in the caller's transaction.

How a ledger's result becomes a case (the statistics read received_on, mediation_started_on,
settled_on, ended_on and the state; see mediation/stats/figures.py):

- settled (调解成功): settled_on = closed_on (结案日期: for a mediation body the case ends when
  the agreement is made; the money comes later, in 履行日期), and the agreement counts as in
  effect from that day. Mediation started on received_on, with its statutory due date. When
  the workers were paid everything agreed, the state is "closed" with ended_on = the day of
  the last payment, as the close action of the system would leave it; otherwise "settled",
  and further payments can be recorded in the system as for any effective agreement.
- failed (调解不成): state "failed", ended_on = closed_on; mediation started on received_on.
- withdrawn (撤回): state "withdrawn", ended_on = closed_on; no start of mediation is assumed
  (a claim is often withdrawn before any session).
- pending (在办): state "intake", no dates beyond received_on: the case is taken up in the
  system from there (refer, assign a lawyer, ...).

Each new case records its own workers and its employer as its rows say (mediation/models/party.py):
nothing another case recorded is read or changed. The employer's master record is linked by
its credit code as it is (a ledger is older than the record, so it does not rename it); a new
one takes the name of its most recent case in the file. Every claim item keeps its claimed and
(for settled cases) agreed amount; each row's paid amount becomes a payment (method "other",
recorded by the importer). One "import" event per case names the file and its rows. The cases
have no mediator or lawyer:
the ledger does not say who worked them. The events are Core inserts, so the new cases are named
as touched here, as record_event names a case: the commit point keeps their statistics.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, insert, select, update

import workflows
from mediation.audit import chain
from mediation.case_core.events import note_cases_touched
from mediation.case_core.numbering import reserve_case_numbers
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.imports.records import Records, batches, matching
from mediation.imports.validate import LedgerCase
from mediation.models import Case, CaseEvent, ClaimItem, Employer, Payment, User, Worker

INSERT_BATCH = 10_000  # rows per executemany


@dataclass
class Written:
    cases: int = 0
    employers_created: int = 0
    employers_matched: int = 0
    workers_created: int = 0
    workers_matched: int = 0
    claims: int = 0
    payments: int = 0


@cache
def _deadline(started_on: dt.date) -> workflows.Deadline:
    return workflows.mediation_deadline(started_on)


def case_dates(case: LedgerCase) -> dict:
    """The state and dates of the case its ledger rows describe (see the module docstring)."""
    first = case.first
    received_on, closed_on, outcome = first.received_on, first.closed_on, first.outcome
    values = {"state": "intake", "mediation_started_on": None, "mediation_due_on": None, "due_is_approximate": False,
              "settled_on": None, "agreement_effective_on": None, "ended_on": None}
    if outcome in ("settled", "failed"):
        deadline = _deadline(received_on)
        values.update(mediation_started_on=received_on, mediation_due_on=deadline.due_on,
                      due_is_approximate=deadline.approximate)
    if outcome == "settled":
        values.update(state="settled", settled_on=closed_on, agreement_effective_on=closed_on)
        agreed = sum(row.agreed_fen or 0 for row in case.rows)
        paid = sum(row.paid_fen or 0 for row in case.rows)
        if paid == agreed:
            values.update(state="closed", ended_on=max((r.paid_on for r in case.rows if r.paid_fen), default=closed_on))
    elif outcome in ("failed", "withdrawn"):
        values.update(state=outcome, ended_on=closed_on)
    return values


def _insert(table, rows: list[dict], key: str | None = None) -> dict:  # noqa: ANN001
    """Insert in batches of executemany; with `key` (a unique column), return {key: new id}.

    The ids are read back by key rather than with INSERT ... RETURNING: on PostgreSQL that
    turns the executemany into multi-row VALUES statements, eight times slower for case_file.
    """
    for batch in batches(rows, INSERT_BATCH):
        db.session.execute(insert(table), list(batch))
    if key is None:
        return {}
    column, ids = table.c[key], {}
    for condition in matching(column, [row[key] for row in rows]):
        ids.update((value, id_) for id_, value in db.session.execute(select(table.c.id, column).where(condition)))
    return ids


def _employers(cases: list[LedgerCase], records: Records, written: Written) -> dict[str, int]:
    ids = {uscc: id_ for uscc, (id_, _overridden) in records.employers.items()}
    names: dict[str, tuple[dt.date, str]] = {}
    for case in cases:  # a renamed employer: the newest case has the current name
        first = case.first
        if first.employer_uscc not in ids and names.get(first.employer_uscc, (dt.date.min,))[0] <= first.received_on:
            names[first.employer_uscc] = (first.received_on, first.employer_name)
    new = [{"uscc": uscc, "name": name, "uscc_checksum_overridden": False, "legal_representative": "",
            "address": ""} for uscc, (_day, name) in names.items()]
    ids.update(_insert(Employer.__table__, new, key="uscc"))
    written.employers_created = len(new)
    written.employers_matched = len({c.first.employer_uscc for c in cases}) - len(new)
    return ids


def _workers(cases: list[LedgerCase], case_ids: list[int], records: Records, written: Written) -> dict[tuple, int]:
    """Each case's own workers, one row per ID number of the case: {(case id, ID number): worker id}."""
    rows = []
    for case, case_id in zip(cases, case_ids, strict=True):
        mine: dict[str, dict] = {}
        for row in case.rows:  # check_case saw that a worker's rows agree on the name and phone
            known = mine.setdefault(row.worker_id_number, {"case_id": case_id, "name": row.worker_name,
                                                           "id_number": row.worker_id_number,
                                                           "phone": row.worker_phone, "address": ""})
            known["phone"] = known["phone"] or row.worker_phone
        rows.extend(mine.values())
    _insert(Worker.__table__, rows)
    wanted, ids = set(case_ids), {}
    statement = select(Worker.id, Worker.case_id, Worker.id_number).where(
        Worker.case_id.between(min(case_ids), max(case_ids)))  # the new cases' ids mostly run on
    for id_, case_id, number in db.session.execute(statement):
        if case_id in wanted:
            ids[(case_id, number)] = id_
    # every row is the new case's own; "matched": a person other cases recorded too
    written.workers_matched = sum(1 for row in rows if row["id_number"] in records.index.people)
    written.workers_created = len(rows) - written.workers_matched
    return ids


def _numbers(cases: list[LedgerCase]) -> list[str]:
    """Numbers in the order of `cases`; inside a region's year they follow the acceptance dates."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, case in enumerate(cases):
        groups[(case.first.region_code, case.first.received_on.year)].append(index)
    numbers = [""] * len(cases)
    for (region, year), indexes in sorted(groups.items()):
        indexes.sort(key=lambda i: cases[i].first.received_on)
        for index, number in zip(indexes, reserve_case_numbers(region_code=region, year=year, count=len(indexes)),
                                 strict=True):
            numbers[index] = number
    return numbers


def _set_heads(events: list[dict]) -> None:
    """Each new case's history is its one import event: make that the head of its chain.

    The event's hash covers the case's id, known only once the case row is in: hence an UPDATE
    after the inserts rather than the head in the INSERT. Its version stays 1: nobody has seen
    the case yet.
    """
    table = Case.__table__
    statement = (update(table).where(table.c.id == bindparam("event_case_id"))
                 .values(history_length=1, history_head_hash=bindparam("head")))
    heads = [{"event_case_id": event["case_id"], "head": event["hash"]} for event in events]
    for batch in batches(heads, INSERT_BATCH):
        db.session.execute(statement, list(batch))


def write_cases(cases: list[LedgerCase], records: Records, actor: User, filename: str) -> Written:
    """Insert the cases with their parties, claim items, payments and events; nothing is committed."""
    written = Written(cases=len(cases))
    if not cases:
        return written
    employers = _employers(cases, records, written)
    now = utcnow()
    case_rows = []
    for case, number in zip(cases, _numbers(cases), strict=True):
        first = case.first
        case_rows.append({
            "number": number, "channel": first.channel, "referral_ref": case.ref, "region_code": first.region_code,
            "venue_id": records.venues.get((case.venue, first.region_code)) if case.venue else None,
            "employer_id": employers[first.employer_uscc], "employer_name": first.employer_name,
            "employer_uscc": first.employer_uscc, "employer_legal_representative": "", "employer_address": "",
            "mediator_id": None, "lawyer_id": None,
            "language": "zh", "employer_agent_id": None, "summary": "",
            "worker_count": len({r.worker_id_number for r in case.rows}), "received_on": first.received_on,
            "referred_on": None, "extended": False, "written_off_fen": 0, "outcome_reason": "",
            "created_at": now, "updated_at": now, "version": 1, **case_dates(case)})
    by_number = _insert(Case.__table__, case_rows, key="number")
    case_ids = [by_number[values["number"]] for values in case_rows]
    workers = _workers(cases, case_ids, records, written)

    claims, payments, events = [], [], []
    for case, case_id, values in zip(cases, case_ids, case_rows, strict=True):
        settled = case.first.outcome == "settled"
        for row in case.rows:
            worker_id = workers[(case_id, row.worker_id_number)]
            claims.append({"case_id": case_id, "worker_id": worker_id, "kind": row.claim_kind,
                           "claimed_fen": row.claimed_fen, "agreed_fen": row.agreed_fen if settled else None})
            if settled and row.paid_fen:
                payments.append({"case_id": case_id, "worker_id": worker_id, "amount_fen": row.paid_fen,
                                 "paid_on": row.paid_on, "method": "other", "receipt_no": "",
                                 "enforcement_path_id": None, "recorded_by_id": actor.id, "created_at": now})
        events.append(chain.link({
            "case_id": case_id, "seq": 1, "at": now, "actor_id": actor.id, "action": "import", "from_state": None,
            "to_state": values["state"], "note": filename,
            "detail": {"file": filename, "rows": [r.number for r in case.rows], "outcome": case.first.outcome}},
            chain.GENESIS))
    _insert(ClaimItem.__table__, claims)
    _insert(Payment.__table__, payments)
    _insert(CaseEvent.__table__, events)
    _set_heads(events)
    written.claims, written.payments = len(claims), len(payments)
    note_cases_touched(case_ids)
    return written
