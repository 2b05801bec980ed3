"""Every privileged operation that is no case event writes exactly one audit entry, in its own
transaction, with the right action, actor, region, object and detail, and never a secret or a
personal number; a refused operation writes none."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from mediation.admin.services import employer_accept_code, user_create, user_update, venue_save
from mediation.audit.log import audit_record
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import as_utc, today
from mediation.extensions import db
from mediation.imports.services import import_ledger
from mediation.lawyers.services import (
    conflict_declare,
    lawyer_profile_save,
    roster_add,
    roster_exception_add,
    roster_remove,
)
from mediation.models import AuditEntry, Region
from mediation.stats import period as periods
from mediation.stats.locks import report_lock
from mediation.tokens.services import token_issue, token_revoke
from tests.conftest import TEST_PASSWORD
from tests.factories import credit_code, make_user, make_venue
from tests.imports.conftest import a_case, ledger, to_csv
from tests.lawyers.factories import licence, make_lawyer
from tests.web.conftest import bad_check_character

NEW_PASSWORD = "a-long-enough-passphrase-2026"


def _last_seq() -> int:
    return db.session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0


class Recorded:
    """The entries written since it was made: `with Recorded() as new: ...; new.one()`."""

    def __enter__(self) -> Recorded:
        self.after = _last_seq()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        pass

    def entries(self) -> list[AuditEntry]:
        db.session.flush()
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.seq > self.after)
                                       .order_by(AuditEntry.seq)))

    def one(self, action: str, *, actor, region: str, kind: str, target: int | None) -> dict:  # noqa: ANN001
        entries = self.entries()
        assert [e.action for e in entries] == [action]
        entry = entries[0]
        assert (entry.actor_id, entry.region_code, entry.target_kind, entry.target_id) == (
            actor.id if actor is not None else None, region, kind, target)
        assert entry.at.tzinfo is not None or db.engine.dialect.name == "sqlite"
        return entry.detail


def _secret_free(detail: dict, *secrets: str) -> None:
    text = json.dumps(detail, ensure_ascii=False)
    for secret in secrets:
        assert secret not in text


# --- users, venues, employer codes --------------------------------------------------------------

def test_user_create_records_who_made_whom(app):
    admin = make_user("admin", "220100")
    with Recorded() as new:
        user = user_create(actor=admin, username="new_mediator", full_name="新调解员", role="mediator",
                           region_code="220102", password=NEW_PASSWORD)
    detail = new.one("user.create", actor=admin, region="220102", kind="user", target=user.id)
    assert detail == {"username": "new_mediator", "full_name": "新调解员", "role": "mediator",
                      "region_code": "220102", "active": True}
    _secret_free(detail, NEW_PASSWORD, user.password_hash, user.session_token)


def test_a_user_made_from_the_command_line_has_no_actor(app):
    with Recorded() as new:
        user = make_user("supervisor", "220100")
    new.one("user.create", actor=None, region="220100", kind="user", target=user.id)


def test_user_update_records_the_changed_fields_and_a_password_reset(app):
    admin, user = make_user("admin", "220100"), make_user("mediator", "220102")
    with Recorded() as new:
        user_update(actor=admin, user=user, full_name=user.full_name, role="supervisor", region_code="220103",
                    active=False, password=NEW_PASSWORD)
    detail = new.one("user.update", actor=admin, region="220103", kind="user", target=user.id)
    assert detail == {"username": user.username, "password_reset": True, "changes": {
        "role": ["mediator", "supervisor"], "region_code": ["220102", "220103"], "active": [True, False]}}
    _secret_free(detail, NEW_PASSWORD, user.password_hash, user.session_token)


def test_a_save_that_changes_nothing_records_nothing(app):
    admin, user = make_user("admin", "220100"), make_user("mediator", "220102")
    venue = make_venue("220102")
    with Recorded() as new:
        user_update(actor=admin, user=user, full_name=user.full_name, role=user.role, region_code=user.region_code,
                    active=True)
        venue_save(actor=admin, venue=venue, name=venue.name, kind=venue.kind, region_code=venue.region_code,
                   address=venue.address, active=venue.active)
    assert new.entries() == []


def test_refused_user_operations_record_nothing(app):
    admin, outsider = make_user("admin", "220100"), make_user("mediator", "222401")
    mediator = make_user("mediator", "220100")
    with Recorded() as new:
        with pytest.raises(NotPermitted):
            user_update(actor=admin, user=outsider, full_name="改名", role="admin", region_code="222401", active=True)
        with pytest.raises(NotPermitted):
            user_create(actor=mediator, username="sneaky", full_name="", role="admin", region_code="220100",
                        password=NEW_PASSWORD)
        with pytest.raises(ValidationFailed):
            user_create(actor=admin, username=mediator.username, full_name="", role="mediator", region_code="220100",
                        password=NEW_PASSWORD)
        with pytest.raises(ValidationFailed):  # a weak password: checked before anything is written
            user_update(actor=admin, user=mediator, full_name="新名字", role="mediator", region_code="220100",
                        active=True, password="short")
    db.session.rollback()
    assert new.entries() == []


def test_venue_create_and_update(app):
    admin = make_user("admin", "220100")
    with Recorded() as new:
        venue = venue_save(actor=admin, venue=None, name="南关区法院调解室", kind="court_workroom",
                           region_code="220102")
    detail = new.one("venue.create", actor=admin, region="220102", kind="venue", target=venue.id)
    assert detail["changes"]["name"] == [None, "南关区法院调解室"] and detail["changes"]["active"] == [None, True]
    with Recorded() as new:
        venue_save(actor=admin, venue=venue, name="南关区法院调解室", kind="court_workroom", region_code="220102",
                   address="人民大街1号", active=False)
    detail = new.one("venue.update", actor=admin, region="220102", kind="venue", target=venue.id)
    assert detail == {"name": "南关区法院调解室", "changes": {"address": ["", "人民大街1号"], "active": [True, False]}}


def test_refused_venue_save_records_nothing(app):
    admin, venue = make_user("admin", "220100"), make_venue("222401")
    with Recorded() as new, pytest.raises(NotPermitted):
        venue_save(actor=admin, venue=venue, name="改名", kind="court_workroom", region_code="222401")
    db.session.rollback()
    assert new.entries() == []


def test_employer_code_acceptance(app):
    supervisor, mediator = make_user("supervisor", "220100"), make_user("mediator", "220100")
    code = bad_check_character(credit_code())
    with Recorded() as new:
        with pytest.raises(NotPermitted):
            employer_accept_code(actor=mediator, uscc=code, name="校验位不符有限公司")
        employer = employer_accept_code(actor=supervisor, uscc=code, name="校验位不符有限公司")
    detail = new.one("employer.accept_code", actor=supervisor, region="220100", kind="employer", target=employer.id)
    assert detail == {"uscc": code, "name": "校验位不符有限公司", "checksum_failed": True}


# --- tokens, locks, imports --------------------------------------------------------------------

def test_token_issue_and_revoke_record_the_name_and_prefix_never_the_token(app):
    admin, owner = make_user("admin", "220100"), make_user("mediator", "220102")
    with Recorded() as new:
        token, raw = token_issue(user=owner, actor=admin, name="法院平台")
    detail = new.one("token.issue", actor=admin, region="220102", kind="api_token", target=token.id)
    assert detail == {"user_id": owner.id, "username": owner.username, "name": "法院平台", "prefix": raw[:8],
                      "expires_at": as_utc(token.expires_at).isoformat()}
    _secret_free(detail, raw, token.token_hash)
    with Recorded() as new:
        token_revoke(token=token, actor=owner)
        with pytest.raises(Refused):  # already revoked
            token_revoke(token=token, actor=owner)
    new.one("token.revoke", actor=owner, region="220102", kind="api_token", target=token.id)


def test_a_refused_token_issue_records_nothing(app):
    owner, stranger = make_user("mediator", "222401"), make_user("admin", "220100")
    with Recorded() as new, pytest.raises(NotPermitted):
        token_issue(user=owner, actor=stranger, name="越权")
    db.session.rollback()
    assert new.entries() == []


def test_locking_figures(app):
    supervisor = make_user("supervisor", "220100")
    last_month = today().replace(day=1) - dt.timedelta(days=1)
    period = periods.month(last_month.year, last_month.month)
    region = db.session.get(Region, "220100")
    with Recorded() as new:
        report = report_lock(actor=supervisor, region=region, period=period)
        with pytest.raises(Refused):  # already locked
            report_lock(actor=supervisor, region=region, period=period)
    detail = new.one("stats.lock", actor=supervisor, region="220100", kind="locked_report", target=report.id)
    assert detail == {"period": period.key}


def test_a_ledger_import_is_one_entry_without_personal_numbers(app):
    importer = make_user("supervisor", "220000")
    rows = ledger()
    with Recorded() as new:
        report = import_ledger(actor=importer, filename="台账.csv", file_bytes=to_csv(rows))
    assert report.imported == 5
    detail = new.one("import.ledger", actor=importer, region="220000", kind="ledger", target=None)
    assert detail == {"filename": "台账.csv", "rows": len(rows), "cases": 5, "imported": 5, "existing": 0,
                      "skipped": 0, "problems": 0}


def test_a_ledger_with_problems_imports_nothing_and_records_nothing(app):
    importer = make_user("supervisor", "220000")
    with Recorded() as new:
        report = import_ledger(actor=importer, filename="坏台账.csv",
                               file_bytes=to_csv(a_case(claimed_amount="不是金额")))
    assert not report.ok and report.imported == 0
    assert new.entries() == []


# --- lawyers: profiles, conflicts, the roster ----------------------------------------------------

def test_a_new_lawyer_records_the_login_and_the_profile(app):
    admin = make_user("admin", "220100")
    number = licence()
    with Recorded() as new:
        lawyer = lawyer_profile_save(actor=admin, user=None, username="lawyer_new", full_name="新律师",
                                     region_code="220102", password=TEST_PASSWORD, law_firm="吉林正义律师事务所",
                                     licence_no=number, phone="13912345678", languages=["zh", "ko"],
                                     specialties=["wages"])
    entries = new.entries()
    assert [e.action for e in entries] == ["user.create", "lawyer.create"]
    assert {(e.actor_id, e.region_code, e.target_kind, e.target_id) for e in entries} == {
        (admin.id, "220102", "user", lawyer.id)}
    assert entries[1].detail["changes"]["licence_no"] == [None, number]
    assert entries[1].detail["changes"]["phone_changed"] == [False, True]
    _secret_free(entries[1].detail, "13912345678")


def test_a_profile_update_records_what_changed_and_of_the_phone_only_that_it_changed(app):
    admin, lawyer = make_user("admin", "220100"), make_lawyer("220102")
    profile = lawyer.lawyer_profile
    with Recorded() as new:
        lawyer_profile_save(actor=admin, user=lawyer, law_firm="吉林公正律师事务所", licence_no=profile.licence_no,
                            phone="13912345678", languages=["zh"], specialties=[], active=False)
    detail = new.one("lawyer.update", actor=admin, region="220102", kind="user", target=lawyer.id)
    assert detail == {"username": lawyer.username, "changes": {
        "law_firm": ["吉林正义律师事务所", "吉林公正律师事务所"], "active": [True, False],
        "phone_changed": [False, True]}}
    _secret_free(detail, "13912345678")


def test_a_refused_profile_save_records_nothing(app):
    supervisor, lawyer = make_user("supervisor", "220100"), make_lawyer("220102")
    with Recorded() as new, pytest.raises(NotPermitted):
        lawyer_profile_save(actor=supervisor, user=lawyer, law_firm="改", licence_no=licence(), languages=["zh"],
                            specialties=[])
    assert new.entries() == []


def test_a_conflict_declaration_records_the_employer_not_the_note(app):
    lawyer = make_lawyer("220102")
    code = credit_code()
    with Recorded() as new:
        with pytest.raises(NotPermitted):
            conflict_declare(actor=make_user("mediator", "220100"), lawyer=lawyer, employer_uscc=code)
        declaration = conflict_declare(actor=lawyer, lawyer=lawyer, employer_uscc=code,
                                       note="曾代理该单位，电话13912345678")
    entries = new.entries()
    assert [e.action for e in entries] == ["user.create", "lawyer.conflict"]  # the refused mediator was made first
    detail = entries[1].detail
    assert (entries[1].actor_id, entries[1].region_code, entries[1].target_id) == (lawyer.id, "220102", declaration.id)
    assert detail == {"lawyer_id": lawyer.id, "employer_uscc": code}


def test_roster_add_exception_and_remove(app):
    supervisor, lawyer, venue = make_user("supervisor", "220100"), make_lawyer("220102"), make_venue("220102")
    start = today()
    with Recorded() as new:
        entry = roster_add(actor=supervisor, lawyer=lawyer, venue=venue, weekday=2, starts_on=start)
    assert new.one("roster.add", actor=supervisor, region="220102", kind="duty_roster", target=entry.id) == {
        "lawyer_id": lawyer.id, "venue_id": venue.id, "weekday": 2, "starts_on": start.isoformat(), "ends_on": None}
    with Recorded() as new:
        exception = roster_exception_add(actor=supervisor, lawyer=lawyer, venue=venue, on_date=start, kind="leave",
                                         note="病假")
    assert new.one("roster.exception", actor=supervisor, region="220102", kind="roster_exception",
                   target=exception.id) == {"lawyer_id": lawyer.id, "venue_id": venue.id,
                                            "on_date": start.isoformat(), "kind": "leave"}
    entry_id = entry.id
    with Recorded() as new:
        roster_remove(actor=supervisor, entry=entry)
    assert new.one("roster.remove", actor=supervisor, region="220102", kind="duty_roster",
                   target=entry_id)["weekday"] == 2


def test_a_refused_roster_edit_records_nothing(app):
    outsider, lawyer, venue = make_user("supervisor", "222400"), make_lawyer("220102"), make_venue("220102")
    with Recorded() as new, pytest.raises(NotPermitted):
        roster_add(actor=outsider, lawyer=lawyer, venue=venue, weekday=2, starts_on=today())
    assert new.entries() == []


# --- the service itself --------------------------------------------------------------------------

@pytest.mark.parametrize("detail", [{"password": "x"}, {"changes": {"phone": ["1", "2"]}},
                                    {"rows": [{"id_number": "x"}]}, {"token": "med_x"}])
def test_a_detail_with_a_secret_or_a_personal_number_is_refused(app, detail):
    with Recorded() as new, pytest.raises(ValueError, match="never carries"):
        audit_record(actor=None, action="user.update", region_code="220100", target_kind="user", target_id=1,
                     detail=detail)
    assert new.entries() == []


def test_the_entry_is_in_the_operations_transaction(app):
    """Rolled back with the operation: no entry survives a change that did not."""
    admin = make_user("admin", "220100")
    with Recorded() as new:
        user_create(actor=admin, username="rolled_back", full_name="", role="mediator", region_code="220100",
                    password=NEW_PASSWORD)
        db.session.rollback()
    assert new.entries() == []
