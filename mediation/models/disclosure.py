"""The record of every time someone asked to see a case's full ID numbers and phones."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit import guard
from mediation.common.codes import Code
from mediation.common.timeutil import utcnow
from mediation.extensions import db
from mediation.models.case import Case
from mediation.models.user import User


# Why a user needs the full numbers; "other" asks for a note that says why.
class DisclosurePurpose(Code):
    """Why someone asked to see full ID numbers and phones."""

    CONTACT = "contact", _l("To contact the worker")
    IDENTITY = "identity", _l("To check a worker's identity")
    DOCUMENTS = "documents", _l("To prepare an agreement or court papers")
    ENFORCEMENT = "enforcement", _l("To apply for enforcement")
    OTHER = "other", _l("Other (say why)")


DISCLOSURE_PURPOSES = DisclosurePurpose.values()


class DisclosureChannel(Code):
    """Where the numbers were shown."""

    WEB = "web", _l("Web page")
    API = "api", _l("JSON API")


DISCLOSURE_CHANNELS = DisclosureChannel.values()


class PersonalDataAccess(db.Model):
    """Who saw the full personal data of which case, when, why and from where.

    Written once per "show", before the numbers leave the server, and never changed: the database
    refuses to update or delete one (mediation/audit/guard.py). The workers are named by the case,
    not one by one: a "show" discloses all of them at once, as the page does.
    """

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(8))
    remote_addr: Mapped[str] = mapped_column(String(45), default="")  # an IPv6 address at most

    user: Mapped[User] = relationship()
    case: Mapped[Case] = relationship()

    def __repr__(self) -> str:
        return f"<PersonalDataAccess {self.id} case {self.case_id} by user {self.user_id}>"


guard.attach(PersonalDataAccess.__table__)  # the triggers, for a schema made by create_all() too
