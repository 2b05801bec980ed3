"""The access matrix: every route of the URL map × every role × own region / other region / no
session answers what rules.py says, and a refused write changes nothing.

Generated from the app's own URL map: a new route (or a new action page) without a row in
rules.ROUTES and a target in walk.TARGETS fails the first test, which says what to add.
"""

from __future__ import annotations

import functools

import pytest

from mediation import create_app
from tests.access.rules import ROUTES, RULES, rule_of
from tests.access.walk import TARGETS, cells_of, request_cell, routes, walk
from tests.conftest import base_config

SIGN_IN_REDIRECT_EXEMPT = {"public_post", "sign_in"}  # rules whose 302 for no session is their own answer


@functools.cache
def url_map_routes() -> tuple:
    return tuple(routes(create_app(base_config("sqlite://"))))


def test_every_route_has_a_rule():
    found = {route.key: route.endpoint for route in url_map_routes()}
    unknown = sorted(set(found) - set(ROUTES))
    gone = sorted(set(ROUTES) - set(found))
    assert not unknown, (
        "routes with no access rule: add a row to ROUTES in tests/access/rules.py (and its target to TARGETS in "
        f"tests/access/walk.py) saying who may reach them: {[f'{key} ({found[key]})' for key in unknown]}")
    assert not gone, f"rules for routes that no longer exist: remove them from tests/access/rules.py: {gone}"
    assert set(ROUTES.values()) <= set(RULES), sorted(set(ROUTES.values()) - set(RULES))
    assert set(TARGETS) == set(ROUTES), sorted(set(TARGETS) ^ set(ROUTES))


def test_every_rule_is_used():
    assert set(RULES) == set(ROUTES.values()), sorted(set(RULES) - set(ROUTES.values()))


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_access(world, key):
    route = next((r for r in url_map_routes() if r.key == key), None)
    if route is None:
        pytest.skip("not in the URL map: test_every_route_has_a_rule says so")
    rule = rule_of(key)
    wrong = []
    for role, scope in cells_of(route):
        cell = request_cell(world, route, role, scope)
        if cell.status != cell.expected:
            body = cell.response.get_data(as_text=True)
            wrong.append(f"{cell}: expected {cell.expected}, got {cell.status} "
                         f"{cell.response.headers.get('Location', '') or body[:160]!r}")
        elif cell.changed and (cell.refused or cell.expected not in (200, 201, 302)):
            wrong.append(f"{cell}: answered {cell.status} but changed the case (version, events or state)")
        elif (scope == "anon" and cell.status == 302 and ROUTES[key] not in SIGN_IN_REDIRECT_EXEMPT
              and "/login" not in cell.response.headers["Location"]):
            wrong.append(f"{cell}: redirected to {cell.response.headers['Location']}, not to sign in")
    assert not wrong, f"{key} [{ROUTES[key]}: {rule.meaning}]\n  " + "\n  ".join(wrong)


def test_no_answer_names_a_case_of_another_region(world):
    """Whatever a Changchun user reads (pages, CSV, JSON), no Yanbian case number is in it; and
    what anyone reads signed out names no case at all."""
    foreign = set(world.other.case_numbers.values())
    # signed out: no case either (the own side's first number is also the OpenAPI document's example)
    every = foreign | set(world.near.case_numbers.values())
    leaks = []
    for cell in walk(world, methods=("GET",)):
        if cell.status != 200 or not cell.response.mimetype.startswith(("text/", "application/json")):
            continue
        if cell.scope == "other":
            continue  # asking for the other region by name: answered 404 above, or a page of one's own
        text = cell.response.get_data(as_text=True)
        named = {number for number in (every if cell.scope == "anon" else foreign) if number in text}
        if named:
            leaks.append(f"{cell}: {sorted(named)}")
    assert not leaks, "\n".join(leaks)


def test_a_session_cookie_opens_no_api_route_and_a_token_no_page(world):
    """The API takes bearer tokens only (a cross-site form could otherwise act with a signed-in
    browser); the pages take the session only. Signed in with the other kind: as if signed out."""
    wrong = []
    for route in url_map_routes():
        rule = rule_of(route.key)
        if rule.anon not in (302, 401) or ROUTES[route.key] in SIGN_IN_REDIRECT_EXEMPT:
            continue  # public: nothing to cross
        role = "admin"  # admits the most
        request = TARGETS[route.key](world, role, "own", True)
        if route.api:  # the admin's signed-in browser, its cookie and no token
            response = world.browsers[role].open(request.url, method=route.method, json=request.json)
            expected = 401
        else:  # the admin's token, and no cookie
            response = world.anonymous.open(request.url, method=route.method, data=request.data,
                                            headers=world.api[role].headers())
            expected = 302
        if response.status_code != expected:
            wrong.append(f"{route.key}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
