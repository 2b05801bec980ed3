"""The statistics page through the test client: who may read it, the region scope (no figure of
another prefecture by any filter or URL), the links to the cases behind each figure, bad
filters, and locking a period then correcting a case behind it."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import LockedReport, LockedReportCase
from mediation.settlements.ledger import payment_record
from mediation.stats import period as periods
from mediation.web.commit import commit
from tests.factories import make_case
from tests.web.conftest import page, sync

DAY = dt.timedelta(days=1)


def _figure(html: str, row_id: str, figure: str) -> str:
    row = re.search(rf'<tr[^>]*(?:id="{row_id}"|data-region="{row_id}")[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row {row_id}"
    cell = re.search(rf'<td[^>]*data-figure="{figure}"[^>]*data-value="([^"]*)"', row.group(1))
    assert cell, f"no {figure} in row {row_id}"
    return cell.group(1)


def _link(html: str, row_id: str, figure: str) -> str:
    row = re.search(rf'<tr[^>]*(?:id="{row_id}"|data-region="{row_id}")[^>]*>(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-figure="{figure}"[^>]*><a href="([^"]+)"', row).group(1).replace("&amp;", "&")


@pytest.fixture
def cases(app):
    """Cases in two counties of Changchun and one in Yanbian, received this year."""
    return {"settled": make_case("closed", region="220102"), "failed": make_case("failed", region="220104"),
            "open": make_case("mediating", region="220102"), "yanbian": make_case("closed", region="222401")}


def test_a_supervisor_reads_the_province_with_children_adding_up(cases, signed_in):
    _user, browser = signed_in("supervisor", "220000")
    shown = page(browser.get(f"/statistics?period={today().year}"))
    assert shown.status == 200
    html = shown.text
    assert _figure(html, "total-row", "received") == "4"
    assert _figure(html, "220100", "received") == "3" and _figure(html, "222400", "received") == "1"
    assert _figure(html, "total-row", "recovered") == str(2 * 1_200_000)
    assert _figure(html, "220100", "success_rate") == "0.5"
    assert 'id="chart-regions"' in html and 'id="chart-months"' in html and 'id="glossary"' in html
    assert 'id="lawyer-table"' in html and 'id="venue-table"' in html


def test_each_figure_links_to_the_cases_behind_it(cases, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    html = page(browser.get(f"/statistics?period={today().year}")).text
    listed = page(browser.get(_link(html, "220102", "received")))
    assert listed.status == 200
    assert sorted(listed.case_numbers) == sorted([cases["settled"].number, cases["open"].number])
    failed = page(browser.get(_link(html, "total-row", "failed")))
    assert failed.case_numbers == [cases["failed"].number]
    recovered = page(browser.get(_link(html, "total-row", "recovered")))
    assert recovered.case_numbers == [cases["settled"].number]
    assert "figure-filter" in recovered.text


def test_another_prefecture_is_out_of_reach_by_any_filter_or_url(cases, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    own = page(browser.get(f"/statistics?period={today().year}"))
    assert cases["yanbian"].number not in own.text and _figure(own.text, "total-row", "received") == "3"
    for url in (f"/statistics?region=222400&period={today().year}", "/statistics?region=222401",
                "/statistics?region=220000", f"/statistics.csv?region=222400&period={today().year}",
                "/statistics.xlsx?region=220000", "/statistics.pdf?region=222401"):
        assert browser.get(url).status_code == 404, url
    behind = browser.get(f"/?figure=received&period={today().year}&region=222401")
    assert behind.status_code == 400 and cases["yanbian"].number not in behind.get_data(as_text=True)


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_case_workers_may_not_read_statistics(app, signed_in, role):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/statistics").status_code == 403
    assert browser.get("/statistics/locks").status_code == 403


@pytest.mark.parametrize("query", [
    "period=2026-13", "period=2026-Q5", "period=2026-02-30..2026-03-01", "period=2026-05-01..2026-04-01",
    "period=1900-01-01..2026-01-01", "unit=custom&start=2026-01-01", "unit=month&month=May",
    "channel=fax", "kind=bribes", "venue=abc", "unit=century",
])
def test_bad_filters_are_a_400_naming_the_field(app, signed_in, query):
    _user, browser = signed_in("supervisor", "220100")
    shown = page(browser.get(f"/statistics?{query}"))
    assert shown.status == 400 and shown.feedback, shown.messages


def test_the_default_is_the_current_quarter_and_custom_ranges_work(cases, signed_in):
    _user, browser = signed_in("supervisor", "220000")
    default = page(browser.get("/statistics"))
    quarter = periods.containing("quarter", today())
    assert default.status == 200 and f"{quarter.start.isoformat()} – {quarter.end.isoformat()}" in default.text
    start = (today() - 40 * DAY).isoformat()
    custom = page(browser.get(f"/statistics?unit=custom&start={start}&end={today().isoformat()}"))
    assert custom.status == 200 and _figure(custom.text, "total-row", "received") == "4"


class _Selector(HTMLParser):
    """The period selector as a browser shows it: each control's value, a select's selected
    option (its first when none is marked)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._marked: set[str] = set()

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            if self._select not in self.values or ("selected" in attrs and self._select not in self._marked):
                self.values[self._select] = attrs.get("value") or ""
                if "selected" in attrs:
                    self._marked.add(self._select)

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "select":
            self._select = None


