"""Judicial confirmation of the agreement, and enforcement after a default: apply for the
confirmation, start enforcement, take a court path, record the outcome, and close a case whose
enforcement has run its course (writing off what was not recovered).

The paths and their rules:
- judicial confirmation (司法确认): the parties apply jointly within 30 days of the agreement taking
  effect (Civil Procedure Law art. 205, 2023 text), whether or not anything is overdue; it moves
  no state (workflows: `apply_confirmation`) and, once granted, is an enforceable title;
- payment order (支付令): only for wages, work-injury medical costs, compensation or damages
  (Labor Dispute Mediation and Arbitration Law, art. 16), after a default;
- court enforcement (强制执行): needs an enforceable title, a granted judicial confirmation or
  payment order, and is applied for within two years of the missed due date (Civil Procedure Law).
The payment order and court enforcement wait for a default: they start enforcement (`enforce`).
The windows are counted with the working-day rules of the mediation period (workflows.deadlines).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

import workflows
from mediation import policy
from mediation.case_core.checks import (
    field_error,
    fire_trigger,
    optional_note,
    precheck,
    required_note,
    text_problem,
    valid_date,
)
from mediation.case_core.events import record_event
from mediation.case_core.locking import check_version, flush_or_conflict
from mediation.common.errors import NotFound, NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today, utcnow
from mediation.enforcement.pdf import jc_application_pdf
from mediation.extensions import db
from mediation.models import ENFORCEMENT_OUTCOMES, Case, CaseDocument, EnforcementPath, User
from mediation.settlements.selectors import documents_of
from mediation.settlements.services import store_document

PAYMENT_ORDER_CLAIMS = frozenset({"wages", "overtime", "severance", "work_injury"})


def path_deadline(case: Case, kind: str) -> workflows.Deadline | None:
    """The last day to apply for `kind` on this case, or None when no statutory window applies."""
    if kind == "judicial_confirmation" and case.agreement_effective_on:
        return workflows.judicial_confirmation_deadline(case.agreement_effective_on)
    if kind == "court_enforcement":
        missed = [i.due_on for i in case.installments if i.status(today()) == "overdue"]
        if missed:  # counted from the latest missed date: at least that installment is still in time
            return workflows.enforcement_application_deadline(max(missed))
    return None


def _path_errors(case: Case, kind: str, applied_on: dt.date, court: str, court_case_no: str) -> dict:
    errors: dict[str, list[str]] = {}
    paths = case.enforcement_paths
    if kind == "judicial_confirmation":
        pass  # one at a time, in its 30 days: the workflow's guards on apply_confirmation, checked before
    elif kind == "payment_order":
        if not any(i.kind in PAYMENT_ORDER_CLAIMS and (i.agreed_fen or 0) > 0 for i in case.claims):
            errors["kind"] = [str(_l("A payment order covers only wages, work-injury medical costs, compensation "
                                     "or damages, and this agreement has none."))]
    elif kind == "court_enforcement":
        if not any(p.kind in ("judicial_confirmation", "payment_order") and p.outcome == "granted" for p in paths):
            errors["kind"] = [str(_l("Court enforcement needs an enforceable title: a granted judicial "
                                     "confirmation or payment order."))]
        if not (court_case_no or "").strip():
            errors["court_case_no"] = [str(_l("Enter the court's enforcement case number."))]
    else:
        errors["kind"] = [str(_l("Choose the enforcement path."))]
    for name, value, max_len in (("court", court, 200), ("court_case_no", court_case_no, 64)):
        if name not in errors and (problem := text_problem(value, max_len)):
            errors[name] = [str(problem)]
    # A confirmation's window is checked before (judicial_confirmation_apply): it is open today or refused.
    deadline = path_deadline(case, kind) if kind == "court_enforcement" else None
    if deadline and applied_on > deadline.due_on and "kind" not in errors:
        errors["applied_on"] = [str(_l("Enforcement must be applied for within two years of the missed due date, "
                                       "by %(date)s.", date=deadline.due_on.isoformat()))]
    return errors


def _new_path(case: Case, actor: User, *, kind: str, applied_on: dt.date | None, court: str,
              court_case_no: str) -> EnforcementPath:
    """A checked, not yet added path: every check runs before anything about the case changes."""
    applied_on = valid_date(applied_on, case, "applied_on", not_before=case.agreement_effective_on)
    errors = _path_errors(case, kind, applied_on, court, court_case_no)
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    deadline = path_deadline(case, kind)
    return EnforcementPath(case_id=case.id, kind=kind, applied_on=applied_on,
                           deadline_on=deadline.due_on if deadline else None, court=(court or "").strip(),
                           court_case_no=(court_case_no or "").strip(), recorded_by_id=actor.id)


def _enforcement_path(case: Case, actor: User, *, kind: str, applied_on: dt.date | None, court: str,
                      court_case_no: str) -> EnforcementPath:
    """A checked payment order or court enforcement (judicial confirmation is not one)."""
    if kind == "judicial_confirmation":
        raise field_error("kind", _l("Judicial confirmation does not wait for a default: apply for it with "
                                     "“Apply for judicial confirmation”, within 30 days of the agreement "
                                     "taking effect."))
    return _new_path(case, actor, kind=kind, applied_on=applied_on, court=court, court_case_no=court_case_no)


def judicial_confirmation_apply(*, case: Case, actor: User, expected_version: int | None,
                                applied_on: dt.date | None, court: str = "") -> EnforcementPath:
    """The parties apply jointly to the court to confirm their agreement, from the day it takes
    effect to the last of its 30 days, whether or not an installment is overdue. The case keeps
    its state: it is paying (or already enforcing by a payment order); a granted confirmation is
    the enforceable title that court enforcement needs after a default."""
    check_version(case, expected_version)
    precheck(case, actor, "apply_confirmation")  # role and state first, then the window with its date
    deadline = path_deadline(case, "judicial_confirmation")
    if deadline is not None and not case.judicial_confirmation_open:
        raise Refused(_l("A judicial confirmation must be applied for within 30 days of the agreement taking "
                         "effect, by %(date)s.", date=deadline.due_on.isoformat()))
    precheck(case, actor, "apply_confirmation", guards=True)
    path = _new_path(case, actor, kind="judicial_confirmation", applied_on=applied_on, court=court,
                     court_case_no="")
    with flush_or_conflict():
        db.session.add(path)
        case.updated_at = utcnow()
        db.session.flush()
        fire_trigger(case, actor, "apply_confirmation",
                     detail={"path_id": path.id, "kind": path.kind, "applied_on": path.applied_on.isoformat()})
    db.session.expire(case, ["enforcement_paths"])
    return path


def enforcement_start(*, case: Case, actor: User, expected_version: int | None, kind: str,
                      applied_on: dt.date | None, court: str = "", court_case_no: str = "") -> EnforcementPath:
    """An installment is overdue: move the case to enforcement by a payment order or court enforcement."""
    check_version(case, expected_version)
    precheck(case, actor, "enforce", guards=True)
    path = _enforcement_path(case, actor, kind=kind, applied_on=applied_on, court=court,
                             court_case_no=court_case_no)
    with flush_or_conflict():
        db.session.add(path)
        fire_trigger(case, actor, "enforce", detail={"kind": kind})
    db.session.expire(case, ["enforcement_paths"])
    return path


def enforcement_path_add(*, case: Case, actor: User, expected_version: int | None, kind: str,
                         applied_on: dt.date | None, court: str = "", court_case_no: str = "") -> EnforcementPath:
    """Another path on an enforcing case (court enforcement after a granted payment order, say)."""
    check_version(case, expected_version)
    _check_enforcing(actor, case)
    path = _enforcement_path(case, actor, kind=kind, applied_on=applied_on, court=court,
                             court_case_no=court_case_no)
    with flush_or_conflict():
        db.session.add(path)
        case.updated_at = utcnow()
        db.session.flush()
        record_event(case=case, actor=actor, action="enforcement_path", from_state=case.state, to_state=case.state,
                     detail={"path_id": path.id, "kind": kind})
    db.session.expire(case, ["enforcement_paths"])
    return path


def enforcement_outcome(*, case: Case, actor: User, expected_version: int | None, path_id: int | None,
                        outcome: str, outcome_on: dt.date | None, note: str = "") -> EnforcementPath:
    """What the court decided on a pending path (a judicial confirmation's too, while the case is paying)."""
    check_version(case, expected_version)
    _check_court_paths(actor, case)
    path = next((p for p in case.enforcement_paths if p.id == path_id), None)
    errors: dict[str, list[str]] = {}
    if path is None:
        errors["path_id"] = [str(_l("Choose an enforcement path of this case."))]
    elif path.outcome != "pending":
        errors["path_id"] = [str(_l("The outcome of this path is already recorded."))]
    if outcome not in ENFORCEMENT_OUTCOMES or outcome == "pending":
        errors["outcome"] = [str(_l("Choose the outcome."))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    outcome_on = valid_date(outcome_on, case, "outcome_on", not_before=path.applied_on)
    note = optional_note(note)
    with flush_or_conflict():
        path.outcome, path.outcome_on, path.outcome_note = outcome, outcome_on, note
        case.updated_at = utcnow()
        record_event(case=case, actor=actor, action="enforcement_outcome", from_state=case.state,
                     to_state=case.state, note=note[:200],
                     detail={"path_id": path.id, "kind": path.kind, "outcome": outcome})
    return path


def case_write_off(*, case: Case, actor: User, expected_version: int | None, reason: str,
                   closed_on: dt.date | None = None) -> int:
    """Close a case whose enforcement has concluded; what is still owed is written off. Returns it."""
    check_version(case, expected_version)
    precheck(case, actor, "write_off")
    reason = required_note(reason)
    closed_on = valid_date(closed_on, case, "closed_on", not_before=case.agreement_effective_on)
    written_off = case.outstanding_fen
    with flush_or_conflict():
        fire_trigger(case, actor, "write_off", note=reason,
                     detail={"recovered_fen": case.paid_fen, "written_off_fen": written_off})
        case.written_off_fen = written_off
        case.outcome_reason = reason
        case.ended_on = closed_on
    return written_off


def _check_enforcing(actor: User, case: Case) -> None:
    if not policy.can_work_enforcement(actor, case):
        if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
            raise NotPermitted(_l("Your role may not take this action."))
        raise Refused(_l("This is possible only while the case is in enforcement."))


def _check_court_paths(actor: User, case: Case) -> None:
    """Its court paths are worked while the agreement is paid or enforced (a confirmation needs no default)."""
    if not policy.can_work_court_paths(actor, case):
        if policy.acting_role(actor, case) not in policy.CASE_WORKER_ROLES:
            raise NotPermitted(_l("Your role may not take this action."))
        raise Refused(_l("This is possible only while the agreement is being paid or enforced."))


def jc_application_generate(*, case: Case, actor: User, path_id: int | None, verify_url: str) -> CaseDocument:
    """The application PDF for a judicial-confirmation path of this case, as a stored document."""
    _check_court_paths(actor, case)
    path = next((p for p in case.enforcement_paths if p.id == path_id and p.kind == "judicial_confirmation"), None)
    if path is None:
        raise NotFound(_l("This case has no such judicial confirmation path."))
    agreement = next((d for d in documents_of(case) if d.kind == "agreement" and not d.superseded), None)
    return store_document(case=case, kind="jc_application", actor=actor, verify_url=verify_url,
                          build=lambda stamp: jc_application_pdf(case, path, agreement, stamp))
