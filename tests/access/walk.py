"""The walk: every route of the app's URL map × every role × own region / other region / no
session, each request made for real against the world (world.py), yielding a Cell per request.

routes(app) reads the URL map (one Route per rule and method, and per action for the action
pages). TARGETS says, for each route, which URL (and body) a cell requests: a route with no
target here, like a route with no rule in rules.py, fails test_every_route_has_a_rule.

Other tests may walk the same cells (for instance to scan every GET body for personal data):

    for cell in walk(world, methods=("GET",)):
        cell.response.get_data(as_text=True)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from mediation.case_core.operations import OPERATIONS as ACTIONS
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards.notices import notice_generate
from mediation.hazards.services import HazardInput, hazard_record
from mediation.models import Hazard, User
from mediation.stats import period as periods
from tests.access.rules import ROLES, rule_of
from tests.access.world import Side, World, case_fingerprint
from tests.api.conftest import ApiClient, referral
from tests.conftest import TEST_PASSWORD
from tests.consultations.helpers import make_consultation
from tests.factories import VERIFY_URL, credit_code
from tests.web.conftest import action_form, bad_check_character, english, intake_form

IGNORED_METHODS = {"HEAD", "OPTIONS"}
REFUSALS = {401, 403, 404}
STALE = 0  # a case version no case has: an admitted write stops at the version check (409)
_serial = itertools.count(1)


@dataclass(frozen=True)
class Route:
    key: str  # "METHOD rule", the key of rules.ROUTES
    endpoint: str
    method: str
    rule: str
    action: str | None = None

    @property
    def api(self) -> bool:
        return self.rule.startswith("/api/")


def routes(app: Flask) -> list[Route]:
    """Every route of the URL map, once per method (and per action for the action pages)."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - IGNORED_METHODS):
            if rule.endpoint == "cases.act":
                found += [Route(f"{method} /cases/<number>/<action={name}>", rule.endpoint, method, rule.rule, name)
                          for name in ACTIONS]
            else:
                found.append(Route(f"{method} {rule.rule}", rule.endpoint, method, rule.rule))
    return sorted(found, key=lambda r: r.key)


@dataclass
class Request:
    url: str
    data: dict | None = None  # a form
    json: Any = None  # an API body
    case_id: int | None = None  # the case a refused or stopped write must leave unchanged
    client: FlaskClient | ApiClient | None = None  # a client of its own (sign-out, password, sign-in)


@dataclass
class Cell:
    route: Route
    role: str | None  # None: no session
    scope: str  # own, other, anon
    expected: int
    request: Request
    response: Any
    changed: bool = False  # the case of a write: its version, events or state moved

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def refused(self) -> bool:
        return self.scope == "anon" or self.expected in REFUSALS

    def __str__(self) -> str:
        return f"{self.role or 'no session'} × {self.route.key} × {self.scope}"


Target = Callable[[World, str, str, bool], Request | None]


# --- targets ----------------------------------------------------------------------------------

def fixed(url: str, data: dict | None = None) -> Target:
    return lambda world, role, scope, refused: Request(url, data=dict(data) if data else None)


def side_of(world: World, scope: str) -> Side:
    return world.side(scope)


def case_page(stage: str, suffix: str = "") -> Target:
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        side = side_of(world, scope)
        return Request(f"/cases/{side.case_numbers[stage]}{suffix}", case_id=side.case_ids[stage])
    return target


# The stage of the world's case each action page is tried on: one where the action is possible.
ACTION_STAGES = {
    "assign": "referred", "refer": "intake", "reject": "intake", "withdraw": "mediating",
    "start_mediation": "referred", "session": "mediating", "extend": "mediating", "settle": "mediating",
    "fail": "mediating", "schedule": "mediating", "decline": "mediating", "installments": "settled",
    "sign": "drafted", "payment": "effective", "apply_confirmation": "effective", "enforce": "defaulted",
    "enforcement_path": "enforcing",
    "enforcement_outcome": "enforcing", "write_off": "concluded", "close": "paid",
    "correct_claims": "mediating", "void_payment": "paid", "cancel_session": "mediating",
    "reschedule_session": "mediating", "generate_agreement": "drafted", "correct_party": "mediating",
}


