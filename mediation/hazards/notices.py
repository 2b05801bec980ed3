"""The supervision notice of a hazard: made, stored hashed with a verification code, and found by /verify."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from mediation.audit.log import audit_record
from mediation.common.errors import Conflict, ValidationFailed
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.hazards.pdf import notice_pdf
from mediation.hazards.services import check_hazard_version, flush_hazard, require_recorder
from mediation.models import Hazard, HazardNotice, User
from mediation.settlements.pdf import Stamp
from mediation.settlements.selectors import register_verifiable
from mediation.settlements.services import new_verification_code

# An employer is given days to weeks to answer; a deadline months away is a typing error.
MAX_REPLY_DAYS = 90


def notice_generate(*, hazard: Hazard, actor: User, expected_version: int | None, reply_by: object,
                    verify_url: str) -> HazardNotice:
    """The next version of the hazard's notice (older versions superseded), with its reply deadline."""
    require_recorder(actor)
    check_hazard_version(hazard, expected_version)
    if not hazard.is_open:
        raise Conflict(str(_l("This hazard is closed: no notice is sent for it.")))
    if not isinstance(reply_by, dt.date) or isinstance(reply_by, dt.datetime):
        raise ValidationFailed(str(_l("Please correct the marked fields.")),
                               field_errors={"reply_by": [str(_l("Enter a date as YYYY-MM-DD."))]})
    if not today() < reply_by <= today() + dt.timedelta(days=MAX_REPLY_DAYS):
        raise ValidationFailed(str(_l("Please correct the marked fields.")), field_errors={"reply_by": [str(_l(
            "The reply deadline is after today and at most %(n)d days away.", n=MAX_REPLY_DAYS))]})
    version = (db.session.scalar(select(func.max(HazardNotice.version)).where(
        HazardNotice.hazard_id == hazard.id)) or 0) + 1
    code = new_verification_code()
    stamp = Stamp(version=version, verification_code=code, verify_url=f"{verify_url}?code={code}",
                  issued_on=today())
    content = notice_pdf(hazard, stamp, reply_by)
    db.session.execute(update(HazardNotice).where(HazardNotice.hazard_id == hazard.id).values(superseded=True))
    notice = HazardNotice(hazard_id=hazard.id, version=version, reply_by=reply_by, verification_code=code,
                          sha256=hashlib.sha256(content).hexdigest(), content=content, created_by_id=actor.id,
                          superseded=False)
    db.session.add(notice)
    # Touching the hazard bumps its version: of two notices made at once, the second is a conflict.
    hazard.updated_at, hazard.updated_by_id = utcnow(), actor.id
    flush_hazard()
    audit_record(actor=actor, action="hazard.notice", region_code=hazard.region_code, target_kind="hazard",
                 target_id=hazard.id, detail={"version": version, "sha256": notice.sha256,
                                              "reply_by": reply_by.isoformat()})
    return notice


def notice_by_code(code: str) -> HazardNotice | None:
    return db.session.scalar(select(HazardNotice).where(HazardNotice.verification_code == code))


def notice_by_content(content: bytes) -> HazardNotice | None:
    digest = hashlib.sha256(content).hexdigest()
    for notice in db.session.scalars(select(HazardNotice).where(HazardNotice.sha256 == digest)):
        if notice.content == content:
            return notice
    return None


def notice_version(hazard: Hazard, version: int) -> HazardNotice | None:
    return db.session.scalar(select(HazardNotice).where(HazardNotice.hazard_id == hazard.id,
                                                        HazardNotice.version == version))


register_verifiable(notice_by_code, notice_by_content)
