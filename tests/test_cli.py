"""The flask commands: users, regions, demo data; bad input gets a message and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import Case, CaseEvent, Consultation, Hazard, HazardNotice, Region, User
from workflows import STATES


def _count(model) -> int:  # noqa: ANN001
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_users_create_makes_a_user_who_can_sign_in(runner, client):
    result = runner.invoke(args=["users", "create", "wang", "--role", "mediator", "--region", "220100",
                                 "--password", "a-long-enough-password"])
    assert result.exit_code == 0, result.output
    assert "Created mediator wang in region 220100." in result.output
    response = client.post("/login", data={"username": "wang", "password": "a-long-enough-password"})
    assert response.status_code == 302


def test_users_create_prompts_for_the_password(runner):
    result = runner.invoke(args=["users", "create", "li", "--role", "lawyer", "--region", "222400"],
                           input="a-long-enough-password\na-long-enough-password\n")
    assert result.exit_code == 0, result.output
    assert db.session.execute(select(User.role).where(User.username == "li")).scalar_one() == "lawyer"


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "mediator", "--region", "999999", "--password", "a-long-enough-password"], "region_code"),
    (["--role", "mediator", "--region", "220100", "--password", "short"], "password"),
    (["--role", "judge", "--region", "220100", "--password", "a-long-enough-password"], "judge"),
    (["--role", "mediator", "--password", "a-long-enough-password"], "--region"),
], ids=["unknown region", "short password", "unknown role", "no region"])
def test_users_create_refuses_bad_input_and_writes_nothing(runner, args, message):
    result = runner.invoke(args=["users", "create", "zhao", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert _count(User) == 0


def test_users_create_refuses_a_taken_username(runner, make_user):
    make_user("mediator", "220100", username="taken")
    result = runner.invoke(args=["users", "create", "Taken", "--role", "admin", "--region", "220000",
                                 "--password", "a-long-enough-password"])
    assert result.exit_code != 0 and "username" in result.output
    assert _count(User) == 1


def test_regions_load_is_idempotent(runner):
    before = _count(Region)
    result = runner.invoke(args=["regions", "load"])
    assert result.exit_code == 0 and f"{before} regions loaded." in result.output
    assert _count(Region) == before == 74
    assert db.session.get(Region, "222400").path == "220000/222400/"


def test_seed_demo_covers_every_state_and_runs_once_with_if_empty(runner):
    result = runner.invoke(args=["seed-demo", "--cases", "20", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "mediator_cc" in result.output and "demo-pass-2026" in result.output
    states = set(db.session.execute(select(Case.state).distinct()).scalars())
    assert states == set(STATES)
    assert _count(Case) == 20
    assert _count(Consultation) == 12  # a dozen consultations, by lawyers and mediators of two prefectures
    # every case's history starts with its intake and ends in its current state
    for case in db.session.execute(select(Case)).scalars():
        events = db.session.execute(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).scalars().all()
        assert events[0].action == "intake"
        assert [e.to_state for e in events if e.to_state][-1] == case.state
    # a handful of hazards, open and closed, with steps and a notice
    hazards = db.session.execute(select(Hazard)).scalars().all()
    assert len(hazards) == 6 and {h.outcome for h in hazards} >= {None, "resolved"}
    assert all(len(h.steps) == 2 for h in hazards) and _count(HazardNotice) == 2
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "nothing done" in again.output
    assert _count(Case) == 20


def test_users_deactivate_ends_the_users_sessions_and_is_recorded(runner, make_user):
    from mediation.models import AuditEntry

    user = make_user("mediator", "220100")
    token_before = user.session_token
    result = runner.invoke(args=["users", "deactivate", user.username])
    assert result.exit_code == 0 and "Deactivated" in result.output, result.output
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert not user.active and user.session_token != token_before  # signed out everywhere
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")
                               .order_by(AuditEntry.seq.desc())).first()
    assert entry.actor_id is None and entry.target_id == user.id  # the command line, on the record
    again = runner.invoke(args=["users", "deactivate", user.username])
    assert again.exit_code == 0 and "already inactive" in again.output
    unknown = runner.invoke(args=["users", "deactivate", "nobody-here"])
    assert unknown.exit_code == 1 and "No user" in unknown.output
