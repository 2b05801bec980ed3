"""A supervisor imports an office's ledger in a real browser: a GBK CSV from Excel with one bad
ID number is refused whole with the row named; asked to skip the bad case, the page imports the
others, and the imported case is found in the case list."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import Case
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_user
from tests.imports.conftest import a_case, bad_check_digit, to_csv

pytestmark = pytest.mark.browser


def _case_count() -> int:
    """Read what the live server committed, and end the read: SQLite's writer must not wait on us."""
    db.session.remove()
    count = db.session.scalar(select(func.count()).select_from(Case))
    db.session.remove()
    return count


def test_supervisor_imports_a_gbk_ledger_skipping_the_bad_case(page, live_server, artifacts_dir, tmp_path):
    username = make_user("supervisor", "220000", username="sup_import").username
    good = a_case("(2025)吉0102民初901号", workers=2)
    bad = a_case("(2025)吉0102民初902号")
    bad[0]["worker_id_number"] = bad_check_digit(bad[0]["worker_id_number"])
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes(to_csv(good + bad, encoding="gbk", language="zh"))
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock

    _sign_in(page, live_server, username)
    page.click("#nav-import")
    page.set_input_files("#ledger", str(ledger))
    page.click("#import-submit")
    page.wait_for_selector("#import-errors")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").first.inner_text() == "4"  # the header is row 1
    assert "身份证号" in errors.first.inner_text()
    assert page.inner_text('#import-summary [data-count="imported"]') == "0"
    assert _case_count() == 0

    page.set_input_files("#ledger", str(ledger))
    page.check("#skip_invalid")
    page.click("#import-submit")
    page.wait_for_selector("#import-summary")
    assert page.inner_text('#import-summary [data-count="imported"]') == "1"
    assert page.inner_text('#import-summary [data-count="skipped"]') == "1"
    page.screenshot(path=str(artifacts_dir / "import-report.png"), full_page=True)
    assert _case_count() == 1

    page.click("#nav-cases")
    page.wait_for_selector("#case-table")
    assert page.locator("#case-table tbody tr").count() == 1
