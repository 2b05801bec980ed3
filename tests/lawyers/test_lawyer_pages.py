"""The lawyers' pages through the test client: the workroom, supervision, a venue's week and its
roster forms, assigning a lawyer to a case, and booking and declining on the case's action pages."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.selectors import week_of
from mediation.lawyers.services import case_assign_lawyer, conflict_declare
from mediation.models import Case, DutyRoster, MediationSession, RosterException, User
from tests.cases.unchanged import row_counts
from tests.factories import credit_code, make_case, make_user, make_venue
from tests.lawyers.factories import lawyer_rows, make_lawyer, new_case, on_roster, roster_change
from tests.web.conftest import events_of, follow, page, reload_case, sync


class _Tables(HTMLParser):
    """The text of every cell (td, li) of the element with a given id, row by row."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.rows, self._cell = element_id, 0, [], None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if self.depth:
            self.depth += tag not in ("input", "br")
            if tag in ("tr", "li") and self.depth:
                self.rows.append([] if tag == "tr" else [""])
                self._cell = None if tag == "tr" else 0
            elif tag == "td":
                self.rows[-1].append("")
                self._cell = len(self.rows[-1]) - 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):  # noqa: ANN001
        if self.depth and tag not in ("input", "br"):
            self.depth -= 1

    def handle_data(self, data):  # noqa: ANN001
        if self.depth and self._cell is not None and self.rows:
            self.rows[-1][self._cell] += data

    @classmethod
    def read(cls, html: str, element_id: str) -> list[list[str]]:
        reader = cls(element_id)
        reader.feed(html)
        return [[" ".join(cell.split()) for cell in row] for row in reader.rows if row]


def cells(html: str, element_id: str) -> list[list[str]]:
    return _Tables.read(html, element_id)


def text_of(html: str, element_id: str) -> str:
    return " | ".join(" ".join(row) for row in cells(html, element_id))


def planned_day() -> dt.date:
    """A working day two weeks ahead (a rostered lawyer is off duty on a rest day: sessions.py)."""
    return next_working_day(today() + dt.timedelta(days=13))


@pytest.fixture
def region(app):
    """A mediator of 长春 and a workroom there."""
    return make_user("mediator", "220100"), make_venue("220100", name="南关法院工作室")


def assign(case: Case, mediator, lawyer) -> None:
    case_assign_lawyer(case=case, actor=mediator, lawyer=lawyer, expected_version=None, follow_proposal=False)
    db.session.commit()


def scheduled(case: Case, lawyer, venue, on: dt.date, starts: int, recorder) -> None:
    """A booked session written directly: some fall in the past, which the service refuses."""
    db.session.add(MediationSession(case_id=case.id, held_on=on, status="scheduled", starts_at=dt.time(starts),
                                    ends_at=dt.time(starts + 1), lawyer_id=lawyer.id, venue_id=venue.id,
                                    recorded_by_id=recorder.id))
    db.session.commit()


# --- the workroom ------------------------------------------------------------------------------

def test_the_workroom_shows_todays_and_this_weeks_sessions_and_open_cases_overdue_first(region, signed_in):
    mediator, venue = region
    lawyer = make_lawyer(name="王律师")
    on_time = make_case("mediating", mediator=mediator, lawyer=lawyer, venue=venue,
                        started_on=today() - dt.timedelta(days=1))
    waiting = new_case(mediator, venue=venue, lawyer=lawyer)
    overdue = make_case("mediating", mediator=mediator, lawyer=lawyer, venue=venue,
                        started_on=today() - dt.timedelta(days=29))
    make_case("closed", mediator=mediator, lawyer=lawyer, venue=venue)
    someone_elses = make_case("mediating", mediator=mediator, lawyer=make_lawyer(), venue=venue)
    monday, _sunday = week_of(today())
    other_day = monday if today() != monday else monday + dt.timedelta(days=1)
    scheduled(on_time, lawyer, venue, today(), 9, mediator)
    scheduled(waiting, lawyer, venue, other_day, 14, mediator)
    scheduled(overdue, lawyer, venue, today() + dt.timedelta(days=7), 10, mediator)  # next week
    scheduled(someone_elses, someone_elses.lawyer, venue, today(), 11, mediator)
    _user, browser = signed_in(user=lawyer)

    result = page(browser.get("/workroom"))

    assert result.status == 200
    assert text_of(result.text, "today-sessions") == f"09:00–10:00 · 南关法院工作室 · {on_time.number}"
    week = text_of(result.text, "week-sessions")
    assert on_time.number in week and waiting.number in week and other_day.isoformat() in week
    assert overdue.number not in week and someone_elses.number not in week
    numbers = [row[0] for row in cells(result.text, "my-cases")]
    assert numbers == [overdue.number, on_time.number, waiting.number]