def action_post(action: str) -> Target:
    """A valid form of the action; an admitted user's carries a stale version (409, nothing saved)."""
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        side = side_of(world, scope)
        case = side.case(ACTION_STAGES[action])
        data = action_form(action, case, venue_id=side.venue_id)
        data["version"] = str(case.version if refused else STALE)
        return Request(f"/cases/{case.number}/{action}", data=data, case_id=case.id)
    return target


def lawyer_assign_post(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    case = side.case("referred")
    return Request(f"/cases/{case.number}/lawyer", case_id=case.id, data={
        "lawyer_id": str(side.users["lawyer"].id), "reason": "", "version": str(case.version if refused else STALE)})


def jc_application(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    case = side.case("enforcing")
    path = case.enforcement_paths[0]
    return Request(f"/cases/{case.number}/enforcement/{path.id}/application")


def case_intake(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/cases/new", data=intake_form(region=side_of(world, scope).county))


def index(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/" if scope != "other" else f"/?region={world.other.prefecture}")


def sign_in(world, role, scope, refused):  # noqa: ANN001, ANN201
    """Signed in: the page sends them on. No session: a new user signs in on a new browser."""
    if scope != "anon":
        return Request("/login", data={"username": "nobody", "password": "wrong"})
    user, _ = world.fresh_browser("mediator")
    return Request("/login", data={"username": user.username, "password": TEST_PASSWORD},
                   client=english(world.app.test_client()))


def own_session(url: str, data: dict | None = None) -> Target:
    """On a new user's own browser: signing out or changing the password ends sessions."""
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        client = world.fresh_browser(role)[1] if scope != "anon" else None
        return Request(url, data=dict(data) if data else None, client=client)
    return target


def token_revoke(world, role, scope, refused):  # noqa: ANN001, ANN201
    owner = side_of(world, scope).user(role or "mediator")
    return Request(f"/account/tokens/{world.fresh_token(owner)}/revoke")


def by_id(template: str, attribute: str) -> Target:
    return lambda world, role, scope, refused: Request(template.format(getattr(side_of(world, scope), attribute)))


def target_user_form(world, role, scope, refused):  # noqa: ANN001, ANN201
    user = db.session.get(User, side_of(world, scope).target_id)
    return Request(f"/admin/users/{user.id}", data={
        "username": user.username, "full_name": user.full_name, "role": user.role, "region_code": user.region_code,
        "active": "y", "password": ""})


def user_new(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/admin/users/new", data={
        "username": f"access_new_{next(_serial)}", "full_name": "新用户", "role": "mediator",
        "region_code": side_of(world, scope).county, "active": "y", "password": "a-long-enough-passphrase-2026"})


def venue_new(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/admin/venues/new", data={
        "name": f"新调解室{next(_serial)}", "kind": "court_workroom", "region_code": side_of(world, scope).county,
        "address": "", "active": "y"})


def venue_form(world, role, scope, refused):  # noqa: ANN001, ANN201
    venue = side_of(world, scope).venue
    return Request(f"/admin/venues/{venue.id}", data={
        "name": venue.name, "kind": venue.kind, "region_code": venue.region_code, "address": venue.address or "",
        "active": "y"})


def conflict(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    lawyer_id = side.users["lawyer"].id if (role == "lawyer" or scope != "own") else side.target_id
    return Request(f"/lawyers/{lawyer_id}/conflicts", data={"employer_uscc": credit_code(), "note": "曾代理该单位"})


def roster_delete(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    return Request(f"/venues/{side.venue_id}/roster/{world.fresh_roster_entry(side)}/delete")


def last_month() -> str:
    return periods.containing("month", today().replace(day=1) - dt.timedelta(days=1)).key


def stats_page(path: str) -> Target:
    return lambda world, role, scope, refused: Request(f"{path}?region={side_of(world, scope).prefecture}")


def stats_lock(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    return Request("/statistics/locks", data={"region": side.prefecture,
                                              "period": "not-a-period" if scope == "own" else last_month()})


def employer_code(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/admin/employers", data={"uscc": bad_check_character(credit_code()), "name": "校验位不符有限公司"})


def employer_master(world, role, scope, refused):  # noqa: ANN001, ANN201
    """The master record of the employer of the side's mediating case; a refused POST carries a
    change that would succeed, an admitted one no reason (400)."""
    case = side_of(world, scope).case("mediating")
    data = {"name": case.employer_master.name, "legal_representative": "法定代表人", "address": "",
            "reason": "营业执照变更" if refused else ""}
    return Request(f"/admin/employers/{case.employer.uscc}", data=data)


def consultation(suffix: str = "", data: dict | None = None) -> Target:
    """A consultation logged in the side's county; a refused write carries a form that would pass
    the rule (a complete edit with the current version), an admitted one a stale version."""
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        side = side_of(world, scope)
        made = make_consultation(side.user("lawyer"), region_code="")
        body = None
        if data is not None:
            body = dict(data)
            if suffix == "/edit":
                body.update({"channel": "hotline", "held_on": today().isoformat(), "duration_minutes": "10",
                             "topic": "wages", "question": "问题", "answer": "答复",
                             "version": str(made.version if refused else STALE)})
            elif refused:
                body.update(intake_form(region=side.county, channel="walk_in", referral_ref=""))
        return Request(f"/consultations/{made.id}{suffix}", data=body)
    return target


# --- API targets --------------------------------------------------------------------------------

API_STAGES = {"refer": "intake", "reject": "intake", "withdraw": "mediating", "start_mediation": "referred",
              "extend": "mediating", "settle": "mediating", "fail": "mediating",
              "apply_confirmation": "effective", "enforce": "defaulted",
              "close": "paid", "write_off": "concluded", "correct_claims": "mediating", "void_payment": "paid",
              "cancel_session": "mediating", "reschedule_session": "mediating", "generate_agreement": "drafted",
              "correct_party": "mediating"}


def api_trigger(name: str) -> Target:
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        side = side_of(world, scope)
        case = side.case(API_STAGES[name])
        body: dict[str, Any] = {"expected_version": case.version if refused else STALE}
        body.update({
            "refer": {"venue_id": side.venue_id},
            "reject": {"reason": "不予受理"}, "withdraw": {"reason": "撤回"}, "fail": {"reason": "差距过大"},
            "write_off": {"reason": "无可供执行的财产"},
            "extend": {"days": 5, "agreement": "双方同意延长"},
            "settle": {"agreed": [{"claim_id": c.id, "amount": "100.00"} for c in case.claims]},
            "apply_confirmation": {"court": "长春市朝阳区人民法院"},
            "enforce": {"kind": "payment_order", "court": "长春市朝阳区人民法院"},
            "correct_claims": {"reason": "笔误", "claims": [
                {"worker_id": c.worker_id, "kind": c.kind, "amount": "100.00"} for c in case.claims]},
            "void_payment": {"reason": "退票", "payment_id": case.payments[0].id if case.payments else 1},
            "cancel_session": {"reason": "请假", "session_id": _booked_id(case)},
            "reschedule_session": {"reason": "改期", "session_id": _booked_id(case), "on_date": _in_days(2),
                                   "starts_at": "14:00", "ends_at": "15:00", "override_reason": "双方只能这天"},
            "generate_agreement": {"confirm": True, "reason": "条款调整"},
            "correct_party": {"party": "employer", "name": "更正后的名称有限公司", "reason": "营业执照上的名称"},
        }.get(name, {}))
        return Request(f"/api/v1/cases/{case.number}/actions/{name}", json=body, case_id=case.id)
    return target


def _booked_id(case) -> int:  # noqa: ANN001
    return next((s.id for s in case.sessions if s.status == "scheduled"), 1)


def _in_days(days: int) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def api_payment(world, role, scope, refused):  # noqa: ANN001, ANN201
    side = side_of(world, scope)
    case = side.case("effective")
    return Request(f"/api/v1/cases/{case.number}/payments", case_id=case.id, json={
        "expected_version": case.version if refused else STALE, "worker_id": case.workers[0].id,
        "amount": "100.00", "method": "bank_transfer"})


def api_case_list(world, role, scope, refused):  # noqa: ANN001, ANN201
    return Request("/api/v1/cases" + (f"?region={world.other.prefecture}" if scope == "other" else ""))


def api_stats(world, role, scope, refused):  # noqa: ANN001, ANN201
    period = periods.parse(last_month())
    return Request(f"/api/v1/stats/recovery?from={period.start}&to={period.end}"
                   f"&region={side_of(world, scope).prefecture}")


def hazard_of(world: World, scope: str) -> Hazard:
    """The side's hazard (made on first use, by its mediator, in its county)."""
    side = side_of(world, scope)
    db.session.rollback()
    hazard = db.session.scalars(select(Hazard).where(Hazard.region_code == side.county)).first()
    if hazard is None:
        mediator = side.user("mediator")  # before the writes: side.user() rolls back
        hazard = hazard_record(actor=mediator, data=HazardInput(
            region_code=side.county, employer_uscc=credit_code(), employer_name="访问矩阵风险企业",
            source="visit", kind="overtime", level="low", found_on=today(), workers_affected="3", amount="",
            description=""))
        notice_generate(hazard=hazard, actor=mediator, expected_version=None,
                        reply_by=today() + dt.timedelta(days=10), verify_url=VERIFY_URL)
        db.session.commit()
    return hazard


def hazard_post(suffix: str, data: dict[str, str]) -> Target:
    """A valid form; an admitted user's carries a stale version (409, nothing saved)."""
    def target(world, role, scope, refused):  # noqa: ANN001, ANN202
        hazard = hazard_of(world, scope)
        return Request(f"/hazards/{hazard.id}/{suffix}",
                       data={**data, "version": str(hazard.version if refused else STALE)})
    return target


TARGETS: dict[str, Target] = {
    "GET /static/<path:filename>": fixed("/static/css/app.css"),
    "GET /bootstrap/static/<path:filename>": fixed("/bootstrap/static/css/bootstrap.min.css"),
    "GET /login": fixed("/login"),
    "POST /login": sign_in,
    "POST /language/<code>": fixed("/language/en", {"next": "/"}),
    "GET /verify": fixed("/verify"),
    "POST /verify": fixed("/verify", {"code": "ABCD1234EFGH5678"}),
    "GET /api/v1/openapi.json": fixed("/api/v1/openapi.json"),
    "POST /logout": own_session("/logout"),
    "GET /account/password": fixed("/account/password"),
    "POST /account/password": own_session("/account/password", {
        "current_password": TEST_PASSWORD, "new_password": "another-long-passphrase-2026",
        "confirm": "another-long-passphrase-2026"}),
    "GET /account/tokens": fixed("/account/tokens"),
    "POST /account/tokens": fixed("/account/tokens", {"name": "a script"}),
    "POST /account/tokens/<int:token_id>/revoke": token_revoke,
    "GET /account/tokens/users/<int:user_id>": by_id("/account/tokens/users/{}", "target_id"),
    "GET /": index,
    "GET /cases/new": fixed("/cases/new"),
    "POST /cases/new": case_intake,
    "GET /cases/<number>": case_page("mediating"),
    "GET /cases/<number>/lawyer": case_page("referred", "/lawyer"),
    "POST /cases/<number>/lawyer": lawyer_assign_post,
    "GET /cases/<number>/documents/<int:version>.pdf": case_page("drafted", "/documents/1.pdf"),
    "GET /cases/<number>/documents/<any(agreement, jc_application):kind>/<int:version>.pdf":
        case_page("enforcing", "/documents/jc_application/1.pdf"),
    "POST /cases/<number>/enforcement/<int:path_id>/application": jc_application,
    "GET /cases/<number>/personal-data": case_page("mediating", "/personal-data"),
    "POST /cases/<number>/personal-data": lambda w, r, s, x: Request(
        f"/cases/{side_of(w, s).case_numbers['mediating']}/personal-data", data={"purpose": "contact", "note": ""}),
    "GET /admin/personal-data-access": fixed("/admin/personal-data-access"),
    "GET /admin/audit": fixed("/admin/audit"),
    **{f"GET /cases/<number>/<action={name}>": case_page(stage, f"/{name}") for name, stage in ACTION_STAGES.items()},
    **{f"POST /cases/<number>/<action={name}>": action_post(name) for name in ACTION_STAGES},
    "GET /consultations": lambda w, r, s, x: Request(
        "/consultations" + (f"?region={w.other.prefecture}" if s == "other" else "")),
    "GET /consultations/new": fixed("/consultations/new"),
    "POST /consultations/new": fixed("/consultations/new", {}),
    "GET /consultations/<int:consultation_id>": consultation(),
    "GET /consultations/<int:consultation_id>/edit": consultation("/edit"),
    "POST /consultations/<int:consultation_id>/edit": consultation("/edit", {}),
    "GET /consultations/<int:consultation_id>/case": consultation("/case"),
    "POST /consultations/<int:consultation_id>/case": consultation("/case", {}),
    "GET /workroom": fixed("/workroom"),
    "GET /supervision": fixed("/supervision"),
    "GET /lawyers": fixed("/lawyers"),
    "GET /lawyers/new": fixed("/lawyers/new"),
    "POST /lawyers/new": fixed("/lawyers/new", {}),
    "GET /lawyers/<int:user_id>": by_id("/lawyers/{}", "target_id"),
    "POST /lawyers/<int:user_id>": lambda w, r, s, x: Request(f"/lawyers/{side_of(w, s).target_id}", data={}),
    "POST /lawyers/<int:user_id>/conflicts": conflict,
    "GET /venues/<int:venue_id>/week": by_id("/venues/{}/week", "venue_id"),
    "POST /venues/<int:venue_id>/roster": lambda w, r, s, x: Request(f"/venues/{side_of(w, s).venue_id}/roster",
                                                                     data={}),
    "POST /venues/<int:venue_id>/exceptions": lambda w, r, s, x: Request(
        f"/venues/{side_of(w, s).venue_id}/exceptions", data={}),
    "POST /venues/<int:venue_id>/roster/<int:entry_id>/delete": roster_delete,
    "GET /statistics": stats_page("/statistics"),
    "GET /statistics.csv": stats_page("/statistics.csv"),
    "GET /statistics.xlsx": stats_page("/statistics.xlsx"),
    "GET /statistics.pdf": stats_page("/statistics.pdf"),
    "GET /statistics/locks": fixed("/statistics/locks"),
    "POST /statistics/locks": stats_lock,
    "GET /statistics/locks/<int:report_id>": by_id("/statistics/locks/{}", "report_id"),
    "GET /risk": fixed("/risk"),
    "GET /risk.csv": fixed("/risk.csv"),
    "GET /import": fixed("/import"),
    "POST /import": fixed("/import", {}),
    "GET /admin/employers": fixed("/admin/employers"),
    "POST /admin/employers": employer_code,
    "GET /admin/employers/<uscc>": employer_master,
    "POST /admin/employers/<uscc>": employer_master,
    "GET /hazards": fixed("/hazards"),
    "GET /hazards/new": fixed("/hazards/new"),
    "POST /hazards/new": fixed("/hazards/new", {}),
    "GET /hazards/<int:hazard_id>": lambda w, r, s, x: Request(f"/hazards/{hazard_of(w, s).id}"),
    "POST /hazards/<int:hazard_id>/steps": hazard_post("steps", {"taken_on": today().isoformat(), "text": "走访"}),
    "POST /hazards/<int:hazard_id>/notice": hazard_post("notice", {
        "reply_by": (today() + dt.timedelta(days=10)).isoformat()}),
    "GET /hazards/<int:hazard_id>/notices/<int:version>.pdf": lambda w, r, s, x: Request(
        f"/hazards/{hazard_of(w, s).id}/notices/1.pdf"),
    "POST /hazards/<int:hazard_id>/close": hazard_post("close", {"outcome": "resolved",
                                                                 "closed_on": today().isoformat()}),
    "GET /admin/users": fixed("/admin/users"),
    "GET /admin/users/new": fixed("/admin/users/new"),
    "POST /admin/users/new": user_new,
    "GET /admin/users/<int:user_id>": by_id("/admin/users/{}", "target_id"),
    "POST /admin/users/<int:user_id>": target_user_form,
    "GET /admin/venues": fixed("/admin/venues"),
    "GET /admin/venues/new": fixed("/admin/venues/new"),
    "POST /admin/venues/new": venue_new,
    "GET /admin/venues/<int:venue_id>": by_id("/admin/venues/{}", "venue_id"),
    "POST /admin/venues/<int:venue_id>": venue_form,
    "GET /api/v1/cases": api_case_list,
    "GET /api/v1/hazards": lambda w, r, s, x: Request(
        "/api/v1/hazards" + (f"?region={w.other.prefecture}" if s == "other" else "")),
    "POST /api/v1/cases": lambda w, r, s, x: Request("/api/v1/cases", json=referral(region=side_of(w, s).county)),
    "GET /api/v1/cases/<case_number:number>": lambda w, r, s, x: Request(
        f"/api/v1/cases/{side_of(w, s).case_numbers['mediating']}"),
    **{f"POST /api/v1/cases/<case_number:number>/actions/{name}": api_trigger(name) for name in API_STAGES},
    "GET /api/v1/cases/<case_number:number>/agreement.pdf": lambda w, r, s, x: Request(
        f"/api/v1/cases/{side_of(w, s).case_numbers['drafted']}/agreement.pdf"),
    "POST /api/v1/cases/<case_number:number>/payments": api_payment,
    "POST /api/v1/cases/<case_number:number>/personal-data": lambda w, r, s, x: Request(
        f"/api/v1/cases/{side_of(w, s).case_numbers['mediating']}/personal-data", json={"purpose": "contact"}),
    "GET /api/v1/stats/recovery": api_stats,
    "GET /api/v1/consultations": lambda w, r, s, x: Request(
        "/api/v1/consultations" + (f"?region={w.other.prefecture}" if s == "other" else "")),
}


# --- the walk -----------------------------------------------------------------------------------

def cells_of(route: Route) -> Iterator[tuple[str | None, str]]:
    """(role, scope) of every cell of the route that has an expectation."""
    rule = rule_of(route.key)
    for role in ROLES:
        for scope in ("own", "near", "other"):
            if rule.expected(role, scope) is not None:
                yield role, scope
    yield None, "anon"


def request_cell(world: World, route: Route, role: str | None, scope: str) -> Cell:
    expected = rule_of(route.key).expected(role, scope)
    refused = scope == "anon" or expected in REFUSALS
    request = TARGETS[route.key](world, role or "mediator", scope, refused)
    client = request.client
    if client is None:
        if route.api:
            client = world.api_anonymous if role is None else world.api[role]
        else:
            client = world.anonymous if role is None else world.browsers[role]
    before = case_fingerprint(request.case_id) if request.case_id and route.method != "GET" else None
    if isinstance(client, ApiClient):
        response = client.open(request.url, method=route.method, json=request.json)
    else:
        response = client.open(request.url, method=route.method, data=request.data)
    cell = Cell(route, role, scope, expected, request, response)
    if before is not None:
        cell.changed = case_fingerprint(request.case_id) != before
    return cell


def walk(world: World, routes_: Iterable[Route] | None = None, methods: tuple[str, ...] = ("GET", "POST"),
         ) -> Iterator[Cell]:
    """Every cell of every route (by default the whole URL map), requested for real."""
    for route in routes_ if routes_ is not None else routes(world.app):
        if route.method in methods:
            for role, scope in cells_of(route):
                yield request_cell(world, route, role, scope)
