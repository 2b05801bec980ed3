"""The employer risk register: its counts and ranking (across all regions), its page and CSV
(supervisors and administrators only), and what it must not show a supervisor of one region."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from mediation.cases.intake import case_intake
from mediation.common.spreadsheet import safe_cell
from mediation.common.timeutil import today
from mediation.enforcement.services import judicial_confirmation_apply
from mediation.extensions import db
from mediation.models import Case, Employer, Region, User
from mediation.risk import queries
from mediation.risk import views as risk_views
from mediation.stats import period as periods
from tests.factories import credit_code, intake_input, make_case, make_user
from tests.web.conftest import page

QUARTER = periods.quarter(2025, 2)  # 2025-04-01 .. 2025-06-30
RECEIVED = dt.date(2025, 5, 10)
DUE = dt.date(2025, 5, 20)  # the installments of the cases made to default
APPLIED = dt.date(2025, 6, 2)  # the enforcement paths applied for
CLAIM_FEN = 1_200_000  # intake_input claims 12,000.00 yuan per worker
QUERY = {"kind": "quarter", "period": QUARTER.key}


# --- building cases for chosen employers, on chosen dates ------------------------------------

def employer(uscc: str, name: str = "") -> Employer:
    found = db.session.scalar(select(Employer).where(Employer.uscc == uscc))
    if found is None:
        found = Employer(uscc=uscc, name=name or uscc)
        db.session.add(found)
        db.session.flush()
    return found


_mediators: dict[str, User] = {}  # per test: one mediator per region


@pytest.fixture(autouse=True)
def _fresh_mediators():
    _mediators.clear()
    yield
    _mediators.clear()


def intake(region: str, uscc: str, *, received_on: dt.date = RECEIVED, workers: int = 1) -> Case:
    """A case just taken in, by a mediator of its own region, for the employer `uscc`."""
    mediator = _mediators.get(region)
    if mediator is None:
        mediator = _mediators[region] = make_user("mediator", region)
    case, _warnings = case_intake(actor=mediator, data=intake_input(
        region=region, workers=workers, received_on=received_on, employer_uscc=uscc))
    db.session.commit()
    return case


def walked(state: str, region: str, uscc: str, *, received_on: dt.date = RECEIVED, workers: int = 1) -> Case:
    """A case walked by the factory to `state`, then moved to the employer `uscc` and onto the
    test's dates: received on `received_on`, installments due on DUE, paths applied on APPLIED."""
    case = make_case(state, region=region, workers=workers)
    case.employer_id = employer(uscc).id
    case.received_on = received_on
    for installment in case.installments:
        installment.due_on = DUE
    for path in case.enforcement_paths:
        path.applied_on = APPLIED
    db.session.commit()
    return case


def rename(names: dict[str, str]) -> None:
    """The intake names every employer alike: give each the test's name."""
    for uscc, name in names.items():
        employer(uscc).name = name
    db.session.commit()


@dataclass
class Register:
    usccs: dict[str, str]
    names: dict[str, str]
    cases: dict[str, Case] = field(default_factory=dict)


@pytest.fixture
def register(app) -> Register:
    """Seven employers in 2025-Q2 (A to G), in Changchun (220102, 220104), Yanbian (222401) and
    Meihekou (220581, a prefecture-level region whose code starts with Tonghua's 2205).

    A: a defaulted case (2 workers, 220102) and an enforcing one (222401): 2 disputes, 2 defaults.
    B: 3 cases taken in (220102, 220104, 220581), and a case received in Q1 whose installment
       fell due unpaid in Q2: 3 disputes, 1 default.
    C: 2 cases taken in and a closed one (paid in full although due in Q2): 3 disputes, 3 workers.
    D: 3 disputes with 5 workers (one in Yanbian).
    E, F: one dispute and one worker each (ranked by credit code); E also had a case in Q3.
    G: only a Q1 case that defaulted in Q2: no dispute in the period, so not listed.
    """
    usccs = {key: credit_code() for key in "ABCDEFG"}
    names = {"A": "吉林甲建筑有限公司", "B": "长春乙劳务有限公司", "C": "=SUM(1+1)", "D": "@联合劳务",
             "E": "+E 商贸", "F": "-F 物流", "G": "庚食品有限公司"}
    reg = Register(usccs, names)
    u = usccs
    reg.cases["a1"] = walked("defaulted", "220102", u["A"], workers=2)
    reg.cases["a2"] = walked("enforcing", "222401", u["A"])
    reg.cases["b1"] = intake("220102", u["B"])
    reg.cases["b2"] = intake("220104", u["B"])
    reg.cases["b3"] = intake("220581", u["B"])
    reg.cases["b4"] = walked("defaulted", "220102", u["B"], received_on=dt.date(2025, 2, 10))
    reg.cases["c1"] = intake("220102", u["C"])
    reg.cases["c2"] = intake("220102", u["C"])
    reg.cases["c3"] = walked("closed", "220102", u["C"])
    reg.cases["d1"] = intake("220102", u["D"], workers=3)
    reg.cases["d2"] = intake("222401", u["D"])
    reg.cases["d3"] = intake("220104", u["D"])
    reg.cases["e1"] = intake("220102", u["E"])
    reg.cases["e2"] = intake("220102", u["E"], received_on=dt.date(2025, 7, 1))
    reg.cases["f1"] = intake("222401", u["F"])
    reg.cases["g1"] = walked("defaulted", "220102", u["G"], received_on=dt.date(2025, 3, 1))
    rename(dict(zip((u[k] for k in names), names.values(), strict=True)))
    return reg