def shown_period(html: str) -> tuple[str, str]:
    """(the unit the selector shows, the key of the period it shows)."""
    form = html.split('id="stats-filters"', 1)[1].split("</form>", 1)[0]
    selector = _Selector()
    selector.feed("<form " + form)
    unit = selector.values["unit"]
    if unit == "custom":
        return unit, f"{selector.values['start']}..{selector.values['end']}"
    return unit, selector.values[unit]


def shown_dates(html: str) -> str:
    return re.search(r'id="stats-scope">[^·]*· ([^<]+)</span>', html).group(1).strip()


@pytest.mark.parametrize("query", [
    "", "unit=quarter", "unit=month", "unit=year", "period=2025", "period=2025-03", "period=2025-Q4",
    "period=2025-01-05..2025-02-20", "unit=month&month=2025-07", "region=220100",
    "period=2010-Q1", "period=2005", "unit=quarter&quarter=2011-Q3",  # older than the choices offered
])
def test_the_period_selector_shows_the_period_the_figures_are_for(app, signed_in, query):
    """On first load the figures were the current quarter's while the selector showed "Month" (the
    first choice) and an empty month: "Show" then gave another period than the one on screen."""
    _user, browser = signed_in("supervisor", "220000")
    shown = page(browser.get(f"/statistics?{query}"))
    assert shown.status == 200
    unit, key = shown_period(shown.text)
    figures_for = periods.parse(key)
    assert f"{figures_for.start.isoformat()} – {figures_for.end.isoformat()}" == shown_dates(shown.text)
    # "Show" with the selector as it stands gives the same period again
    field = {"month": "month", "quarter": "quarter", "year": "year"}.get(unit)
    resubmit = f"unit={unit}&{field}={key}" if field else f"unit=custom&start={figures_for.start}&end={figures_for.end}"
    again = page(browser.get(f"/statistics?{resubmit}"))
    assert shown_dates(again.text) == shown_dates(shown.text) and shown_period(again.text) == (unit, key)


def test_by_default_the_selector_shows_the_current_quarter(app, signed_in):
    _user, browser = signed_in("supervisor", "220000")
    shown = page(browser.get("/statistics"))
    assert shown_period(shown.text) == ("quarter", periods.containing("quarter", today()).key)


def test_locking_a_month_keeps_its_figures_and_names_the_cases_that_moved(app, signed_in):
    last_month = periods.containing("month", today().replace(day=1) - DAY)
    case = make_case("settled", region="220102", started_on=last_month.start)
    from tests.factories import make_effective

    make_effective(case, signed_on=last_month.start + DAY, due_on=last_month.start + DAY)
    commit()
    user, browser = signed_in("supervisor", "220000")
    url = f"/statistics?period={last_month.key}"
    shown = page(browser.get(url))
    assert "lock-figures" in shown.text
    locked = browser.post("/statistics/locks", data={"region": "220000", "period": last_month.key})
    assert locked.status_code == 302
    sync()
    report = db.session.query(LockedReport).one()
    assert report.figures["total"]["settled"] == 1 and report.figures["total"]["recovered"] == 0
    assert db.session.query(LockedReportCase).count() == 1
    again = browser.post("/statistics/locks", data={"region": "220000", "period": last_month.key})
    assert again.status_code == 409

    # A payment made last month is recorded late: today's figure moves, the locked one does not.
    payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                   amount_fen=500_000, paid_on=last_month.end, method="cash")
    commit()
    detail = page(browser.get(f"/statistics/locks/{report.id}"))
    assert detail.status == 200
    assert re.search(r'data-figure="recovered" class="table-warning changed"', detail.text)
    assert f'data-case="{case.number}"' in detail.text
    stats = page(browser.get(url)).text
    assert _figure(stats, "locked-row", "recovered") == "0" and _figure(stats, "total-row", "recovered") == "500000"


def test_only_ended_months_and_quarters_of_ones_own_region_can_be_locked(app, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    this_month = periods.containing("month", today()).key
    assert browser.post("/statistics/locks", data={"region": "220100", "period": this_month}).status_code == 409
    assert browser.post("/statistics/locks", data={"region": "220100", "period": "2025"}).status_code == 409
    assert browser.post("/statistics/locks", data={"region": "222400", "period": "2025-01"}).status_code == 404
    assert browser.post("/statistics/locks", data={"region": "220100", "period": "2025-13"}).status_code == 400
    sync()
    assert db.session.query(LockedReport).count() == 0


def test_the_csv_export_names_its_charset_once(cases, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    response = browser.get(f"/statistics.csv?period={today().year}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].count("charset") == 1, response.headers["Content-Type"]
