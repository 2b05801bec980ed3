"""The audit log page: admins and supervisors read the entries of their region subtree, newest
first, a page at a time, filtered by action and by user, in Chinese or English."""
# ruff: noqa: F811 - the web tests' fixtures are imported here (tests/audit's conftest has none) and used as arguments

from __future__ import annotations

import re

import pytest

from mediation.admin.services import venue_save
from mediation.extensions import db
from tests.factories import make_user, make_venue
from tests.web.conftest import (  # noqa: F401 (fixtures, imported to be used here)
    _request_scoped_clients,
    client,
    page,
)


def entry_ids(listed) -> list[int]:  # noqa: ANN001
    return [int(n) for n in re.findall(r'data-entry="(\d+)"', listed.text)]


def actions(listed) -> list[str]:  # noqa: ANN001
    return re.findall(r'data-action="([a-z_.]+)"', listed.text)


def _rename(actor, venue, name: str) -> None:  # noqa: ANN001
    venue_save(actor=actor, venue=venue, name=name, kind=venue.kind, region_code=venue.region_code)
    db.session.commit()


def test_entries_of_the_readers_subtree_only_newest_first(signed_in):
    changchun, yanbian = make_venue("220102", name="长春调解室"), make_venue("222401", name="延吉调解室")
    admin, browser = signed_in("admin", "220100")
    _rename(admin, changchun, "长春调解室（新）")
    province = make_user("admin", "220000")
    _rename(province, yanbian, "延吉调解室（新）")

    listed = page(browser.get("/admin/audit"))  # in English, as every test browser
    assert listed.status == 200
    assert "长春调解室（新）" in listed.text and "延吉" not in listed.text
    assert actions(listed)[0] == "venue.update" and "Venue changed" in listed.text
    assert entry_ids(listed) == sorted(entry_ids(listed), reverse=True)
    assert admin.username in listed.text  # who did it

    _s, supervisor = signed_in("supervisor", "220000")  # the province's supervisor: every region
    listed = page(supervisor.get("/admin/audit?lang=zh"))
    assert "延吉调解室（新）" in listed.text and "长春调解室（新）" in listed.text
    assert "修改调解场所" in listed.text and "审计日志" in listed.text and "Venue changed" not in listed.text


def test_filter_by_action_and_by_user(signed_in):
    venue = make_venue("220102")
    admin, browser = signed_in("admin", "220100")
    other_admin = make_user("admin", "220100")
    _rename(admin, venue, "第一次改名")
    _rename(other_admin, venue, "第二次改名")

    assert set(actions(page(browser.get("/admin/audit?action=venue.update")))) == {"venue.update"}
    assert len(actions(page(browser.get("/admin/audit?action=venue.update")))) == 2
    mine = page(browser.get(f"/admin/audit?user={admin.username}"))
    assert actions(mine) == ["venue.update"] and "第一次改名" in mine.text and "第二次改名" not in mine.text
    assert actions(page(browser.get("/admin/audit?action=token.issue"))) == []
    assert page(browser.get("/admin/audit?action=not.an.action")).status == 400
    too_long = page(browser.get("/admin/audit?user=" + "x" * 80))
    assert too_long.status == 400 and "user" in too_long.invalid


def test_entries_come_in_pages_that_keep_the_filter(app, signed_in):
    app.config["CASES_PER_PAGE"] = 2
    venue = make_venue("220102")
    admin, browser = signed_in("admin", "220100")
    for n in range(3):
        _rename(admin, venue, f"调解室{n}")

    first = page(browser.get("/admin/audit?action=venue.update"))
    assert len(actions(first)) == 2
    assert "/admin/audit?page=2&amp;action=venue.update" in first.text
    second = page(browser.get("/admin/audit?action=venue.update&page=2"))
    assert actions(second) == ["venue.update"] and not set(entry_ids(first)) & set(entry_ids(second))


def test_no_password_is_shown(signed_in):
    admin, browser = signed_in("admin", "220100")
    assert browser.post("/admin/users/new", data={
        "username": "page_new", "full_name": "新用户", "role": "mediator", "region_code": "220102", "active": "y",
        "password": "a-long-enough-passphrase-2026"}).status_code == 302
    listed = page(browser.get("/admin/audit?action=user.create"))
    assert "page_new" in listed.text and "a-long-enough-passphrase-2026" not in listed.text


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_case_workers_do_not_read_the_log(signed_in, role, client):
    _user, browser = signed_in(role, "220100")
    assert browser.get("/admin/audit").status_code == 403
    assert 'id="nav-audit-log"' not in browser.get("/").get_data(as_text=True)
    assert client.get("/admin/audit").status_code == 302


def test_the_navigation_links_the_log_for_admins_and_supervisors(signed_in):
    for role in ("admin", "supervisor"):
        _user, browser = signed_in(role, "220100")
        assert 'id="nav-audit-log" href="/admin/audit"' in browser.get("/").get_data(as_text=True)
