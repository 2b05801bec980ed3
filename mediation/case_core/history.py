"""Who and what a case's history entries name: the lawyer an assignment chose, the worker a
payment went to, read from each event's detail (which stores ids, not names)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Case, CaseEvent, User, Worker


@dataclass(frozen=True)
class EventSubject:
    lawyer: str | None = None  # the lawyer an assignment chose
    worker: str | None = None  # the worker a payment went to
    amount_fen: int | None = None  # the payment's amount


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
        elif event.action == "payment" and detail.get("worker_id") in workers:
            subjects[event.id] = EventSubject(worker=workers[detail["worker_id"]], amount_fen=detail.get("amount_fen"))
    return subjects
