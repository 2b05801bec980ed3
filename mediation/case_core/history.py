"""Who and what a case's history entries name: the lawyer an assignment chose, the worker a
payment went to, the details a correction changed, read from each event's detail (which stores
ids, not names). A corrected ID number or phone is shown masked, before and after: the full
numbers are only ever in the recorded "show" (mediation/disclosure)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediation.common.identity import mask_id_number, mask_phone
from mediation.extensions import db
from mediation.models import Case, CaseEvent, User, Worker

# The details a correction may change, as the history names them.
CORRECTED = {"name": _l("Name"), "id_number": _l("Resident ID number"), "phone": _l("Mobile"),
             "address": _l("Address"), "uscc": _l("Unified social credit code"),
             "legal_representative": _l("Legal representative")}
MASKS = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class EventSubject:
    lawyer: str | None = None  # the lawyer an assignment chose
    worker: str | None = None  # the worker a payment (or a voided one) went to, or whose details were corrected
    amount_fen: int | None = None  # the payment's amount
    party: str | None = None  # "worker" or "employer": a correction's party
    changes: tuple[tuple[str, str, str], ...] = ()  # a correction: (detail, before, after), masked


def _shown(name: str, value: str | None) -> str:
    return MASKS.get(name, str)(value) if value else "—"


def _correction(detail: dict, workers: dict[int, str]) -> EventSubject:
    before, after = detail.get("before") or {}, detail.get("after") or {}
    changes = tuple((str(CORRECTED.get(name, name)), _shown(name, before.get(name)), _shown(name, value))
                    for name, value in after.items())
    if detail.get("party") == "employer":
        return EventSubject(party="employer", changes=changes)
    return EventSubject(party="worker", worker=workers.get(detail.get("worker_id")), changes=changes)


def _lawyer_chosen(event: CaseEvent) -> int | None:
    detail = event.detail or {}
    if event.action in ("assign_lawyer", "reassign_lawyer"):
        return detail.get("to")
    if event.action == "assign":
        before, after = detail.get("before") or {}, detail.get("after") or {}
        if after.get("lawyer_id") != before.get("lawyer_id"):
            return after.get("lawyer_id")
    return None


def _workers_named(case: Case) -> dict[int, str]:
    """{worker id: name} of the case's own workers, by their ids now and by those older events
    wrote: before each case had its own rows (migration 0015) a payment named a row shared with
    other cases, which this case's row of the same ID number now stands for."""
    workers = {worker.id: worker.name for worker in case.workers}
    named = {(event.detail or {}).get("worker_id") for event in case.events if event.action == "payment"}
    older = {worker_id for worker_id in named if isinstance(worker_id, int) and worker_id not in workers}
    if older:
        by_number = {worker.id_number: worker.name for worker in case.workers}
        for worker_id, id_number in db.session.execute(
                select(Worker.id, Worker.id_number).where(Worker.id.in_(older))):
            if id_number in by_number:
                workers[worker_id] = by_number[id_number]
    return workers


def event_subjects(case: Case) -> dict[int, EventSubject]:
    """{event id: what it names}, for the events that name someone (one query for the lawyers)."""
    lawyers = {event.id: _lawyer_chosen(event) for event in case.events}
    ids = {lawyer_id for lawyer_id in lawyers.values() if lawyer_id}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    workers = _workers_named(case)
    subjects = {}
    for event in case.events:
        detail = event.detail or {}
        if lawyers[event.id] in names:
            subjects[event.id] = EventSubject(lawyer=names[lawyers[event.id]])
        elif event.action in ("payment", "void_payment") and detail.get("worker_id") in workers:
            subjects[event.id] = EventSubject(worker=workers[detail["worker_id"]], amount_fen=detail.get("amount_fen"))
        elif event.action == "correct_party":
            subjects[event.id] = _correction(detail, workers)
    return subjects
