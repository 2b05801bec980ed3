"""Who saw personal data: the records page of admins and supervisors, scoped to their region."""

from __future__ import annotations

import pytest

from tests.factories import make_case
from tests.web.conftest import page


def _show(browser, case, purpose="contact", note=""):  # noqa: ANN001, ANN202
    assert browser.post(f"/cases/{case.number}/personal-data",
                        data={"purpose": purpose, "note": note}).status_code == 200


def test_records_are_listed_newest_first_and_only_for_the_readers_region(signed_in):
    changchun, yanbian = make_case("mediating", region="220102"), make_case("mediating", region="222401")
    mediator, browser = signed_in(user=changchun.mediator)
    _show(browser, changchun, "contact")
    _show(browser, changchun, "other", "核对工资表")
    _y, yanbian_browser = signed_in(user=yanbian.mediator)
    _show(yanbian_browser, yanbian, "identity")

    _s, supervisor = signed_in("supervisor", "220100")
    listed = page(supervisor.get("/admin/personal-data-access", headers={"Accept-Language": "en"}))

    assert listed.status == 200
    assert listed.case_numbers == [changchun.number, changchun.number]  # not the Yanbian case
    assert listed.text.index("核对工资表") < listed.text.index("To contact the worker")
    assert mediator.username in listed.text and changchun.workers[0].id_number not in listed.text

    _a, province = signed_in("admin", "220000")
    assert len(page(province.get("/admin/personal-data-access")).case_numbers) == 3


def test_records_filter_by_case_and_by_user(signed_in):
    first, second = make_case("mediating", region="220102"), make_case("mediating", region="220102")
    mediator, browser = signed_in(user=first.mediator)
    _show(browser, first)
    _l, lawyer_browser = signed_in(user=second.lawyer)
    _show(lawyer_browser, second)
    _a, admin = signed_in("admin", "220100")

    assert page(admin.get(f"/admin/personal-data-access?case={first.number}")).case_numbers == [first.number]
    assert page(admin.get(f"/admin/personal-data-access?user={mediator.username}")).case_numbers == [first.number]
    assert page(admin.get("/admin/personal-data-access?case=220102-1999-99999")).case_numbers == []
    too_long = page(admin.get("/admin/personal-data-access?case=" + "9" * 40))
    assert too_long.status == 400 and "case" in too_long.invalid


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_case_workers_do_not_read_the_records(signed_in, role, client):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/admin/personal-data-access").status_code == 403
    assert client.get("/admin/personal-data-access").status_code == 302


def test_records_come_in_pages_that_keep_the_filter(app, signed_in):
    app.config["CASES_PER_PAGE"] = 2
    case = make_case("mediating", region="220102")
    _m, browser = signed_in(user=case.mediator)
    for _ in range(3):
        _show(browser, case)
    _a, admin = signed_in("admin", "220100")

    first = page(admin.get(f"/admin/personal-data-access?case={case.number}"))
    assert len(first.case_numbers) == 2
    assert f"/admin/personal-data-access?page=2&amp;case={case.number}" in first.text
    assert len(page(admin.get(f"/admin/personal-data-access?case={case.number}&page=2")).case_numbers) == 1
