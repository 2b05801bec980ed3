"""The upload page: who may use it, the report it shows, CSRF, and files too large to take."""

from __future__ import annotations

import io

import pytest

from mediation.imports import reader
from tests.imports.conftest import counts, ledger, to_csv, to_xlsx
from tests.web.conftest import page


def _upload(browser, data: bytes, filename: str = "ledger.csv", **fields):  # noqa: ANN001, ANN202
    return browser.post("/import", data={"ledger": (io.BytesIO(data), filename), **fields},
                        content_type="multipart/form-data")


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_see_the_page_and_its_link(signed_in, role):
    _user, browser = signed_in(role, "220000")
    shown = page(browser.get("/import"))
    assert shown.status == 200 and "ledger" in shown.fields and 'id="nav-import"' in shown.text


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_other_roles_are_refused(signed_in, role):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/import").status_code == 403
    assert _upload(browser, to_csv(ledger())).status_code == 403
    assert 'id="nav-import"' not in browser.get("/cases").get_data(as_text=True)
    assert counts()["case_file"] == 0


def test_signed_out_users_are_sent_to_sign_in(new_client):
    response = new_client().get("/import")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_upload_imports_and_shows_the_report(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    shown = page(_upload(browser, to_xlsx(ledger()), "台账.xlsx"))
    assert shown.status == 200 and "5 cases imported." in shown.messages
    assert 'data-count="imported">5<' in shown.text and 'data-count="rows">8<' in shown.text
    assert counts()["case_file"] == 5
    again = page(_upload(browser, to_xlsx(ledger()), "台账.xlsx"))
    assert again.status == 200 and "Nothing new to import" in again.messages
    assert 'data-count="existing">5<' in again.text and counts()["case_file"] == 5


def test_a_file_with_errors_shows_every_error_and_writes_nothing(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    rows = ledger()
    rows[0] = {**rows[0], "claimed_amount": "abc"}
    rows[3] = {**rows[3], "region_code": "999999"}
    shown = page(_upload(browser, to_csv(rows, encoding="gbk", language="zh")))
    assert shown.status == 400 and "nothing was imported" in shown.messages
    table = shown.text.split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    assert "<td>2</td><td>诉求金额</td>" in table and "<td>5</td><td>地区代码</td><td>Unknown region.</td>" in table
    assert counts()["case_file"] == 0


def test_a_bad_phone_is_a_warning_on_the_page_and_its_case_imported(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    rows = ledger()
    rows[4] = {**rows[4], "worker_phone": "12345"}
    shown = page(_upload(browser, to_csv(rows, language="zh")))
    assert shown.status == 200 and "5 cases imported." in shown.messages
    table = shown.text.split('id="import-warnings"', 1)[1].split("</table>", 1)[0]
    assert "<td>6</td><td>联系电话</td>" in table and "left empty" in table
    assert 'id="import-errors"' not in shown.text and counts()["case_file"] == 5


def test_skip_invalid_from_the_page(signed_in):
    _user, browser = signed_in("admin", "220000")
    rows = ledger()
    rows[4] = {**rows[4], "claimed_amount": "abc"}
    shown = page(_upload(browser, to_csv(rows), skip_invalid="y"))
    assert shown.status == 200 and 'data-count="skipped">1<' in shown.text and counts()["case_file"] == 4


def test_an_unreadable_file_is_a_clear_400(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    shown = page(_upload(browser, to_xlsx(ledger())[:3000], "ledger.xlsx"))
    assert shown.status == 400 and "damaged or incomplete" in shown.text
    assert counts()["case_file"] == 0


def test_a_file_that_is_not_csv_or_xlsx_is_refused_by_the_form(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    shown = page(_upload(browser, b"%PDF-1.4", "ledger.pdf"))
    assert shown.status == 400 and "The ledger must be a CSV or XLSX file." in shown.messages
    assert page(browser.post("/import", data={})).status == 400


def test_a_file_over_the_size_limit_is_refused_with_its_reason(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    data = to_csv(ledger()) + b" " * (reader.MAX_FILE_BYTES + 128 * 1024)
    shown = page(_upload(browser, data))
    assert shown.status == 413 and "larger than 20 MB" in shown.messages
    assert counts()["case_file"] == 0


def test_the_upload_keeps_csrf(make_app, importer):
    browser = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = page(browser.get("/login")).value("csrf_token")
    with browser.session_transaction() as session:
        session["lang"] = "en"
    browser.post("/login", data={"username": importer.username, "password": "correct-horse-battery",
                                 "csrf_token": token})
    assert _upload(browser, to_csv(ledger())).status_code == 400  # no token
    assert counts()["case_file"] == 0
    form_token = page(browser.get("/import")).value("csrf_token")
    assert _upload(browser, to_csv(ledger()), csrf_token=form_token).status_code == 200
    assert counts()["case_file"] == 5
