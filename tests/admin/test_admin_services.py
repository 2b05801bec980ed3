"""Administration services: users, venues and accepted employer codes, refused cleanly when bad."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediation.admin.services import employer_accept_code, user_create, user_update, venue_save
from mediation.common.errors import NotPermitted, ValidationFailed
from mediation.extensions import db
from mediation.models import Employer, User, Venue
from tests.cases.unchanged import nothing_written
from tests.conftest import TEST_PASSWORD
from tests.factories import credit_code, make_user, make_venue

GOOD_USCC = credit_code(777)
BAD_CHECKSUM_USCC = GOOD_USCC[:-1] + ("1" if GOOD_USCC[-1] != "1" else "2")
NEW_USER = {"username": "li.mediator", "full_name": "李调解", "role": "mediator", "region_code": "220102",
            "password": "a-long-enough-secret"}


def user_row(user_id: int) -> tuple:
    return tuple(db.session.execute(select(User.username, User.full_name, User.role, User.region_code, User.active,
                                           User.password_hash, User.session_token).where(User.id == user_id)).one())


def venue_row(venue_id: int) -> tuple:
    return tuple(db.session.execute(select(Venue.name, Venue.kind, Venue.region_code, Venue.address, Venue.active)
                                    .where(Venue.id == venue_id)).one())


@pytest.fixture
def admin(app):
    return make_user("admin", "220100")


# What the services refuse themselves. A number for a name, or "false" for a flag, never reaches
# them: the admin pages' fields and the command line hand them text and booleans.
@pytest.mark.parametrize("changes, field", [
    ({"username": ""}, "username"), ({"username": None}, "username"), ({"username": "u" * 65}, "username"),
    ({"username": "li mediator"}, "username"), ({"username": "li/m"}, "username"),
    ({"username": "ADMIN_TAKEN"}, "username"),
    ({"role": "judge"}, "role"), ({"role": None}, "role"),
    ({"full_name": "名" * 65}, "full_name"),
    ({"region_code": "999999"}, "region_code"), ({"region_code": ""}, "region_code"),
    ({"password": "too-short"}, "password"), ({"password": "p" * 257}, "password"),
    ({"password": None}, "password"), ({"password": 12345678901234}, "password"),
])
def test_user_create_refuses_bad_values(admin, changes, field):
    make_user("mediator", "220100", username="admin_taken")
    with nothing_written(ValidationFailed, field=field):
        user_create(actor=admin, **{**NEW_USER, **changes})


@pytest.mark.parametrize("role, home, region", [("admin", "222400", "220102"), ("mediator", "220100", "220102"),
                                                ("supervisor", "220000", "220102")])
def test_user_create_outside_scope_or_by_a_non_admin_is_not_permitted(app, role, home, region):
    actor = make_user(role, home)
    with nothing_written(NotPermitted):
        user_create(actor=actor, **{**NEW_USER, "region_code": region})


def test_user_create_writes_a_user_who_can_sign_in(admin):
    user = user_create(actor=admin, **NEW_USER)
    db.session.commit()
    assert (user.username, user.role, user.region_code, user.active) == ("li.mediator", "mediator", "220102", True)
    assert user.check_password(NEW_USER["password"]) and not user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("changes, field", [
    ({"role": "judge"}, "role"), ({"full_name": ""}, "full_name"), ({"full_name": "名" * 65}, "full_name"),
    ({"region_code": "999999"}, "region_code"),
    ({"password": "short"}, "password"), ({"password": 12345678901234}, "password"),
])
def test_user_update_refuses_bad_values(admin, changes, field):
    user = make_user("lawyer", "220102")
    args = {"full_name": "王律师", "role": "lawyer", "region_code": "220102", "active": True, **changes}
    with nothing_written(ValidationFailed, field=field, also=lambda: user_row(user.id)):
        user_update(actor=admin, user=user, **args)


@pytest.mark.parametrize("changes", [{"role": "supervisor"}, {"active": False}])
def test_an_admin_cannot_remove_their_own_access(admin, changes):
    args = {"full_name": admin.full_name, "role": "admin", "region_code": "220100", "active": True, **changes}
    with nothing_written(ValidationFailed, field="role", also=lambda: user_row(admin.id)):
        user_update(actor=admin, user=admin, **args)


@pytest.mark.parametrize("actor_role, actor_home, user_home, region", [
    ("admin", "222400", "220102", "222401"),   # the user is outside the admin's region
    ("admin", "220100", "220102", "222401"),   # moving the user out of the admin's region
    ("mediator", "220100", "220102", "220102"),  # not an admin
])
def test_user_update_outside_scope_or_by_a_non_admin_is_not_permitted(app, actor_role, actor_home, user_home,
                                                                      region):
    actor, user = make_user(actor_role, actor_home), make_user("lawyer", user_home)
    with nothing_written(NotPermitted, also=lambda: user_row(user.id)):
        user_update(actor=actor, user=user, full_name="新名字", role="lawyer", region_code=region, active=True)


def test_deactivating_or_a_new_password_ends_the_users_sessions(admin):
    user = make_user("lawyer", "220102")
    token = user.session_token
    user_update(actor=admin, user=user, full_name="王律师", role="lawyer", region_code="220102", active=True,
                password="a-brand-new-secret")
    db.session.commit()
    assert user.check_password("a-brand-new-secret") and user.session_token != token
    token = user.session_token
    user_update(actor=admin, user=user, full_name="王律师", role="lawyer", region_code="220102", active=False)
    db.session.commit()
    assert not user.active and user.session_token != token


VENUE = {"name": "朝阳区人民法院劳动争议调解工作室", "kind": "court_workroom", "region_code": "220104",
         "address": "长春市朝阳区", "active": True}


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"), ({"name": None}, "name"), ({"name": "室" * 121}, "name"),
    ({"kind": "tea_house"}, "kind"), ({"address": "址" * 201}, "address"),
    ({"region_code": "999999"}, "region_code"),
])
@pytest.mark.parametrize("existing", [False, True])
def test_venue_save_refuses_bad_values(admin, changes, field, existing):
    venue = make_venue("220104") if existing else None
    also = (lambda: venue_row(venue.id)) if venue else None
    with nothing_written(ValidationFailed, field=field, also=also):
        venue_save(actor=admin, venue=venue, **{**VENUE, **changes})


@pytest.mark.parametrize("actor_role, actor_home, venue_home, region", [
    ("admin", "222400", None, "220104"), ("admin", "222400", "220104", "222401"), ("lawyer", "220100", None, "220104"),
])
def test_venue_save_outside_scope_or_by_a_non_admin_is_not_permitted(app, actor_role, actor_home, venue_home, region):
    actor = make_user(actor_role, actor_home)
    venue = make_venue(venue_home) if venue_home else None
    also = (lambda: venue_row(venue.id)) if venue else None
    with nothing_written(NotPermitted, also=also):
        venue_save(actor=actor, venue=venue, **{**VENUE, "region_code": region})


def test_venue_save_creates_and_updates(admin):
    venue = venue_save(actor=admin, venue=None, **VENUE)
    db.session.commit()
    assert venue_row(venue.id) == tuple(VENUE[k] for k in ("name", "kind", "region_code", "address", "active"))
    venue_save(actor=admin, venue=venue, **{**VENUE, "name": "新名称", "active": False})
    db.session.commit()
    assert venue_row(venue.id)[0::4] == ("新名称", False) and db.session.query(Venue).count() == 1


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_only_a_supervisor_or_admin_may_accept_a_code(app, role):
    actor = make_user(role, "220100")
    with nothing_written(NotPermitted):
        employer_accept_code(actor=actor, uscc=BAD_CHECKSUM_USCC, name="早期试点企业")


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"), ({"name": "企" * 121}, "name"),
    ({"uscc": ""}, "uscc"), ({"uscc": BAD_CHECKSUM_USCC[:-1]}, "uscc"), ({"uscc": "91220101ABCDEFGHIO"}, "uscc"),
    ({"uscc": 912201010000000051}, "uscc"),
])
def test_accept_code_refuses_bad_values(app, changes, field):
    supervisor = make_user("supervisor", "220000")
    with nothing_written(ValidationFailed, field=field):
        employer_accept_code(actor=supervisor, **{"uscc": BAD_CHECKSUM_USCC, "name": "早期试点企业", **changes})


@pytest.mark.parametrize("role, code, overridden", [("supervisor", BAD_CHECKSUM_USCC, True),
                                                    ("admin", BAD_CHECKSUM_USCC, True),
                                                    ("supervisor", GOOD_USCC, False)])
def test_accepting_a_code_records_whether_its_checksum_fails(app, role, code, overridden):
    employer = employer_accept_code(actor=make_user(role, "220000"), uscc=code, name="早期试点企业")
    db.session.commit()
    again = employer_accept_code(actor=make_user(role, "220000"), uscc=code, name="早期试点企业")
    db.session.commit()
    assert again.id == employer.id and db.session.query(Employer).count() == 1
    assert (employer.uscc, employer.uscc_checksum_overridden) == (code, overridden)
