"""Which lawyer the system proposes for a case: who is on duty at the venue that day, the order
of the ranking rules, who is excluded and why, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from mediation.case_core.lookup import case_by_number
from mediation.common.errors import ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import propose_lawyers
from mediation.lawyers.services import conflict_declare
from mediation.models import Case
from tests.factories import credit_code, make_case, make_user, make_venue
from tests.lawyers.factories import give_open_cases, make_lawyer, new_case, on_roster, roster_change


def planned_day() -> dt.date:
    """The date the proposal is made for: a fixed distance ahead, whatever weekday it is."""
    return today() + dt.timedelta(days=14)


@pytest.fixture
def scene(app):
    """A mediator of 长春, a workroom there, and a referred case of 南关区 with no lawyer yet."""
    mediator = make_user("mediator", "220100")
    venue = make_venue("220100")
    case = new_case(mediator, venue=venue)
    return mediator, venue, case


def propose(case: Case, on_date: dt.date | None = None):
    with force_locale("en"):  # the reasons in their source text
        return propose_lawyers(case=case, venue=case.venue, on_date=on_date or planned_day())


def ranked_ids(proposal) -> list[int]:
    return [c.lawyer.id for c in proposal.ranked]


# --- on duty ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Roster:
    weekday_shift: int = 0  # days after the planned day's weekday
    starts: int = -30  # days from the planned day
    ends: int | None = None
    elsewhere: bool = False  # at another venue


@dataclass(frozen=True)
class Change:
    kind: str  # leave / extra
    shift: int = 0  # days from the planned day
    elsewhere: bool = False


DUTY = [
    ("rostered on that weekday", Roster(), None, True),
    ("rostered on another weekday", Roster(weekday_shift=1), None, False),
    ("roster starts on the day", Roster(starts=0), None, True),
    ("roster starts the day after", Roster(starts=1), None, False),
    ("roster ends on the day", Roster(ends=0), None, True),
    ("roster ended the day before", Roster(ends=-1), None, False),
    ("rostered at another venue", Roster(elsewhere=True), None, False),
    ("on leave that day", Roster(), Change("leave"), False),
    ("on leave a week later", Roster(), Change("leave", shift=7), True),
    ("on leave at another venue", Roster(), Change("leave", elsewhere=True), True),
    ("extra day, not rostered", None, Change("extra"), True),
    ("extra day on another date", None, Change("extra", shift=1), False),
    ("extra day at another venue", None, Change("extra", elsewhere=True), False),
]


@pytest.mark.parametrize("roster, change, on_duty", [row[1:] for row in DUTY], ids=[row[0] for row in DUTY])
def test_on_duty_follows_the_roster_and_its_exceptions(scene, roster, change, on_duty):
    _mediator, venue, case = scene
    other_venue = make_venue("220100")
    day = planned_day()
    control = make_lawyer(name="A律师")  # never on duty; ranks first by name unless the subject is on duty
    subject = make_lawyer(name="Z律师")
    if roster is not None:
        on_roster(subject, other_venue if roster.elsewhere else venue, (day.weekday() + roster.weekday_shift) % 7,
                  starts_on=day + dt.timedelta(days=roster.starts),
                  ends_on=None if roster.ends is None else day + dt.timedelta(days=roster.ends))
    if change is not None:
        roster_change(subject, other_venue if change.elsewhere else venue, day + dt.timedelta(days=change.shift),
                      change.kind)

    proposal = propose(case, day)

    assert proposal.find(subject.id).on_duty is on_duty
    assert ranked_ids(proposal) == ([subject.id, control.id] if on_duty else [control.id, subject.id])


# --- the ranking rules, each outweighing the ones after it ---------------------------------

@dataclass(frozen=True)
class Lawyer:
    region: str = "220100"
    languages: tuple[str, ...] = ("zh",)
    specialties: tuple[str, ...] = ()
    open_cases: int = 0
    on_duty: bool = False
    rostered_other_day: bool = False  # at the case's venue, so an outside lawyer is a candidate


# (rule, the case's language, the winner, the loser): the loser is as good or better on every
# later rule, and its name ("A...") sorts before the winner's ("Z...").
RANKING = [
    ("on duty beats same region", "zh",
     Lawyer(region="222400", on_duty=True), Lawyer(specialties=("wages",))),
    ("same region beats language", "ko",
     Lawyer(region="220102"), Lawyer(region="222400", languages=("zh", "ko"), specialties=("wages",),
                                     rostered_other_day=True)),
    ("language beats specialty", "ko",
     Lawyer(languages=("ko",), open_cases=1), Lawyer(specialties=("wages",))),
    ("specialty beats open cases", "zh",
     Lawyer(specialties=("wages", "overtime"), open_cases=2), Lawyer(specialties=("overtime",))),
    ("fewest open cases breaks the tie", "zh",
     Lawyer(), Lawyer(open_cases=1)),
]


@pytest.mark.parametrize("language, winner, loser", [row[1:] for row in RANKING], ids=[row[0] for row in RANKING])
def test_each_ranking_rule_outweighs_the_later_ones(scene, language, winner, loser):
    mediator, venue, _case = scene
    case = new_case(mediator, venue=venue, language=language)  # claims wages
    day = planned_day()
    made = {}
    for label, spec in (("Z律师", winner), ("A律师", loser)):
        lawyer = make_lawyer(spec.region, name=label, languages=spec.languages, specialties=spec.specialties)
        give_open_cases(lawyer, spec.open_cases, mediator=mediator, venue=venue)
        if spec.on_duty or spec.rostered_other_day:
            on_roster(lawyer, venue, (day.weekday() + (0 if spec.on_duty else 1)) % 7)
        made[label] = lawyer

    proposal = propose(case, day)

    assert ranked_ids(proposal) == [made["Z律师"].id, made["A律师"].id]
    first, second = proposal.ranked
    assert (first.open_cases, second.open_cases) == (winner.open_cases, loser.open_cases)


def test_the_reasons_of_a_candidate(scene):
    mediator, venue, _case = scene
    case = new_case(mediator, venue=venue, language="ko")
    day = planned_day()
    lawyer = make_lawyer("222400", languages=("zh", "ko"), specialties=("wages", "work_injury"))
    on_roster(lawyer, venue, day.weekday())

    candidate = propose(case, day).find(lawyer.id)

    assert (candidate.on_duty, candidate.same_region, candidate.speaks_language) == (True, False, True)
    assert candidate.specialty_matches == ["wages"] and candidate.exclusions == []


def test_only_open_cases_of_others_count(scene):
    mediator, venue, case = scene
    lawyer = make_lawyer("220100")
    give_open_cases(lawyer, 2, mediator=mediator, venue=venue)
    make_case("closed", mediator=mediator, lawyer=lawyer, venue=venue)
    make_case("failed", mediator=mediator, lawyer=lawyer, venue=venue)
    case.lawyer_id = lawyer.id  # the case itself, already with this lawyer, is not counted
    db.session.commit()

    assert propose(case).find(lawyer.id).open_cases == 2


# --- who is excluded, and why ---------------------------------------------------------------

DECLARED = "Declared a conflict of interest with this employer."
ACTED_FOR = "Has acted for this employer in an earlier case."

EXCLUSIONS = [
    ("declared a conflict with the employer", {"declared"}, [DECLARED]),
    ("acted for the employer in an earlier case", {"agent"}, [ACTED_FOR]),
    ("both", {"declared", "agent"}, [DECLARED, ACTED_FOR]),
    ("a conflict with another employer only", {"declared_other"}, []),
    ("acted for another employer only", {"agent_other"}, []),
]


@pytest.mark.parametrize("conflicts, reasons", [row[1:] for row in EXCLUSIONS], ids=[row[0] for row in EXCLUSIONS])
def test_conflicts_exclude_a_lawyer_with_the_reason(scene, conflicts, reasons):
    mediator, venue, _case = scene
    uscc = credit_code()
    case = new_case(mediator, venue=venue, employer_uscc=uscc)
    day = planned_day()
    subject = make_lawyer(name="A律师")  # on duty: the first proposal unless excluded
    on_roster(subject, venue, day.weekday())
    other = make_lawyer(name="Z律师")
    for conflict in conflicts:
        if conflict.startswith("declared"):
            conflict_declare(actor=subject, lawyer=subject, note="曾为该单位法律顾问",
                             employer_uscc=uscc if conflict == "declared" else credit_code())
        else:
            # No service records who acted for an employer yet: the fixture sets the column on an
            # earlier case of the same employer (or of another one) directly.
            earlier = new_case(mediator, venue=None, employer_uscc=uscc if conflict == "agent" else credit_code())
            earlier.employer_agent_id = subject.id
    db.session.commit()

    proposal = propose(case, day)

    candidate = proposal.find(subject.id)
    assert candidate.exclusions == reasons
    if reasons:
        assert ranked_ids(proposal) == [other.id] and proposal.excluded == [candidate]
    else:
        assert ranked_ids(proposal) == [subject.id, other.id] and proposal.excluded == []


def test_inactive_lawyers_and_other_roles_are_not_proposed(scene):
    _mediator, venue, case = scene
    day = planned_day()
    inactive = make_lawyer(active=False)
    on_roster(make_lawyer(), venue, day.weekday())  # on_roster refuses inactive lawyers: roster first
    roster_change(inactive, venue, day, "extra")
    supervisor = make_user("supervisor", "220100")

    proposal = propose(case, day)

    assert proposal.find(inactive.id) is None and proposal.find(supervisor.id) is None
    assert len(proposal.ranked) == 1 and proposal.excluded == []


def test_lawyers_of_another_prefecture_are_proposed_only_when_rostered_at_the_venue(scene):
    _mediator, venue, case = scene
    stranger = make_lawyer("222400")
    rostered = make_lawyer("222400")
    on_roster(rostered, venue, (planned_day().weekday() + 3) % 7)
    province = make_lawyer("220000")

    proposal = propose(case)

    assert proposal.find(stranger.id) is None
    assert proposal.find(rostered.id).same_region is False
    assert proposal.find(province.id).same_region is True


# --- a fixed number of queries ----------------------------------------------------------------

def _populate(scale: int, *, mediator, venue, uscc: str) -> None:
    """Per unit of scale: a lawyer on duty, one with open cases, one off duty with leave, one with
    a declared conflict and one who acted for the employer, and cases of other lawyers."""
    day = planned_day()
    for _ in range(scale):
        on_roster(make_lawyer(languages=("zh", "ko"), specialties=("wages",)), venue, day.weekday())
        give_open_cases(make_lawyer(), 2, mediator=mediator, venue=venue)
        on_leave = make_lawyer("220102")
        on_roster(on_leave, venue, day.weekday())
        roster_change(on_leave, venue, day, "leave")
        declared = make_lawyer()
        conflict_declare(actor=declared, lawyer=declared, employer_uscc=uscc)
        agent = make_lawyer()
        earlier = new_case(mediator, venue=None, employer_uscc=uscc)
        earlier.employer_agent_id = agent.id  # no service sets this yet: the fixture does
        on_roster(make_lawyer("222400"), venue, (day.weekday() + 1) % 7)
    db.session.commit()


def _statements_of_a_proposal(mediator, number: str) -> tuple[int, int]:
    """(SQL statements run by propose_lawyers, candidates) for the case as the assign page holds it."""
    db.session.expire_all()
    case = case_by_number(mediator, number)
    venue = case.venue  # the page reads the case's region and venue before it asks
    assert case.region is not None
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith("BEGIN"):  # SQLite's own transaction control
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        proposal = propose_lawyers(case=case, venue=venue, on_date=planned_day())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements), len(proposal.ranked) + len(proposal.excluded)


def test_the_proposal_takes_the_same_few_queries_for_five_times_the_lawyers(scene):
    mediator, venue, _case = scene
    uscc = credit_code()
    case = new_case(mediator, venue=venue, employer_uscc=uscc)

    _populate(1, mediator=mediator, venue=venue, uscc=uscc)
    small, small_candidates = _statements_of_a_proposal(mediator, case.number)
    _populate(4, mediator=mediator, venue=venue, uscc=uscc)
    large, large_candidates = _statements_of_a_proposal(mediator, case.number)

    assert (small_candidates, large_candidates) == (6, 30)
    assert small == large <= 8


def test_a_lawyer_who_declined_the_case_is_not_proposed_again_and_is_shown_excluded(app):
    from mediation.lawyers.services import case_assign_lawyer, lawyer_decline
    from mediation.web.commit import commit

    case = make_case("referred", region="220102")
    lawyer = case.lawyer
    lawyer_decline(case=case, actor=lawyer, expected_version=None, reason="与被申请人有业务往来")
    commit()
    with force_locale("en"):
        proposal = propose_lawyers(case=case, venue=case.venue, on_date=today())
    assert lawyer.id not in [c.lawyer.id for c in proposal.ranked]
    [excluded] = [c for c in proposal.excluded if c.lawyer.id == lawyer.id]
    assert "Declined this case." in excluded.exclusions
    with pytest.raises(ValidationFailed) as refused, force_locale("en"):  # nor assigned again by hand
        case_assign_lawyer(case=case, actor=case.mediator, lawyer=lawyer, expected_version=None, reason="再试")
    assert "Declined this case." in " ".join(refused.value.field_errors["lawyer_id"])