@pytest.mark.parametrize("role", ["mediator", "supervisor", "admin"])
def test_the_workroom_is_only_for_lawyers(app, signed_in, role):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/workroom").status_code == 403


# --- supervision -------------------------------------------------------------------------------

@pytest.fixture
def two_prefectures(region):
    """Open cases in 长春 (two lawyers, one case overdue, one referred case with no lawyer) and in
    延边 (one lawyer, one referred case with no lawyer)."""
    mediator, venue = region
    busy, idle = make_lawyer(name="忙律师"), make_lawyer(name="闲律师")
    make_case("mediating", mediator=mediator, lawyer=busy, venue=venue, started_on=today() - dt.timedelta(days=29))
    make_case("referred", mediator=mediator, lawyer=busy, venue=venue)
    make_case("referred", mediator=mediator, lawyer=idle, venue=venue)
    make_case("closed", mediator=mediator, lawyer=idle, venue=venue)
    changchun = new_case(mediator, venue=venue)
    yanbian_mediator, yanbian_venue = make_user("mediator", "222400"), make_venue("222400", name="延吉法院工作室")
    make_case("referred", region="222401", mediator=yanbian_mediator, lawyer=make_lawyer("222400", name="延边律师"),
              venue=yanbian_venue)
    yanbian = new_case(yanbian_mediator, venue=yanbian_venue, region="222401")
    return changchun, yanbian


def test_supervision_shows_the_supervisors_region_only(two_prefectures, signed_in):
    changchun, yanbian = two_prefectures
    _user, browser = signed_in("supervisor", "220100")

    result = page(browser.get("/supervision"))

    assert result.status == 200
    assert cells(result.text, "per-lawyer") == [
        ["忙律师", "Changchun City", "2", "1"], ["闲律师", "Changchun City", "1", "0"]]
    assert cells(result.text, "per-venue") == [["南关法院工作室", "4"]]
    assert [row[0] for row in cells(result.text, "without-lawyer")] == [changchun.number]
    assert yanbian.number not in result.text and "延边律师" not in result.text


def test_a_yanbian_supervisor_sees_yanbian(two_prefectures, signed_in):
    changchun, yanbian = two_prefectures
    _user, browser = signed_in("supervisor", "222400")
    result = page(browser.get("/supervision"))
    assert [row[0] for row in cells(result.text, "without-lawyer")] == [yanbian.number]
    assert [row[0] for row in cells(result.text, "per-lawyer")] == ["延边律师"]
    assert changchun.number not in result.text


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_supervision_is_not_for_case_workers(app, signed_in, role):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/supervision").status_code == 403


# --- a venue's week and its roster -------------------------------------------------------------

def test_the_week_shows_the_rostered_lawyers_on_their_weekdays(region, signed_in):
    _mediator, venue = region
    monday, _sunday = week_of(planned_day())
    tuesday, thursday, saturday = (make_lawyer(name=n) for n in ("周二律师", "周四律师", "加班律师"))
    on_roster(tuesday, venue, 1)
    on_roster(thursday, venue, 3)
    roster_change(thursday, venue, monday + dt.timedelta(days=3), "leave")
    roster_change(saturday, venue, monday + dt.timedelta(days=5), "extra")
    on_roster(make_lawyer(name="别处律师"), make_venue("220100"), 1)
    expected = [[], ["周二律师"], [], [], [], ["加班律师"], []]

    for role in ("mediator", "lawyer", "supervisor"):
        _user, browser = signed_in(role, "220100")
        result = page(browser.get(f"/venues/{venue.id}/week?week={monday.isoformat()}"))
        assert result.status == 200
        (days,) = cells(result.text, "venue-week")
        assert [day.split() for day in days] == expected, role


