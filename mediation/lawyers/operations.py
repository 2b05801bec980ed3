"""The lawyers' operations on a case: booking a session, cancelling or moving one, and a lawyer
declining the case (see mediation/case_core/operations.py for what an entry holds)."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.operations import Operation, register
from mediation.common.timeutil import today
from mediation.lawyers import forms, schemas, services, sessions
from mediation.lawyers.proposal import next_working_day
from mediation.models import Case, User
from mediation.web.forms import ReasonForm, optional_id


def _fill_schedule(form: forms.ScheduleForm, case: Case) -> None:
    form.on_date.data = next_working_day(today())
    form.starts_at.data, form.ends_at.data = dt.time(9, 0), dt.time(11, 0)


def _with_sessions(form, case: Case):  # noqa: ANN001, ANN202
    """The case's booked sessions to choose from; the one whose link was followed, chosen."""
    form.session_id.choices = [("", "—")] + [
        (str(s.id), f"{s.held_on.isoformat()} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}"
                    + (f" · {s.lawyer.full_name}" if s.lawyer else ""))
        for s in case.sessions if s.status == "scheduled"]
    return form


def _picked(form, case: Case) -> None:  # noqa: ANN001
    form.session_id.data = request.args.get("session_id", "")[:12]


def _fill_reschedule(form: forms.RescheduleSessionForm, case: Case) -> None:
    """Start from the chosen session's own time (or the next working day)."""
    _picked(form, case)
    chosen = next((s for s in case.sessions if str(s.id) == form.session_id.data), None)
    form.on_date.data = chosen.held_on if chosen else next_working_day(today())
    form.starts_at.data = chosen.starts_at if chosen else dt.time(9, 0)
    form.ends_at.data = chosen.ends_at if chosen else dt.time(11, 0)


def _moved(form: forms.RescheduleSessionForm, case: Case) -> dict:
    return {"session_id": optional_id(form.session_id.data), "on_date": form.on_date.data,
            "starts_at": form.starts_at.data, "ends_at": form.ends_at.data, "reason": form.reason.data or "",
            "override_reason": form.override_reason.data or ""}


def _session_form(form_class: type, case: Case, user: User):  # noqa: ANN202
    return _with_sessions(form_class(), case)


register(
    Operation(
        "decline", _l("Decline the case"), _l("You have declined the case."), style="outline-danger",
        confirm_style="danger", allowed=policy.can_decline, roles=policy.DECLINING_ROLES,
        perform=lambda c, u, v, f: services.lawyer_decline(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: ReasonForm(), read_form=lambda f, c: {"reason": f.reason.data or ""}),
    Operation(
        "schedule", _l("Schedule a session"), _l("The session has been booked."), allowed=policy.can_schedule_session,
        perform=lambda c, u, v, f: services.session_schedule(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: forms.ScheduleForm(), fill_form=_fill_schedule,
        read_form=lambda f, c: {"on_date": f.on_date.data, "starts_at": f.starts_at.data, "ends_at": f.ends_at.data,
                                "override_reason": f.override_reason.data or ""}),
    Operation(
        "reschedule_session", _l("Move a session"), _l("The session has been moved."),
        allowed=policy.can_reschedule_session,
        perform=lambda c, u, v, f: sessions.session_reschedule(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: _session_form(forms.RescheduleSessionForm, c, u), fill_form=_fill_reschedule,
        read_form=_moved, api_schema=schemas.RescheduleSessionSchema,
        api_summary="Move a booked session to another time (the checks of a new booking; the old time is kept)",
        read_body=lambda b, c: {name: b[name] for name in (
            "session_id", "on_date", "starts_at", "ends_at", "reason", "override_reason")}),
    Operation(
        "cancel_session", _l("Cancel a session"), _l("The session has been cancelled."), style="outline-danger",
        confirm_style="danger", allowed=policy.can_cancel_session,
        perform=lambda c, u, v, f: sessions.session_cancel(case=c, actor=u, expected_version=v, **f),
        build_form=lambda c, u: _session_form(forms.CancelSessionForm, c, u), fill_form=_picked,
        read_form=lambda f, c: {"session_id": optional_id(f.session_id.data), "reason": f.reason.data or ""},
        api_schema=schemas.CancelSessionSchema, api_summary="Cancel a booked session (the lawyer's slot is freed)",
        read_body=lambda b, c: {"session_id": b["session_id"], "reason": b["reason"]}),
)
