"""The record of who saw personal data cannot be edited away: the database refuses to change or
remove a row (mediation/audit/guard.py, as for the case events), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from mediation.disclosure.services import personal_data_show
from mediation.extensions import db
from mediation.models import PersonalDataAccess
from tests.factories import make_case

REFUSED = "personal_data_access is append-only"


@pytest.fixture
def record(app) -> PersonalDataAccess:
    case = make_case("mediating")
    made, _workers = personal_data_show(actor=case.mediator, case=case, purpose="contact", note="", channel="web",
                                        remote_addr="10.0.0.8")
    db.session.commit()
    return made


def test_a_record_cannot_be_changed(record):
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(update(PersonalDataAccess).where(PersonalDataAccess.id == record.id).values(user_id=None))
    db.session.rollback()
    record.purpose = "other"
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(PersonalDataAccess, record.id).purpose == "contact"


def test_a_record_cannot_be_removed(record, app):
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(delete(PersonalDataAccess))
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(IntegrityError, match=REFUSED):
            db.session.execute(text("TRUNCATE personal_data_access CASCADE"))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 1
