"""Who and what a case's history entries name: the lawyer an assignment chose, the worker a
payment went to, read from each event's detail (which stores ids, not names)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Case, CaseEvent, User


@dataclass(frozen=True)
class EventSubject:
    lawyer: str | None = None  # the lawyer an assignment chose
    worker: str | None = None  # the worker a payment (or a voided one) went to
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


def event_subjects(case: Case) -> dict[int, EventSubject]:
    """{event id: what it names}, for the events that name someone (one query for the lawyers)."""
    lawyers = {event.id: _lawyer_chosen(event) for event in case.events}
    ids = {lawyer_id for lawyer_id in lawyers.values() if lawyer_id}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    workers = {worker.id: worker.name for worker in case.workers}
    subjects = {}
    for event in case.events:
        detail = event.detail or {}
        if lawyers[event.id] in names:
            subjects[event.id] = EventSubject(lawyer=names[lawyers[event.id]])
        elif event.action in ("payment", "void_payment") and detail.get("worker_id") in workers:
            subjects[event.id] = EventSubject(worker=workers[detail["worker_id"]], amount_fen=detail.get("amount_fen"))
    return subjects