def expected_order(reg: Register) -> list[str]:
    u = reg.usccs
    return [u["A"], u["B"], u["D"], u["C"], *sorted([u["E"], u["F"]])]


# --- the query --------------------------------------------------------------------------------

def test_ranking_and_counts_across_all_regions(register):
    u = register.usccs
    changchun = db.session.get(Region, "220100")
    rows = queries.employer_risk(QUARTER, region=changchun)
    assert [row.uscc for row in rows] == expected_order(register)
    by = {row.uscc: row for row in rows}
    assert [row.rank for row in rows] == list(range(1, 7))

    a, b, c, d = by[u["A"]], by[u["B"]], by[u["C"]], by[u["D"]]
    # The enforcing case is overdue AND applied for enforcement in the period: one default.
    assert (a.disputes, a.defaults, a.workers, a.in_region, a.regions) == (2, 2, 3, 1, 2)
    assert a.name == "吉林甲建筑有限公司" and a.claimed_fen == 3 * CLAIM_FEN
    # The Q1 case defaults in Q2 without being a dispute of Q2; Meihekou is a prefecture of its own.
    assert (b.disputes, b.defaults, b.workers, b.in_region, b.regions) == (3, 1, 3, 2, 2)
    assert b.claimed_fen == 3 * CLAIM_FEN
    # Paid in full: no default, even though its installment fell due in the period.
    assert (c.disputes, c.defaults, c.workers, c.in_region, c.regions) == (3, 0, 3, 3, 1)
    assert (d.disputes, d.defaults, d.workers, d.in_region, d.regions) == (3, 0, 5, 2, 2)
    assert d.claimed_fen == 5 * CLAIM_FEN
    assert (by[u["E"]].disputes, by[u["F"]].in_region) == (1, 0)  # E's Q3 case is not counted
    assert u["G"] not in by

    # Without a viewer's region nobody is "in region"; a viewer of Yanbian sees its own share.
    assert {row.in_region for row in queries.employer_risk(QUARTER)} == {0}
    def in_region_of(code: str) -> dict[str, int]:
        return {row.uscc: row.in_region for row in queries.employer_risk(QUARTER, region=db.session.get(Region, code))}

    yanbian = in_region_of("222400")
    assert (yanbian[u["A"]], yanbian[u["D"]], yanbian[u["F"]], yanbian[u["B"]]) == (1, 1, 1, 0)
    assert in_region_of("220000") == {row.uscc: row.disputes for row in rows}

    assert queries.employer_risk_count(QUARTER) == 6
    page_two = queries.employer_risk(QUARTER, region=changchun, limit=4, offset=4)
    assert [(row.rank, row.uscc) for row in page_two] == [(5, expected_order(register)[4]),
                                                          (6, expected_order(register)[5])]


def test_an_installment_due_today_is_not_yet_a_default(register):
    u = register.usccs
    on_due_day = {row.uscc: row.defaults for row in queries.employer_risk(QUARTER, today=DUE)}
    assert on_due_day[u["A"]] == 1  # only the enforcement path counts yet
    assert on_due_day[u["B"]] == 0
    next_day = {row.uscc: row.defaults for row in queries.employer_risk(QUARTER, today=DUE + dt.timedelta(days=1))}
    assert (next_day[u["A"]], next_day[u["B"]]) == (2, 1)


