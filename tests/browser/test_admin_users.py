"""An administrator edits and deactivates a user through the form as Chromium renders it: the
edit page shows no username field, and what it posts is enough (it once answered 400 with no
message, because the form still required the username it did not render)."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from mediation.models import User
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_an_admin_edits_and_deactivates_a_user_through_the_rendered_form(page, live_server):
    make_user("admin", "220100", username="users_admin")
    user_id = make_user("mediator", "220102", username="to_deactivate").id
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock

    _sign_in(page, live_server, "users_admin")
    page.goto(f"{live_server}/admin/users/{user_id}?lang=en")
    assert page.locator("input[name=username]").count() == 0
    page.fill("input[name=full_name]", "改过的名字")
    page.uncheck("input[name=active]")
    page.click("form:has(input[name=full_name]) button[type=submit]")  # not the sign-out button
    page.wait_for_load_state("load")
    assert page.url.endswith("/admin/users")
    assert "The user has been saved." in page.inner_text("body")

    user = db.session.get(User, user_id)
    assert (user.full_name, user.active) == ("改过的名字", False)
