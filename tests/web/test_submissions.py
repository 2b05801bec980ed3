"""The token store of the pages' write forms (mediation/web/submissions.py) at the commit point:
a token is used up in the transaction of its write, a used one writes nothing more, a refused
write leaves it unused, it is bound to its user, its form and a day, old rows go, and two
submissions racing with one token write once."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager

import pytest
from flask import current_app, g
from flask_login import login_user
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from mediation.admin.services import venue_save
from mediation.common.errors import ValidationFailed
from mediation.common.timeutil import today, utcnow
from mediation.extensions import db
from mediation.models import Case, FormSubmission, Payment, User, Venue
from mediation.settlements.ledger import payment_record
from mediation.web import submissions
from mediation.web.commit import perform
from tests.factories import make_case, make_user

NEW_VENUE = "/admin/venues/new"


@contextmanager
def posting(user: User, token: str, path: str = NEW_VENUE):
    """A POST of a write form by `user` to `path`, carrying `token`, as the request of a page.
    The test's app context stays open for all of them: `g` is emptied, as a new request's is."""
    with current_app.test_request_context(path, method="POST", data={submissions.FIELD: token}):
        for name in list(vars(g)):
            delattr(g, name)
        login_user(user)
        yield


def _new_venue(admin: User, name: str = "一次调解室"):  # noqa: ANN202
    return lambda: venue_save(actor=admin, venue=None, name=name, kind="court_workroom", region_code="220100")


def _count(model, **where) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _issue(user: User, path: str = NEW_VENUE) -> str:
    return submissions.issue(user.id, path)


def test_a_token_is_used_up_with_the_write_it_was_sent_with(app):
    admin = make_user("admin", "220100")
    token = _issue(admin)
    with posting(admin, token):
        outcome = perform(None, _new_venue(admin))
    assert outcome.error is None and _count(Venue) == 1
    row = db.session.scalars(select(FormSubmission)).one()
    assert (row.user_id, row.path) == (admin.id, NEW_VENUE)
    with posting(admin, token):
        assert submissions.posted_nonce() == row.nonce


def test_a_used_token_is_answered_with_the_first_result_and_writes_nothing(app):
    admin = make_user("admin", "220100")
    token = _issue(admin)
    with posting(admin, token):
        perform(None, _new_venue(admin))
    db.session.execute(db.update(FormSubmission).values(location="/admin/venues"))
    with posting(admin, token):
        answer = submissions.answer_replays()  # before the view: the usual second submission
    assert answer.status_code == 303 and answer.location == "/admin/venues"
    with posting(admin, token), pytest.raises(submissions.AlreadySent):
        perform(None, _new_venue(admin, "又一次调解室"))  # a twin that got past that check: refused at commit
    assert _count(Venue) == 1 and _count(FormSubmission) == 1


def test_a_refused_write_leaves_its_token_unused(app):
    admin = make_user("admin", "220100")
    token = _issue(admin)

    def refused() -> None:
        _new_venue(admin)()  # written, then refused: all of it rolls back
        raise ValidationFailed("no", field_errors={"name": ["no"]})

    with posting(admin, token):
        assert perform(None, refused, flash_errors=False).status == 400
        assert submissions.answer_replays() is None
    assert _count(Venue) == 0 and _count(FormSubmission) == 0
    with posting(admin, token):
        assert perform(None, _new_venue(admin)).error is None  # corrected and sent again
    assert _count(Venue) == 1


@pytest.mark.parametrize("whose", ["another user's", "another form's", "expired", "missing"])
def test_a_foreign_or_expired_token_is_refused_before_the_service_runs(app, monkeypatch, whose):
    admin, other = make_user("admin", "220100"), make_user("admin", "220100")
    if whose == "expired":
        real = TimestampSigner.get_timestamp
        monkeypatch.setattr(TimestampSigner, "get_timestamp",
                            lambda self: real(self) - int(submissions.TTL.total_seconds()) - 1)
    token = {"another user's": _issue(other), "another form's": _issue(admin, "/admin/venues/1"),
             "expired": _issue(admin), "missing": ""}[whose]
    monkeypatch.undo()
    called = []
    with posting(admin, token):
        outcome = perform(None, lambda: called.append(1), flash_errors=False)
    assert isinstance(outcome.error, submissions.SubmissionRefused) and outcome.status == 400
    expected = submissions.EXPIRED if whose == "expired" else submissions.NOT_VALID
    assert outcome.error.message == expected
    assert called == [] and _count(FormSubmission) == 0


def test_the_users_rows_older_than_a_day_go_with_their_next_write(app):
    admin, other = make_user("admin", "220100"), make_user("admin", "220100")
    old = utcnow() - submissions.TTL - dt.timedelta(minutes=1)
    db.session.add_all([FormSubmission(user_id=user.id, nonce=f"old-{user.id}", path=NEW_VENUE, created_at=old)
                        for user in (admin, other)])
    db.session.add(FormSubmission(user_id=admin.id, nonce="recent", path=NEW_VENUE, created_at=utcnow()))
    db.session.flush()
    with posting(admin, _issue(admin)):
        perform(None, _new_venue(admin))
    kept = set(db.session.scalars(select(FormSubmission.nonce)))
    assert f"old-{admin.id}" not in kept and {f"old-{other.id}", "recent"} <= kept and len(kept) == 3


def test_a_write_for_one_case_remembers_the_case_page_at_once(app):
    """The view's redirect is stored after the commit; until then a replay is sent to the page
    of the one case the write touched (the intake's new case, an action's case)."""
    case = make_case("effective")
    path = f"/cases/{case.number}/payment"
    with posting(case.mediator, _issue(case.mediator, path), path):
        perform(None, lambda: payment_record(case=case, actor=case.mediator, expected_version=None,
                                             worker_id=case.workers[0].id, amount_fen=10_000, paid_on=today(),
                                             method="bank_transfer"))
    assert db.session.scalars(select(FormSubmission.location)).one() == f"/cases/{case.number}"


# --- two submissions of one token at once: two connections, one wins -------------------------

def _race(app, user_id: int, path: str, token: str, write, after_service: bool) -> list[str]:  # noqa: ANN001
    """Both submissions run in threads with sessions and connections of their own; `write(user)`
    is the service call. The barrier holds them until both have done their work (after_service)
    or loaded what they need (else: the first one's row lock then orders them)."""
    both = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def submission() -> None:
        with app.test_request_context(path, method="POST", data={submissions.FIELD: token}):
            try:
                user = db.session.get(User, user_id)
                login_user(user)
                call = write(user)
                if not after_service:
                    both.wait()

                def work():  # noqa: ANN202
                    result = call()
                    if after_service:
                        both.wait()
                    return result

                outcome = perform(None, work, flash_errors=False)
                outcomes.append("written" if outcome.error is None else f"refused {outcome.error.code}")
            except submissions.AlreadySent:
                outcomes.append("replay")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submission) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def _postgresql_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): the second submission "
                    "starts after the first committed, as in test_a_used_token_is_answered_with_the_first_result")