def test_the_weekdays_are_named_in_the_pages_language(region, signed_in):
    """From Babel's locale data: the week's columns and the roster form's choices."""
    _mediator, venue = region
    _user, browser = signed_in("admin", "220100")
    for query, names in (("?lang=zh", "星期一 星期二 星期三 星期四 星期五 星期六 星期日"),
                         ("?lang=en", "Monday Tuesday Wednesday Thursday Friday Saturday Sunday")):
        result = page(browser.get(f"/venues/{venue.id}/week{query}"))
        header = re.search(r'id="venue-week">\s*<thead>(.*?)</thead>', result.text, re.S).group(1)
        assert re.findall(r"<th>([^<]+)<br>", header) == names.split()
        choices = re.search(r'<select[^>]*name="roster-weekday"[^>]*>(.*?)</select>', result.text, re.S).group(1)
        assert re.findall(r">([^<]+)</option>", choices) == names.split()


def test_a_venue_outside_the_users_region_is_not_found(app, signed_in):
    yanbian = make_venue("222400")
    _user, browser = signed_in("mediator", "220100")
    assert browser.get(f"/venues/{yanbian.id}/week").status_code == 404


@pytest.fixture
def roster_page(region, signed_in):
    """(venue, lawyer, post): post(role, kind, **fields) sends a roster or exception form."""
    _mediator, venue = region
    lawyer = make_lawyer()
    browsers = {}

    def post(role: str, form: str, **fields):
        if role not in browsers:
            browsers[role] = signed_in(role, "220000" if role == "admin" else "220100")[1]
        if form == "roster":
            data = {"roster-lawyer_id": str(lawyer.id), "roster-weekday": "2",
                    "roster-starts_on": today().isoformat(), "roster-ends_on": ""}
        else:
            data = {"exception-lawyer_id": str(lawyer.id), "exception-on_date": planned_day().isoformat(),
                    "exception-kind": "leave", "exception-note": "出庭"}
        data.update({f"{form}-{name}": value for name, value in fields.items()})
        path = "roster" if form == "roster" else "exceptions"
        return browsers[role], browsers[role].post(f"/venues/{venue.id}/{path}", data=data)

    return venue, lawyer, post


@pytest.mark.parametrize("kind, model", [("roster", DutyRoster), ("exception", RosterException)])
def test_an_admin_edits_the_roster_through_the_form(roster_page, kind, model):
    _venue, lawyer, post = roster_page
    browser, response = post("admin", kind)
    assert response.status_code == 302
    assert "The roster has been updated." in follow(browser, response).alerts
    sync()
    assert [row.lawyer_id for row in db.session.scalars(select(model))] == [lawyer.id]


@pytest.mark.parametrize("kind", ["roster", "exception"])
def test_a_mediator_may_not_edit_the_roster(roster_page, kind):
    _venue, _lawyer, post = roster_page
    before = lawyer_rows()
    assert post("mediator", kind)[1].status_code == 403
    sync()
    assert lawyer_rows() == before


BAD_FORMS = [
    ("an end before the start", "roster", {"starts_on": "2030-03-10", "ends_on": "2030-03-09"}, "roster-ends_on"),
    ("an impossible start date", "roster", {"starts_on": "2030-02-30"}, "roster-starts_on"),
    ("no start date", "roster", {"starts_on": ""}, "roster-starts_on"),
    ("an impossible end date", "roster", {"ends_on": "2030-13-01"}, "roster-ends_on"),
    ("an impossible date", "exception", {"on_date": "2030-02-30"}, "exception-on_date"),
    ("no date", "exception", {"on_date": ""}, "exception-on_date"),
    ("an unknown kind", "exception", {"kind": "holiday"}, "exception-kind"),
]


@pytest.mark.parametrize("kind, fields, invalid", [row[1:] for row in BAD_FORMS], ids=[row[0] for row in BAD_FORMS])
def test_bad_roster_forms_are_refused_naming_the_field(roster_page, kind, fields, invalid):
    _venue, _lawyer, post = roster_page
    before = lawyer_rows()
    result = page(post("admin", kind, **fields)[1])
    assert result.status == 400
    assert invalid in result.invalid, result.messages
    sync()
    assert lawyer_rows() == before


# --- assigning a lawyer to a case ---------------------------------------------------------------

