"""`flask users token` prints only the token on stdout; `flask users revoke-token` takes it back."""

from __future__ import annotations

from sqlalchemy import select

from mediation.api.auth import user_for_token
from mediation.extensions import db
from mediation.models import ApiToken, AuditEntry
from mediation.tokens.services import hash_token, token_issue
from tests.factories import make_user
from tests.tokens.conftest import token_rows


def test_users_token_prints_only_the_token_on_stdout(runner):
    user = make_user("lawyer", "222400", username="lawyer_cli")
    result = runner.invoke(args=["users", "token", "lawyer_cli", "--name", "nightly export"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip()
    assert result.stdout == raw + "\n" and raw.startswith("med_")
    assert "shown only now" in result.stderr and raw not in result.stderr
    (row,) = token_rows()
    assert (row[1], row[2], row[3]) == (user.id, "nightly export", hash_token(raw))
    assert db.session.get(ApiToken, row[0]).created_by_id is None
    assert user_for_token(raw).id == user.id


def test_users_token_names_the_token_by_default(runner):
    make_user("mediator", "220100", username="wang")
    assert runner.invoke(args=["users", "token", "wang"]).exit_code == 0
    assert token_rows()[0][2] == "command line"


def test_users_token_refuses_an_unknown_or_inactive_user_and_writes_nothing(runner):
    result = runner.invoke(args=["users", "token", "nobody"])
    assert result.exit_code != 0 and "No user 'nobody'." in result.output and result.stdout == ""
    user = make_user("mediator", "220100", username="gone")
    user.active = False
    db.session.commit()
    result = runner.invoke(args=["users", "token", "gone"])
    assert result.exit_code != 0 and result.stdout == ""
    assert token_rows() == []


def test_users_token_refuses_a_bad_name(runner):
    make_user("mediator", "220100", username="wang")
    result = runner.invoke(args=["users", "token", "wang", "--name", "  "])
    assert result.exit_code != 0 and "name" in result.output and result.stdout == ""
    assert token_rows() == []


def test_revoke_token_by_prefix(runner):
    user = make_user("mediator", "220100", username="wang")
    token, raw = token_issue(user=user, actor=user, name="old script")
    db.session.commit()
    result = runner.invoke(args=["users", "revoke-token", token.prefix])
    assert result.exit_code == 0, result.output
    assert f"Revoked the API token {raw[:8]}… (old script) of wang." in result.output
    assert user_for_token(raw) is None
    again = runner.invoke(args=["users", "revoke-token", raw[:8]])
    assert again.exit_code != 0 and "already revoked" in again.output


def test_revoke_token_refuses_an_unknown_or_ambiguous_prefix(runner):
    first, second = make_user("mediator", "220100", username="wang"), make_user("mediator", "220100", username="li")
    tokens = [token_issue(user=owner, actor=None, name="script")[0] for owner in (first, second)]
    for token in tokens:
        token.prefix = "med_same"  # four random characters can coincide
    db.session.commit()
    assert "No API token" in runner.invoke(args=["users", "revoke-token", "med_none"]).output
    ambiguous = runner.invoke(args=["users", "revoke-token", "med_same"])
    assert ambiguous.exit_code != 0 and "--user" in ambiguous.output and "li, wang" in ambiguous.output
    assert all(row[6] is None for row in token_rows())
    chosen = runner.invoke(args=["users", "revoke-token", "med_same", "--user", "li"])
    assert chosen.exit_code == 0, chosen.output
    assert [row[6] is not None for row in token_rows()] == [False, True]


def test_the_command_lines_issue_and_revocation_are_audited_with_no_actor(runner):
    user = make_user("lawyer", "222400", username="lawyer_audited")
    raw = runner.invoke(args=["users", "token", "lawyer_audited"]).stdout.strip()
    assert runner.invoke(args=["users", "revoke-token", raw[:8]]).exit_code == 0
    db.session.rollback()
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.region_code,
                                     AuditEntry.detail).where(AuditEntry.target_kind == "api_token")
                              .order_by(AuditEntry.seq)).all()
    assert [(action, actor, region) for action, actor, region, _detail in rows] == [
        ("token.issue", None, "222400"), ("token.revoke", None, "222400")]
    assert all(detail["user_id"] == user.id and raw not in str(detail) for *_rest, detail in rows)
