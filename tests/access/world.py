"""The world the access walk runs in, built once per module (and per database backend).

Two prefectures, "own" (长春市 220100) and "other" (延边州 222400), each with a mediator, a lawyer,
a supervisor and an administrator at the prefecture, a venue, and one case per stage in a county
below it (220102 / 222401). Every case is the mediator's and assigned to the lawyer of its own
prefecture, so for every role "own" means "a case in my scope (for a lawyer: assigned to me)" and
"other" means "the same kind of case in another prefecture". The Changchun users are signed in on
a browser each (cookie session) and hold an API token each (bearer); "anon" is neither. A third
side, "near", is Changchun again with other people: its cases are in the users' region but are
another mediator's and assigned to another lawyer.

The stages give every action page a case on which its action is possible, and give the document
routes something to answer with (an agreement PDF, an enforcement path).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from mediation.cases import services
from mediation.common.timeutil import today
from mediation.enforcement.services import enforcement_outcome, jc_application_generate
from mediation.extensions import db
from mediation.lawyers import services as lawyer_services
from mediation.lawyers.proposal import next_working_day
from mediation.models import Case, CaseEvent, Region, User, Venue, Worker
from mediation.settlements.services import agreement_generate
from mediation.stats import period as periods
from mediation.stats.locks import report_lock
from mediation.tokens.services import token_issue
from tests.access.rules import ROLES
from tests.api.conftest import ApiClient, issue_token
from tests.factories import VERIFY_URL, make_case, make_user, make_venue, pay_in_full
from tests.web.conftest import english, login

SCOPES = ("own", "near", "other", "anon")
# The states (and stages of a settled case) the world holds a case in, one of each per side.
STAGES = ("intake", "referred", "mediating", "settled", "drafted", "effective", "defaulted", "enforcing",
          "concluded", "paid")

_serial = itertools.count(1)


@dataclass
class Side:
    """One prefecture's people and things."""

    prefecture: str
    county: str
    users: dict[str, User]  # by role, at the prefecture
    venue_id: int
    case_numbers: dict[str, str]  # by stage
    case_ids: dict[str, int]
    target_id: int  # a spare user (a lawyer) for the administration forms
    report_id: int  # a locked statistics report of the prefecture

    def case(self, stage: str) -> Case:
        """The case of this stage, as the database holds it now."""
        db.session.rollback()  # see what the requests committed
        return db.session.get(Case, self.case_ids[stage])

    def user(self, role: str) -> User:
        db.session.rollback()
        return db.session.get(User, self.users[role].id)

    @property
    def venue(self) -> Venue:
        db.session.rollback()
        return db.session.get(Venue, self.venue_id)


@dataclass
class World:
    app: Flask
    own: Side
    near: Side  # cases of the own region that are another mediator's and another lawyer's
    other: Side
    browsers: dict[str, FlaskClient]  # a signed-in browser per role (the Changchun users)
    api: dict[str, ApiClient]  # a token per role (the Changchun users)
    anonymous: FlaskClient
    api_anonymous: ApiClient
    made: list[str] = field(default_factory=list)  # notes of what the walk created on the way

    def side(self, scope: str) -> Side:
        return {"other": self.other, "near": self.near}.get(scope, self.own)

    def actor(self, role: str) -> User:
        return self.own.user(role)

    def id_numbers(self) -> set[str]:
        """Every worker's full resident ID number (for scans of the answers; an 18-character
        pattern alone also finds the employers' credit codes, which are not personal data)."""
        db.session.rollback()
        return set(db.session.scalars(select(Worker.id_number)))

    # --- things made on demand: a request that succeeds may use them up -----------------

    def fresh_token(self, owner: User) -> int:
        token, _raw = token_issue(user=owner, actor=None, name=f"access-{next(_serial)}")
        db.session.commit()
        return token.id

    def fresh_roster_entry(self, side: Side) -> int:
        lawyer = side.user("lawyer")
        entry = lawyer_services.roster_add(actor=side.user("admin"), lawyer=lawyer, venue=side.venue,
                                           weekday=next(_serial) % 7,
                                           starts_on=today() + dt.timedelta(days=400 + 10 * next(_serial)))
        db.session.commit()
        return entry.id

    def fresh_browser(self, role: str) -> tuple[User, FlaskClient]:
        """A new Changchun user of this role signed in on a browser of its own (for sign-out and
        the password change, which end the sessions they are made in)."""
        user = make_user(role, self.own.prefecture)
        browser = english(self.app.test_client())
        assert login(browser, user).status_code == 302
        return user, browser


