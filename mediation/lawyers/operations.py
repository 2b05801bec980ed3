"""The lawyers' operations on a case: booking a session, and a lawyer declining the case (see
mediation/case_core/operations.py for what an entry holds)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.operations import Operation, register
from mediation.common.timeutil import today
from mediation.lawyers import forms, services
from mediation.lawyers.proposal import next_working_day
from mediation.models import Case
from mediation.web.forms import ReasonForm


def _fill_schedule(form: forms.ScheduleForm, case: Case) -> None:
    form.on_date.data = next_working_day(today())
    form.starts_at.data, form.ends_at.data = dt.time(9, 0), dt.time(11, 0)


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
)
