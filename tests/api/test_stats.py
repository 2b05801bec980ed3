"""Recovery statistics through the API: the page's figures, scoped like the page."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Region
from mediation.stats.figures import StatsFilters
from mediation.stats.period import custom
from mediation.stats.report import build
from tests.api.conftest import assert_problem, field_errors
from tests.factories import make_case

START, END = today() - dt.timedelta(days=60), today()
PERIOD = f"from={START.isoformat()}&to={END.isoformat()}"


def _recovery(client, query: str = ""):  # noqa: ANN001, ANN202
    return client.get(f"/api/v1/stats/recovery?{PERIOD}{'&' + query if query else ''}")


def test_the_total_and_one_row_per_child_region(api):
    make_case("closed", region="220102")
    make_case("intake", region="222401")
    _user, client = api("supervisor", "220000")
    response = _recovery(client)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["region_code"] == "220000" and body["from"] == START.isoformat() and body["to"] == END.isoformat()
    rows = {row["region_code"]: row for row in body["rows"]}
    assert "220100" in rows and "222400" in rows
    assert rows["220100"]["cases_received"] == 1 and rows["220100"]["cases_settled"] == 1
    assert rows["220100"]["claimed"] == "12000.00" and rows["220100"]["agreed"] == "12000.00"
    assert rows["220100"]["recovered"] == "12000.00"
    assert rows["222400"]["cases_received"] == 1 and rows["222400"]["recovered"] == "0.00"
    assert body["total"]["cases_received"] == 2 and body["total"]["recovered"] == "12000.00"
    for field in ("cases_received", "cases_settled"):
        assert sum(row[field] for row in body["rows"]) == body["total"][field]


def test_the_figures_are_the_statistics_pages(api):
    make_case("closed", region="220102")
    make_case("settled", region="220103")
    make_case("failed", region="220102")
    _user, client = api("supervisor", "220100")
    body = _recovery(client, "region=220100").get_json()
    region = db.session.get(Region, "220100")
    report = build(StatsFilters(period=custom(START, END), region="220100"), region)
    assert body["total"]["cases_received"] == report.total.counts["received"]
    assert body["total"]["cases_failed"] == report.total.counts["failed"] == 1
    assert body["total"]["agreed"] == "24000.00" == f"{report.total.amounts['agreed'] / 100:.2f}"
    assert [row["region_code"] for row in body["rows"]] == [row.region.code for row in report.rows]


def test_the_filters_narrow_the_figures(api):
    make_case("closed", region="220102")
    _user, client = api("supervisor", "220100")
    assert _recovery(client, "channel=court").get_json()["total"]["cases_received"] == 1
    assert _recovery(client, "channel=hr").get_json()["total"]["cases_received"] == 0
    assert _recovery(client, "kind=severance").get_json()["total"]["cases_received"] == 0
    assert _recovery(client, "kind=wages").get_json()["total"]["cases_received"] == 1


def test_a_region_outside_the_subtree_is_not_found(api):
    make_case("closed", region="222401")
    _user, client = api("supervisor", "220100")
    assert_problem(_recovery(client, "region=222400"), 404, "not_found")
    assert_problem(_recovery(client, "region=220000"), 404, "not_found")
    assert _recovery(client).get_json()["region_code"] == "220100"  # the home region by default


@pytest.mark.parametrize("query, field", [
    ("from=2026-02-01&to=2026-01-01", "to"), ("from=2026-02-30&to=2026-03-01", "from"),
    ("from=yesterday&to=2026-03-01", "from"), ("to=2026-03-01", "from"), ("from=2026-01-01", "to"),
    ("from=2000-01-01&to=2026-01-01", "to"),
])
def test_bad_periods_are_named(api, query, field):
    _user, client = api("supervisor", "220100")
    assert field in field_errors(client.get(f"/api/v1/stats/recovery?{query}"))


@pytest.mark.parametrize("query, field", [
    ("region=999999", "region"), ("channel=mail", "channel"), ("kind=bonus", "kind"), ("venue=x", "venue"),
    ("venue=999999", "venue"), ("region=" + "2" * 7, "region"),
])
def test_bad_filters_are_named(api, query, field):
    _user, client = api("supervisor", "220100")
    assert field in field_errors(_recovery(client, query))


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_only_supervisors_and_admins_read_the_statistics(api, role):
    _user, client = api(role, "220100")
    assert_problem(_recovery(client), 403, "forbidden")
    _admin, admin = api("admin", "220100")
    assert _recovery(admin).status_code == 200