@pytest.fixture
def korean_case(region):
    """A referred Korean-speaking case with three lawyers: one on duty who speaks Korean, one
    who does not, and one with a declared conflict with the employer."""
    mediator, venue = region
    case = new_case(mediator, venue=venue, language="ko")
    first = make_lawyer(name="金律师", languages=("zh", "ko"), specialties=("wages",))
    on_roster(first, venue, planned_day().weekday())
    second = make_lawyer(name="张律师")
    conflicted = make_lawyer(name="李律师")
    conflict_declare(actor=conflicted, lawyer=conflicted, employer_uscc=case.employer.uscc)
    db.session.commit()
    return mediator, case, first, second, conflicted


def assign_form(case: Case, lawyer, **overrides) -> dict[str, str]:
    return {"version": str(case.version), "lawyer_id": str(lawyer.id), "on_date": planned_day().isoformat(),
            "reason": "", **overrides}


def test_the_mediator_sees_the_proposal_with_its_reasons_and_the_excluded(korean_case, signed_in):
    mediator, case, first, second, _conflicted = korean_case
    _user, browser = signed_in(user=mediator)

    result = page(browser.get(f"/cases/{case.number}/lawyer?on_date={planned_day().isoformat()}"))

    assert result.status == 200
    assert re.findall(r'class="proposal-row" data-lawyer="(\d+)"', result.text) == [str(first.id), str(second.id)]
    rows = cells(result.text, "proposal")
    assert rows[0][2].startswith("金律师") and rows[1][2].startswith("张律师")
    assert f"On duty at this venue on {planned_day().isoformat()}" in rows[0][3]
    assert "Same region" in rows[0][3] and "Speaks Korean" in rows[0][3] and "Specialty: Unpaid wages" in rows[0][3]
    assert "Not on duty that day" in rows[1][3] and "Speaks Korean" not in rows[1][3]
    assert text_of(result.text, "excluded") == "李律师: Declared a conflict of interest with this employer."


def test_posting_the_first_proposal_assigns_it(korean_case, signed_in):
    mediator, case, first, _second, _conflicted = korean_case
    _user, browser = signed_in(user=mediator)

    response = browser.post(f"/cases/{case.number}/lawyer", data=assign_form(case, first))

    assert response.status_code == 302
    assert "The lawyer has been assigned." in follow(browser, response).alerts
    assert reload_case(case).lawyer_id == first.id
    assert events_of(case)[-1] == "assign_lawyer"


@pytest.mark.parametrize("chosen, overrides, status, invalid", [
    ("second", {}, 400, "reason"),
    ("second", {"reason": " "}, 400, "reason"),
    ("first", {"version": "0"}, 409, None),
    ("first", {"lawyer_id": "abc"}, 400, None),
], ids=["another without a reason", "another with a blank reason", "a stale version", "not a lawyer id"])
def test_a_bad_assignment_is_refused_and_nothing_written(korean_case, signed_in, chosen, overrides, status, invalid):
    mediator, case, first, second, _conflicted = korean_case
    _user, browser = signed_in(user=mediator)
    sync()
    before = row_counts()

    result = page(browser.post(f"/cases/{case.number}/lawyer",
                               data=assign_form(case, first if chosen == "first" else second, **overrides)))

    assert result.status == status
    if invalid:
        assert invalid in result.invalid, result.messages
    assert row_counts() == before and reload_case(case).lawyer_id is None


def test_an_excluded_lawyer_posted_anyway_is_refused_with_the_reason(korean_case, signed_in):
    mediator, case, _first, _second, conflicted = korean_case
    _user, browser = signed_in(user=mediator)
    result = page(browser.post(f"/cases/{case.number}/lawyer", data=assign_form(
        case, conflicted, reason="当事人要求", region_override="y")))
    assert result.status == 400 and "Declared a conflict of interest" in result.text
    assert reload_case(case).lawyer_id is None