def test_a_judicial_confirmation_is_no_default(app):
    """It is applied for within 30 days of the agreement taking effect whether or not anything is
    overdue: only an unpaid installment, a payment order or court enforcement says the employer defaulted."""
    uscc = credit_code()
    case = make_case("effective", region="220102")
    judicial_confirmation_apply(case=case, actor=case.mediator, expected_version=None, applied_on=None,
                                court="长春市朝阳区人民法院")
    db.session.commit()
    case.employer_id, case.received_on = employer(uscc).id, RECEIVED
    for installment in case.installments:
        installment.due_on = dt.date(2025, 9, 30)  # after the quarter, so nothing fell due in it
    for path in case.enforcement_paths:
        path.applied_on = APPLIED
    db.session.commit()
    [row] = queries.employer_risk(QUARTER)
    assert (row.uscc, row.disputes, row.defaults) == (uscc, 1, 0)


def test_other_periods(register):
    u = register.usccs
    assert queries.employer_risk(periods.quarter(2024, 1)) == []
    assert queries.employer_risk_count(periods.quarter(2024, 1)) == 0
    first = {row.uscc: row for row in queries.employer_risk(periods.quarter(2025, 1))}
    # Received in Q1, but their installments fell due in Q2: disputes of Q1, no default of Q1.
    assert set(first) == {u["B"], u["G"]} and {row.defaults for row in first.values()} == {0}
    year = {row.uscc: row for row in queries.employer_risk(periods.year(2025))}
    assert (year[u["B"]].disputes, year[u["B"]].defaults) == (4, 1)
    assert (year[u["E"]].disputes, year[u["G"]].defaults) == (2, 1)
    june = {row.uscc: row.defaults for row in queries.employer_risk(periods.month(2025, 6))}
    assert june == {}  # nothing was received in June


# --- the page ---------------------------------------------------------------------------------

def table(text: str) -> list[dict[str, str]]:
    rows = []
    for uscc, body in re.findall(r'<tr data-uscc="([^"]+)"[^>]*>(.*?)</tr>', text, re.S):
        cells = dict(re.findall(r'data-column="(\w+)"[^>]*>([^<]*)<', body))
        link = re.search(r'<a href="([^"]+)">([^<]*)</a>', body)
        rows.append({"uscc": uscc, **cells, "href": html.unescape(link[1]), "name": html.unescape(link[2])})
    return rows


def test_supervisor_sees_the_ranked_register(register, signed_in):
    u = register.usccs
    _user, browser = signed_in("supervisor", "220100")
    shown = page(browser.get("/risk", query_string=QUERY))
    assert shown.status == 200
    rows = table(shown.text)
    assert [row["uscc"] for row in rows] == expected_order(register)
    a = rows[0]
    assert (a["disputes"], a["in_region"], a["workers"], a["defaults"], a["claimed"], a["regions"]) == (
        "2", "1", "3", "2", "36,000.00", "2")
    by = {row["uscc"]: row for row in rows}
    assert (by[u["C"]]["in_region"], by[u["D"]]["in_region"], by[u["F"]]["in_region"]) == ("3", "2", "0")
    for row in rows:  # each name links to the case list filtered on its credit code
        assert row["href"] == f"/?employer={row['uscc']}"
    assert by[u["C"]]["name"] == "=SUM(1+1)"
    assert 'id="glossary"' in shown.text and "still not paid in full" in shown.text
    assert shown.value("period") == "2025-Q2"