def case_fingerprint(case_id: int) -> tuple[int, int, str]:
    """What a refused request must leave as it was: the version, the events and the state."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
    return case.version, events, case.state


def _stage_case(stage: str, *, county: str, mediator: User, lawyer: User, venue: Venue) -> Case:
    """A case at `stage`, the mediator's and assigned to the lawyer (at intake too)."""
    base = {"drafted": "scheduled", "concluded": "enforcing", "paid": "effective"}.get(stage, stage)
    if stage == "intake":
        case = make_case("intake", region=county, mediator=mediator)
        services.case_assign(case=case, actor=mediator, expected_version=None, venue=venue, lawyer=lawyer)
    else:
        case = make_case(base, region=county, mediator=mediator, lawyer=lawyer, venue=venue)
    if stage == "mediating":  # a booked session, for the pages that cancel or move one
        lawyer_services.session_schedule(case=case, actor=mediator, expected_version=None,
                                         on_date=next_working_day(today()), starts_at=dt.time(9),
                                         ends_at=dt.time(10), override_reason="访问矩阵的预约")
    elif stage == "drafted":
        agreement_generate(case=case, actor=mediator, verify_url=VERIFY_URL)
    elif stage == "enforcing":  # its application for judicial confirmation, a stored document
        jc_application_generate(case=case, actor=mediator, path_id=case.enforcement_paths[0].id,
                                verify_url=VERIFY_URL)
    elif stage == "concluded":  # its judicial confirmation and payment order both refused
        for pending in [p for p in case.enforcement_paths if p.outcome == "pending"]:
            enforcement_outcome(case=case, actor=mediator, expected_version=None, path_id=pending.id,
                                outcome="refused", outcome_on=today(), note="驳回")
    elif stage == "paid":
        pay_in_full(case)
    db.session.commit()
    return case


def _side(prefecture: str, county: str, *, lock: bool = True) -> Side:
    users = {role: make_user(role, prefecture) for role in ROLES}
    venue = make_venue(prefecture)
    cases = {stage: _stage_case(stage, county=county, mediator=users["mediator"], lawyer=users["lawyer"],
                                venue=venue) for stage in STAGES}
    target = make_user("lawyer", prefecture)
    lawyer_services.lawyer_profile_save(actor=None, user=target, law_firm="吉林测试律师事务所",
                                        licence_no=f"1220{next(_serial):013d}", languages=["zh"], specialties=[])
    report = None
    if lock:
        last_month = periods.containing("month", today().replace(day=1) - dt.timedelta(days=1))
        report = report_lock(actor=users["admin"], region=db.session.get(Region, prefecture), period=last_month)
    db.session.commit()
    return Side(prefecture=prefecture, county=county, users=users, venue_id=venue.id,
                case_numbers={s: c.number for s, c in cases.items()}, case_ids={s: c.id for s, c in cases.items()},
                target_id=target.id, report_id=report.id if report else 0)


def build_world(app: Flask) -> World:
    """Make everything through the services, commit, and sign the Changchun users in."""
    own, other = _side("220100", "220102"), _side("222400", "222401")
    near = _side("220100", "220102", lock=False)  # the same region, other people's cases
    browsers = {}
    for role in ROLES:
        browser = english(app.test_client())
        assert login(browser, own.users[role]).status_code == 302
        browsers[role] = browser
    api = {role: ApiClient(app.test_client(), issue_token(own.users[role])) for role in ROLES}
    return World(app=app, own=own, near=near, other=other, browsers=browsers, api=api,
                 anonymous=english(app.test_client()), api_anonymous=ApiClient(app.test_client(), None))