def test_an_outside_lawyer_is_assigned_with_the_override_and_then_sees_the_case(korean_case, signed_in):
    mediator, case, _first, _second, _conflicted = korean_case
    outside = make_lawyer("222400", name="朴律师", languages=("ko",))
    _user, lawyer_browser = signed_in(user=outside)
    assert lawyer_browser.get(f"/cases/{case.number}").status_code == 404
    _user, browser = signed_in(user=mediator)

    no_override = page(browser.post(f"/cases/{case.number}/lawyer", data=assign_form(case, outside, reason="懂朝鲜语")))
    assert no_override.status == 400 and "works outside the case" in no_override.text
    response = browser.post(f"/cases/{case.number}/lawyer",
                            data=assign_form(case, outside, reason="懂朝鲜语", region_override="y"))

    assert response.status_code == 302 and reload_case(case).lawyer_id == outside.id
    assert events_of(case)[-1] == "assign_lawyer"
    assert lawyer_browser.get(f"/cases/{case.number}").status_code == 200
    assert case.number in lawyer_browser.get("/workroom").get_data(as_text=True)


@pytest.mark.parametrize("role", ["lawyer", "supervisor"])
def test_only_mediators_and_admins_open_the_assign_page(korean_case, signed_in, role):
    _mediator, case, _first, _second, _conflicted = korean_case
    _user, browser = signed_in(role, "220100")
    assert browser.get(f"/cases/{case.number}/lawyer").status_code == 403


# --- booking a session and declining, on the case's action pages -------------------------------

@pytest.fixture
def assigned(region):
    """A referred case whose lawyer is on duty at its venue on the planned day."""
    mediator, venue = region
    lawyer = make_lawyer(name="赵律师")
    on_roster(lawyer, venue, planned_day().weekday())
    case = new_case(mediator, venue=venue)
    assign(case, mediator, lawyer)
    return mediator, lawyer, case


def schedule_form(case: Case, starts: str, ends: str, on: dt.date | None = None, reason: str = "") -> dict:
    return {"version": str(reload_case(case).version), "on_date": (on or planned_day()).isoformat(),
            "starts_at": starts, "ends_at": ends, "override_reason": reason}


def test_the_mediator_books_sessions_through_the_form(assigned, signed_in):
    mediator, lawyer, case = assigned
    _user, browser = signed_in(user=mediator)
    assert page(browser.get(f"/cases/{case.number}/schedule")).status == 200

    response = browser.post(f"/cases/{case.number}/schedule", data=schedule_form(case, "09:00", "11:00"))
    assert response.status_code == 302
    assert "The session has been booked." in follow(browser, response).alerts

    clash = page(browser.post(f"/cases/{case.number}/schedule", data=schedule_form(case, "10:00", "12:00")))
    assert clash.status == 400 and "starts_at" in clash.invalid
    assert "already booked from 09:00 to 11:00" in clash.messages

    off_day = planned_day() + dt.timedelta(days=1)
    refused = page(browser.post(f"/cases/{case.number}/schedule", data=schedule_form(case, "09:00", "10:00", off_day)))
    assert refused.status == 400 and "override_reason" in refused.invalid

    response = browser.post(f"/cases/{case.number}/schedule",
                            data=schedule_form(case, "09:00", "10:00", off_day, reason="法院临时安排"))
    assert response.status_code == 302
    sync()
    sessions = db.session.scalars(select(MediationSession).order_by(MediationSession.held_on)).all()
    assert [(s.held_on, s.lawyer_id, s.duty_override) for s in sessions] == [
        (planned_day(), lawyer.id, ""), (off_day, lawyer.id, "法院临时安排")]
    assert events_of(case)[-2:] == ["schedule", "schedule"]


def test_the_assigned_lawyer_declines_through_the_form(assigned, signed_in):
    _mediator, lawyer, case = assigned
    _user, browser = signed_in(user=lawyer)
    assert page(browser.get(f"/cases/{case.number}/decline")).status == 200

    no_reason = page(browser.post(f"/cases/{case.number}/decline", data={"version": str(case.version), "reason": ""}))
    assert no_reason.status == 400 and "reason" in no_reason.invalid
    assert reload_case(case).lawyer_id == lawyer.id

    response = browser.post(f"/cases/{case.number}/decline", data={"version": str(case.version), "reason": "利益冲突"})
    assert response.status_code == 302
    assert "You have declined the case." in follow(browser, response).alerts
    assert reload_case(case).lawyer_id is None
    assert events_of(case)[-1] == "decline"
    assert browser.get(f"/cases/{case.number}/decline").status_code == 403  # no longer theirs