def test_the_link_leads_to_the_viewers_own_cases_only(register, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    listed = page(browser.get(f"/?employer={register.usccs['A']}"))
    assert listed.status == 200
    assert register.cases["a1"].number in listed.case_numbers
    assert register.cases["a2"].number not in listed.text


def test_no_case_of_another_region_reaches_the_page(register, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    for response in (browser.get("/risk", query_string=QUERY), browser.get("/risk.csv", query_string=QUERY),
                     browser.get("/risk", query_string={"kind": "year", "period": "2025"})):
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for key in ("a2", "d2", "f1"):  # the Yanbian cases
            case = register.cases[key]
            assert case.region_code == "222401"
            assert case.number not in text
        assert page(response).case_numbers == []  # the register names no case at all


def test_admin_may_read_it(register, signed_in):
    _user, browser = signed_in("admin", "220000")
    shown = page(browser.get("/risk", query_string=QUERY))
    assert shown.status == 200
    assert [row["in_region"] for row in table(shown.text)] == [
        str(row["disputes"]) for row in table(shown.text)]


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_mediators_and_lawyers_may_not(app, signed_in, role):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/risk").status_code == 403
    assert browser.get("/risk.csv").status_code == 403


def test_signing_in_is_needed(app, client):
    response = client.get("/risk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_current_quarter_by_default(app, signed_in):
    uscc = credit_code()
    intake("220102", uscc, received_on=today())
    _user, browser = signed_in("supervisor", "220100")
    shown = page(browser.get("/risk"))
    assert shown.status == 200
    assert shown.value("period") == periods.containing("quarter", today()).key
    assert [row["uscc"] for row in table(shown.text)] == [uscc]
    month = page(browser.get("/risk", query_string={"kind": "month"}))
    assert month.value("period") == periods.containing("month", today()).key
    assert [row["uscc"] for row in table(month.text)] == [uscc]


@pytest.mark.parametrize(("query", "message"), [
    ({"kind": "quarter", "period": "2025-Q5"}, "Enter a quarter as YYYY-Qn"),
    ({"kind": "month", "period": "2025-Q2"}, "Enter a month as YYYY-MM"),
    ({"kind": "year", "period": "2025-13"}, "Enter a year as YYYY"),
    ({"period": "0000"}, "Enter a month (2026-05), a quarter (2026-Q2) or a year (2026)"),
    ({"period": "2025-01-01..2025-02-01"}, "Enter a month (2026-05)"),
    ({"period": "'; DROP TABLE case_file; --"}, "Enter a month (2026-05)"),
    ({"kind": "decade", "period": "2025"}, "Enter a month (2026-05)"),
])
def test_a_bad_period_is_a_400_with_the_message_under_the_field(app, signed_in, query, message):
    _user, browser = signed_in("supervisor", "220100")
    shown = page(browser.get("/risk", query_string=query))
    assert shown.status == 400
    assert message in shown.messages
    assert shown.invalid & {"kind", "period"}
    assert 'id="risk-table"' not in shown.text
    assert browser.get("/risk.csv", query_string=query).status_code == 400


def test_an_empty_period(app, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    shown = page(browser.get("/risk", query_string={"kind": "year", "period": "2019"}))
    assert shown.status == 200
    assert 'id="risk-empty"' in shown.text and 'id="risk-table"' not in shown.text
    assert browser.get("/risk", query_string={"kind": "year", "period": "2019", "page": "2"}).status_code == 404


def test_pages(app, signed_in, monkeypatch):
    monkeypatch.setattr(risk_views, "PER_PAGE", 2)
    usccs = sorted(credit_code() for _ in range(3))
    for uscc in usccs:
        intake("220102", uscc)
    _user, browser = signed_in("supervisor", "220100")

    def ranks(page_arg: str) -> tuple[int, list[str]]:
        response = browser.get("/risk", query_string={**QUERY, "page": page_arg})
        return response.status_code, [row["uscc"] for row in table(response.get_data(as_text=True))]

    assert ranks("1") == (200, usccs[:2])
    assert ranks("2") == (200, usccs[2:])
    for first in ("0", "-3", "abc", "", "1.5", "²"):
        assert ranks(first) == (200, usccs[:2]), first
    for beyond in ("3", "99", str(10 ** 30)):
        assert ranks(beyond)[0] == 404, beyond
    second = browser.get("/risk", query_string={**QUERY, "page": "2"}).get_data(as_text=True)
    assert "page=1" in second and ">3</td>" in second  # a link back, and the rank runs on


# --- the CSV ----------------------------------------------------------------------------------

def test_csv_download(register, signed_in):
    u = register.usccs
    _user, browser = signed_in("supervisor", "220100")
    response = browser.get("/risk.csv", query_string=QUERY)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params.get("charset") == "utf-8"
    assert "employer-risk-2025-Q2.csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Rank", "Employer", "Unified social credit code", "Disputes", "In your region",
                       "Workers involved", "Defaults", "Claimed (yuan)", "Prefectures", "Open hazards"]
    assert [row[2] for row in rows[1:]] == expected_order(register)
    assert rows[1] == ["1", "吉林甲建筑有限公司", u["A"], "2", "1", "3", "2", "36000.00", "2", "0"]
    names = {row[2]: row[1] for row in rows[1:]}
    # A text cell a spreadsheet would run as a formula starts with a quote instead.
    assert (names[u["C"]], names[u["D"]], names[u["E"]], names[u["F"]]) == (
        "'=SUM(1+1)", "'@联合劳务", "'+E 商贸", "'-F 物流")
    assert names[u["B"]] == "长春乙劳务有限公司"


def test_neutralise():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "a=b", "", 5, -5)] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "a=b", "", 5, -5]
