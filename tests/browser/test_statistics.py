"""A supervisor opens the statistics in a real browser, narrows them to a prefecture, follows a
figure to the cases behind it, and downloads the XLSX export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from mediation.common.timeutil import today
from mediation.extensions import db
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_case, make_user

pytestmark = pytest.mark.browser


def test_supervisor_reads_statistics_and_downloads_xlsx(page, live_server, artifacts_dir):
    supervisor = make_user("supervisor", "220000", username="sup_stats")
    closed, failed = make_case("closed", region="220102"), make_case("failed", region="222401")
    closed_number, failed_number, username = closed.number, failed.number, supervisor.username
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock

    _sign_in(page, live_server, username)
    page.click("#nav-statistics")
    page.wait_for_selector("#region-table")
    page.select_option("#unit", "year")
    page.select_option("#year", str(today().year))
    page.click("#apply-filters")
    page.wait_for_selector("#total-row")
    assert page.get_attribute('#total-row [data-figure="received"]', "data-value") == "2"
    assert page.locator("#chart-regions rect.bar").count() == page.locator("#region-table tbody tr").count()
    page.screenshot(path=str(artifacts_dir / "statistics-province.png"), full_page=True)

    page.click('tr[data-region="220100"] td:first-child a')  # down to Changchun
    page.wait_for_selector('#total-row[data-region="220100"]')
    assert page.get_attribute('#total-row [data-figure="received"]', "data-value") == "1"
    page.click('#total-row [data-figure="recovered"] a')
    page.wait_for_selector("#figure-filter")
    listed = page.locator("#case-table tbody a").all_inner_texts()
    assert listed == [closed_number] and failed_number not in page.content()

    page.go_back()
    page.wait_for_selector("#export-xlsx")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    content = download.value.path().read_bytes()
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) >= 4
    cells = [str(c.value) for row in workbook[workbook.sheetnames[0]].iter_rows() for c in row if c.value is not None]
    assert any("长春" in c for c in cells) and not any("延边" in c for c in cells)