def test_another_lawyer_cannot_decline(assigned, signed_in):
    _mediator, lawyer, case = assigned
    _user, browser = signed_in("lawyer", "220100")
    response = browser.post(f"/cases/{case.number}/decline", data={"version": str(case.version), "reason": "不想"})
    assert response.status_code == 403
    assert reload_case(case).lawyer_id == lawyer.id


# --- profiles, conflicts and removing a roster entry ------------------------------------------

def lawyer_form(**overrides) -> dict:
    return {"username": "new_lawyer", "full_name": "新律师", "region_code": "220100",
            "password": "correct-horse-battery", "law_firm": "吉林正义律师事务所", "licence_no": "12201201512345678",
            "phone": "", "languages": ["zh", "ko"], "specialties": ["wages"], **overrides}


@pytest.mark.parametrize("overrides, status, invalid", [
    ({}, 302, None),
    ({"licence_no": "taken"}, 400, "licence_no"),
    ({"licence_no": "1220120151234567"}, 400, "licence_no"),
    ({"licence_no": "122012015123456789"}, 400, "licence_no"),
    ({"languages": []}, 400, "Choose at least one language."),  # shown under the checkboxes
], ids=["a new lawyer", "a licence number already registered", "16 digits", "18 digits", "no language"])
def test_an_admin_registers_a_lawyer_through_the_form(app, signed_in, overrides, status, invalid):
    """`invalid`: the field marked invalid, or the message shown under it."""
    existing = make_lawyer()
    if overrides.get("licence_no") == "taken":
        overrides = {**overrides, "licence_no": existing.lawyer_profile.licence_no}  # not the shared dict
    _user, browser = signed_in("admin", "220000")
    sync()
    before = {**row_counts(), **lawyer_rows()}

    result = page(browser.post("/lawyers/new", data=lawyer_form(**overrides)))

    assert result.status == status
    if invalid:
        assert invalid in result.invalid or invalid in result.feedback, result.messages
        assert {**row_counts(), **lawyer_rows()} == before
    else:
        sync()
        profile = db.session.scalars(select(User).where(User.username == "new_lawyer")).one().lawyer_profile
        assert (profile.languages, profile.specialties) == (["zh", "ko"], ["wages"])


@pytest.mark.parametrize("role, listing, new_form", [
    ("admin", 200, 200), ("supervisor", 200, 403), ("mediator", 403, 403), ("lawyer", 403, 403)])
def test_who_sees_the_lawyers(app, signed_in, role, listing, new_form):
    make_lawyer(name="列表律师")
    _user, browser = signed_in(role, "220000" if role == "admin" else "220100")
    response = browser.get("/lawyers")
    assert response.status_code == listing
    if listing == 200:
        assert "列表律师" in response.get_data(as_text=True)
    assert browser.get("/lawyers/new").status_code == new_form


def test_a_lawyer_declares_a_conflict_from_the_workroom(app, signed_in):
    lawyer = make_lawyer()
    _user, browser = signed_in(user=lawyer)

    bad = page(browser.post(f"/lawyers/{lawyer.id}/conflicts", data={"employer_uscc": "12345", "note": ""}))
    assert bad.status == 400 and "employer_uscc" in bad.invalid
    response = browser.post(f"/lawyers/{lawyer.id}/conflicts", data={"employer_uscc": credit_code(), "note": "顾问"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/workroom")
    sync()
    assert lawyer_rows()["ConflictDeclaration"] == 1
    other = make_lawyer()
    assert browser.post(f"/lawyers/{other.id}/conflicts", data={"employer_uscc": credit_code()}).status_code == 403


@pytest.mark.parametrize("role, venue_of_entry, status, left", [
    ("admin", "same", 302, 0), ("mediator", "same", 403, 1), ("admin", "other", 404, 1)])
def test_removing_a_roster_entry(region, signed_in, role, venue_of_entry, status, left):
    _mediator, venue = region
    entry = on_roster(make_lawyer(), venue if venue_of_entry == "same" else make_venue("220100"), 0)
    _user, browser = signed_in(role, "220000" if role == "admin" else "220100")
    assert browser.post(f"/venues/{venue.id}/roster/{entry.id}/delete").status_code == status
    sync()
    assert lawyer_rows()["DutyRoster"] == left