@pytest.mark.real_commits  # two connections of their own, each seeing what the other committed
def test_two_submissions_racing_with_one_token_write_once(app):
    """Nothing else orders them: each records a payment on a case of its own (no lock in common,
    both have flushed when they reach the commit point); the loser's insert of the nonce waits
    for the winner's commit, fails on the unique constraint, and its payment rolls back with it."""
    _postgresql_only()
    mediator = make_user("mediator", "220100")
    cases = [make_case("effective", mediator=mediator) for _ in range(2)]
    targets = iter([(case.id, case.workers[0].id) for case in cases])
    path = f"/cases/{cases[0].number}/payment"
    user_id, token = mediator.id, _issue(mediator, path)
    db.session.remove()
    lock = threading.Lock()

    def write(user: User):  # noqa: ANN202
        with lock:
            case_id, worker_id = next(targets)
        mine = db.session.get(Case, case_id)
        return lambda: payment_record(case=mine, actor=user, expected_version=None, worker_id=worker_id,
                                      amount_fen=10_000, paid_on=today(), method="bank_transfer")

    assert _race(app, user_id, path, token, write, after_service=True) == ["replay", "written"]
    assert _count(Payment) == 1 and _count(FormSubmission) == 1


@pytest.mark.real_commits
def test_a_twin_refused_by_what_the_winner_wrote_is_answered_as_a_replay(app):
    """Two payments with one token on one case: the loser meets the winner's new case version
    (a conflict) before it reaches the token; it is a replay all the same, and one payment stays."""
    _postgresql_only()
    case = make_case("effective")
    case_id, user_id, worker_id = case.id, case.mediator.id, case.workers[0].id
    path = f"/cases/{case.number}/payment"
    token = _issue(case.mediator, path)
    db.session.remove()

    def write(user: User):  # noqa: ANN202
        mine = db.session.get(Case, case_id)
        version = mine.version
        return lambda: payment_record(case=mine, actor=user, expected_version=version, worker_id=worker_id,
                                      amount_fen=10_000, paid_on=today(), method="bank_transfer")

    assert _race(app, user_id, path, token, write, after_service=False) == ["replay", "written"]
    assert _count(Payment, case_id=case_id) == 1 and _count(FormSubmission) == 1
