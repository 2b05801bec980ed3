"""What a case and the statistics read as in JSON: plain dicts the response schemas write out.

Money stays in fen here (the schemas write yuan strings). Personal data is always masked, as
on the case page: the full numbers come only from POST /cases/{number}/personal-data, which
records the viewing (mediation/api/disclosure.py).
"""

from __future__ import annotations

from typing import Any

import workflows
from mediation import policy
from mediation.common.identity import mask_id_number, mask_phone
from mediation.common.timeutil import as_utc, today
from mediation.models import Case, Region, User
from mediation.settlements.signing import current_agreement
from mediation.stats.figures import AMOUNT_FIGURES, COUNT_FIGURES, Figures
from mediation.stats.report import StatsReport


def region(value: Region) -> dict[str, str]:
    return {"code": value.code, "name_zh": value.name_zh, "name_en": value.name_en}


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.full_name}


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "number": case.number, "state": case.state, "channel": case.channel, "referral_ref": case.referral_ref,
        "region": region(case.region), "employer_name": case.employer.name, "worker_count": case.worker_count,
        "collective": case.is_collective, "received_on": case.received_on,
        "mediation_due_on": case.mediation_due_on, "overdue": case.is_overdue(today()),
        "claimed": case.claimed_fen, "agreed": case.agreed_fen, "paid": case.paid_fen, "version": case.version,
    }


def _workers(case: Case) -> list[dict[str, Any]]:
    rows = []
    for worker in case.workers:
        agreed, paid = case.agreed_for(worker), case.paid_to(worker)
        rows.append({
            "id": worker.id, "name": worker.name,
            "id_number": mask_id_number(worker.id_number), "phone": mask_phone(worker.phone) or None,
            "claimed": sum(item.claimed_fen for item in case.claims_of(worker)),
            "agreed": agreed, "paid": paid, "outstanding": max(agreed - paid, 0),
        })
    return rows


def _schedule(case: Case) -> dict[str, Any]:
    day = today()
    return {
        "mediation_started_on": case.mediation_started_on, "mediation_due_on": case.mediation_due_on,
        "due_is_approximate": bool(case.due_is_approximate), "extended": bool(case.extended),
        "sessions": [{"id": s.id, "held_on": s.held_on, "status": s.status, "starts_at": s.starts_at,
                      "ends_at": s.ends_at, "outcome": s.outcome, "attendees": s.attendees, "notes": s.notes}
                     for s in case.sessions],
        "installments": [{"id": i.id, "worker_id": i.worker_id, "seq": i.seq, "due_on": i.due_on,
                          "amount": i.amount_fen, "paid": i.paid_fen, "status": i.status(day)}
                         for i in case.installments],
    }


def personal_data(record: Any, workers: list) -> dict[str, Any]:
    """The answer of a recorded "show": the record, and the workers' numbers in full."""
    return {"access": {"id": record.id, "at": as_utc(record.at), "purpose": record.purpose, "note": record.note},
            "workers": [{"id": w.id, "name": w.name, "id_number": w.id_number, "phone": w.phone or None}
                        for w in workers]}


def payment(value: Any) -> dict[str, Any]:
    return {"id": value.id, "worker_id": value.worker_id, "amount": value.amount_fen, "paid_on": value.paid_on,
            "method": value.method, "receipt_no": value.receipt_no,
            "enforcement_path_id": value.enforcement_path_id, "recorded_at": value.created_at,
            "voided_at": value.voided_at, "void_reason": value.void_reason or None}


def case_detail(case: Case, user: User) -> dict[str, Any]:
    agreement = current_agreement(case) if case.settled_on else None
    employer = case.employer
    return {
        **case_summary(case),
        "language": case.language, "summary": case.summary, "referred_on": case.referred_on,
        "settled_on": case.settled_on, "agreement_effective_on": case.agreement_effective_on,
        "ended_on": case.ended_on, "outcome_reason": case.outcome_reason,
        "employer": {"name": employer.name, "uscc": employer.uscc,
                     "legal_representative": employer.legal_representative, "address": employer.address},
        "workers": _workers(case),
        "claims": [{"id": c.id, "worker_id": c.worker_id, "kind": c.kind, "claimed": c.claimed_fen,
                    "agreed": c.agreed_fen} for c in case.claims],
        "totals": {"claimed": case.claimed_fen, "agreed": case.agreed_fen, "paid": case.paid_fen,
                   "outstanding": case.outstanding_fen, "written_off": case.written_off_fen},
        "assignment": {"mediator": _person(case.mediator), "lawyer": _person(case.lawyer),
                       "venue": None if case.venue is None else {"id": case.venue.id, "name": case.venue.name}},
        "schedule": _schedule(case),
        "payments": [payment(p) for p in case.payment_records],  # the voided ones too, marked
        "enforcement_paths": [{"id": p.id, "kind": p.kind, "applied_on": p.applied_on, "deadline_on": p.deadline_on,
                               "court": p.court, "court_case_no": p.court_case_no, "outcome": p.outcome,
                               "outcome_on": p.outcome_on} for p in case.enforcement_paths],
        "agreement": None if agreement is None else {
            "version": agreement.version, "sha256": agreement.sha256,
            "verification_code": agreement.verification_code, "created_at": agreement.created_at,
            "effective_on": case.agreement_effective_on,
            "judicial_confirmation_until": None if case.agreement_effective_on is None else
            workflows.judicial_confirmation_deadline(case.agreement_effective_on).due_on},
        "history": [{"at": e.at, "actor": _person(e.actor), "action": e.action, "from_state": e.from_state,
                     "to_state": e.to_state, "note": e.note} for e in case.events],
        "available_actions": policy.available_actions(user, case),
    }


def figures(value: Figures) -> dict[str, Any]:
    counts = {f"cases_{name}": value.counts[name] for name in COUNT_FIGURES}
    amounts = {name: value.amounts[name] for name in AMOUNT_FIGURES}
    return {**counts, **amounts, "workers_paid": value.workers_paid, "success_rate": value.success_rate,
            "median_days": value.median_days, "p90_days": value.p90_days}


def recovery(report: StatsReport) -> dict[str, Any]:
    filters = report.filters
    return {
        "region_code": report.region.code, "region": region(report.region),
        "start": filters.period.start, "end": filters.period.end,
        "channel": filters.channel or None, "kind": filters.kind or None, "venue": filters.venue_id,
        "total": figures(report.total),
        "rows": [{"region_code": row.region.code, "region": region(row.region), "own_level": row.own_level,
                  **figures(row.figures)} for row in report.rows],
    }
