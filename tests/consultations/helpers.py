"""Consultations for tests: a valid input, and one logged through the service."""

from __future__ import annotations

import dataclasses

from mediation.common.timeutil import today
from mediation.consultations.services import ConsultationInput, consultation_record
from mediation.extensions import db
from mediation.models import Consultation, User


def consultation_input(**changes) -> ConsultationInput:
    data = ConsultationInput(channel="hotline", held_on=today(), duration_minutes=15, topic="wages",
                             question="老板拖欠三个月工资怎么办？", answer="可申请劳动争议调解，并保留考勤和工资条。",
                             worker_name="张三", worker_phone="13912345678", employer_name="长春某建筑有限公司")
    return dataclasses.replace(data, **changes)


def make_consultation(actor: User, **changes) -> Consultation:
    consultation = consultation_record(actor=actor, data=consultation_input(**changes))
    db.session.commit()
    return consultation
