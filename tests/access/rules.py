"""Who may reach what: every route of the app (one row per method, and per action for the action
pages) mapped to its access rule, and each rule's expected status per role and scope.

Read a cell as "a supervisor (role) opening the record-a-payment page (route) of a case of their
own region (scope) gets 403". The roles are the Changchun (220100) users; "own" is a case or thing
in their scope (for a lawyer: a case assigned to them), "other" the same kind of thing in Yanbian
(222400), "anon" no session (pages: a redirect to the sign-in page; API: 401). `other=None` means
the route names nothing regional, so there is no other-region cell. The case routes have a fourth
scope, "near": a case of the user's own region that is another mediator's and assigned to another
lawyer (a lawyer reads it but may not act on it; only admins see its full personal data).

POST cells never change the world by accident: a refused one (401, 403, 404, a redirect to sign
in) carries a body that would succeed, so the refusal is the rule's doing, and the walk checks
that the case is unchanged; an admitted one is stopped by the check after the rule (a stale case
version: 409; an empty form: 400; a state that does not allow it: 409) unless the row says it
succeeds (then it makes something new: a case, a user, a token).

A new route, or a new action, fails test_every_route_has_a_rule until it gets a row here.
Columns per role: each(mediator, lawyer, supervisor, admin); everyone(n) when they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("mediator", "lawyer", "supervisor", "admin")


@dataclass(frozen=True)
class Rule:
    meaning: str
    own: dict[str, int]
    other: dict[str, int] | None
    anon: int
    near: dict[str, int] | None = None  # only the case routes: a case of the region that is not theirs

    def expected(self, role: str | None, scope: str) -> int | None:
        if scope == "anon":
            return self.anon
        table = {"own": self.own, "near": self.near, "other": self.other}[scope]
        return None if table is None else table[role]


def each(mediator: int, lawyer: int, supervisor: int, admin: int) -> dict[str, int]:
    return {"mediator": mediator, "lawyer": lawyer, "supervisor": supervisor, "admin": admin}


def everyone(status: int) -> dict[str, int]:
    return each(status, status, status, status)


PAGE_ANON, API_ANON = 302, 401  # signed out: the sign-in page; the API: no token

RULES: dict[str, Rule] = {
    # --- anyone -----------------------------------------------------------------------------------
    "public": Rule(
        "anyone, signed in or not",
        own=everyone(200), other=None, anon=200),
    "public_post": Rule(
        "anyone (the language switch): back to the page",
        own=everyone(302), other=None, anon=302),
    "sign_in_page": Rule(
        "the sign-in page; a signed-in user goes to the case list",
        own=everyone(302), other=None, anon=200),
    "sign_in": Rule(
        "signing in (a signed-in user goes to the case list)",
        own=everyone(302), other=None, anon=302),
    "api_public": Rule(
        "the OpenAPI document: no token needed",
        own=everyone(200), other=None, anon=200),
    # --- any signed-in user ----------------------------------------------------------------------
    "signed_in": Rule(
        "any signed-in user",
        own=everyone(200), other=None, anon=PAGE_ANON),
    "signed_in_post": Rule(
        "any signed-in user, on their own account (done: back to a page)",
        own=everyone(302), other=None, anon=PAGE_ANON),
    "token_issue": Rule(
        "any signed-in user issues themself a token (shown once, 200)",
        own=everyone(200), other=None, anon=PAGE_ANON),
    "case_list": Rule(
        "the case list; a region filter outside the scope is not a choice (400)",
        own=everyone(200), other=everyone(400), anon=PAGE_ANON),
    "token_revoke": Rule(
        "your own token; another region's user's token does not exist (404)",
        own=everyone(302), other=everyone(404), anon=PAGE_ANON),
    "venue_week": Rule(
        "a venue's week in your scope; another region's venue does not exist",
        own=everyone(200), other=everyone(404), anon=PAGE_ANON),
    # --- cases ------------------------------------------------------------------------------------
    "case_read": Rule(
        "a case in scope: every role reads it; outside, it does not exist",
        own=everyone(200), near=everyone(200), other=everyone(404), anon=PAGE_ANON),
    "case_document": Rule(
        "a stored PDF: who works the case and a supervisor reviewing it",
        own=everyone(200), near=each(200, 403, 200, 200), other=everyone(404), anon=PAGE_ANON),
    "case_intake_page": Rule(
        "taking in a case: mediators and admins",
        own=each(200, 403, 403, 200), other=None, anon=PAGE_ANON),
    "case_intake": Rule(
        "taking in a case (made: 302); a region outside the scope is not a choice (400)",
        own=each(302, 403, 403, 302), other=each(400, 403, 403, 400), anon=PAGE_ANON),
    "action_page": Rule(
        "an action page: who works the case (a supervisor reviews, never acts)",
        own=each(200, 200, 403, 200), near=each(200, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "action_post": Rule(
        "an action: who works the case; admitted with a stale version: 409 conflict",
        own=each(409, 409, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=PAGE_ANON),
    "action_page_mediator": Rule(
        "an action of the mediator's (refer, reject, the venue): not the lawyer's role (403)",
        own=each(200, 403, 403, 200), near=each(200, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "action_post_mediator": Rule(
        "an action of the mediator's: the lawyer's role is refused (403)",
        own=each(409, 403, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=PAGE_ANON),
    "action_page_lawyer": Rule(
        "declining a case: the assigned lawyer only (any other role: 403)",
        own=each(403, 200, 403, 403), near=everyone(403), other=everyone(404), anon=PAGE_ANON),
    "action_post_lawyer": Rule(
        "declining a case: the assigned lawyer only",
        own=each(403, 409, 403, 403), near=everyone(403), other=everyone(404), anon=PAGE_ANON),
    "lawyer_assign_page": Rule(
        "choosing the lawyer: mediators and admins",
        own=each(200, 403, 403, 200), near=each(200, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "lawyer_assign": Rule(
        "choosing the lawyer: mediators and admins (stale version: 409)",
        own=each(409, 403, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=PAGE_ANON),
    "jc_application": Rule(
        "making the judicial-confirmation application: who works the case (made: 302)",
        own=each(302, 302, 403, 302), near=each(302, 403, 403, 302), other=everyone(404), anon=PAGE_ANON),
    "personal_data_page": Rule(
        "full ID numbers and phones: the case's mediator and lawyer and admins (a supervisor: masked only)",
        own=each(200, 200, 403, 200), near=each(403, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "personal_data_show": Rule(
        "showing them (recorded first, then shown: 200)",
        own=each(200, 200, 403, 200), near=each(403, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "access_records": Rule(
        "who saw which personal data: supervisors and admins",
        own=each(403, 403, 200, 200), other=None, anon=PAGE_ANON),
    "audit_log": Rule(
        "the audit log of privileged operations (their region subtree's): supervisors and admins",
        own=each(403, 403, 200, 200), other=None, anon=PAGE_ANON),
    # --- consultations ------------------------------------------------------------------------------
    "consultation_list": Rule(
        "the consultations of the region's subtree; a region filter outside the scope is not a choice (400)",
        own=everyone(200), other=everyone(400), anon=PAGE_ANON),
    "consultation_new_page": Rule(
        "logging a consultation: lawyers and mediators",
        own=each(200, 200, 403, 403), other=None, anon=PAGE_ANON),
    "consultation_new": Rule(
        "logging a consultation (made: 302); an empty form: 400",
        own=each(400, 400, 403, 403), other=None, anon=PAGE_ANON),
    "consultation_read": Rule(
        "a consultation of the region's subtree: every role reads it; outside, it does not exist",
        own=everyone(200), other=everyone(404), anon=PAGE_ANON),
    "consultation_edit_page": Rule(
        "editing a consultation: lawyers and mediators of its region",
        own=each(200, 200, 403, 403), other=everyone(404), anon=PAGE_ANON),
    "consultation_edit": Rule(
        "editing a consultation: admitted with a stale version: 409",
        own=each(409, 409, 403, 403), other=everyone(404), anon=PAGE_ANON),
    "consultation_case_page": Rule(
        "taking a consultation in as a case: who takes in cases (mediators, admins)",
        own=each(200, 403, 403, 200), other=everyone(404), anon=PAGE_ANON),
    "consultation_case": Rule(
        "taking it in (an empty intake form: 400)",
        own=each(400, 403, 403, 400), other=everyone(404), anon=PAGE_ANON),
    # --- lawyers, venues, rosters ------------------------------------------------------------------
    "workroom": Rule(
        "the lawyer's workroom",
        own=each(403, 200, 403, 403), other=None, anon=PAGE_ANON),
    "supervision": Rule(
        "supervision pages: supervisors and admins",
        own=each(403, 403, 200, 200), other=None, anon=PAGE_ANON),
    "lawyer_profile": Rule(
        "a lawyer's profile: supervisors read, admins edit; another region's: 404",
        own=each(403, 403, 200, 200), other=everyone(404), anon=PAGE_ANON),
    "lawyer_profile_post": Rule(
        "saving a profile: admins (an empty form: 400); another region's: 404",
        own=each(403, 403, 403, 400), other=everyone(404), anon=PAGE_ANON),
    "lawyer_new_page": Rule(
        "a new lawyer: admins",
        own=each(403, 403, 403, 200), other=None, anon=PAGE_ANON),
    "lawyer_new": Rule(
        "a new lawyer: admins (an empty form: 400)",
        own=each(403, 403, 403, 400), other=None, anon=PAGE_ANON),
    "conflict_declare": Rule(
        "a conflict of interest: the lawyer themself or an admin (recorded: 302)",
        own=each(403, 302, 403, 302), other=everyone(404), anon=PAGE_ANON),
    "roster_post": Rule(
        "a venue's roster: its region's supervisors and admins (an empty form: 400)",
        own=each(403, 403, 400, 400), other=everyone(404), anon=PAGE_ANON),
    "roster_delete": Rule(
        "removing a roster entry: its region's supervisors and admins",
        own=each(403, 403, 302, 302), other=everyone(404), anon=PAGE_ANON),
    # --- statistics, risk, imports -----------------------------------------------------------------
    "stats": Rule(
        "statistics of a region in scope: supervisors and admins; another region's: 404",
        own=each(403, 403, 200, 200), other=each(403, 403, 404, 404), anon=PAGE_ANON),
    "stats_lock": Rule(
        "locking a period: supervisors and admins (a bad period: 400); another region: 404",
        own=each(403, 403, 400, 400), other=each(403, 403, 404, 404), anon=PAGE_ANON),
    "import_page": Rule(
        "importing a ledger: supervisors and admins",
        own=each(403, 403, 200, 200), other=None, anon=PAGE_ANON),
    "import_post": Rule(
        "importing a ledger: supervisors and admins (no file: 400)",
        own=each(403, 403, 400, 400), other=None, anon=PAGE_ANON),
    "employer_codes": Rule(
        "accepting an employer code: supervisors and admins",
        own=each(403, 403, 200, 200), other=None, anon=PAGE_ANON),
    "employer_code_post": Rule(
        "accepting an employer code (done: 302)",
        own=each(403, 403, 302, 302), other=None, anon=PAGE_ANON),
    "employer_master": Rule(
        "an employer's master record: supervisors and admins, of employers with a case in their scope; "
        "one only another region knows does not exist for them",
        own=each(403, 403, 200, 200), other=each(403, 403, 404, 404), anon=PAGE_ANON),
    "employer_master_post": Rule(
        "changing it (no reason given: 400); one only another region knows: 404",
        own=each(403, 403, 400, 400), other=each(403, 403, 404, 404), anon=PAGE_ANON),
    # --- risk screening (mediation/hazards) ---------------------------------------------------------
    "hazard_new_page": Rule(
        "recording a hazard: mediators and lawyers",
        own=each(200, 200, 403, 403), other=None, anon=PAGE_ANON),
    "hazard_new": Rule(
        "recording a hazard: mediators and lawyers (an empty form: 400)",
        own=each(400, 400, 403, 403), other=None, anon=PAGE_ANON),
    "hazard_read": Rule(
        "a hazard of the region: everyone; another region's does not exist",
        own=everyone(200), other=everyone(404), anon=PAGE_ANON),
    "hazard_write": Rule(
        "a step, a notice or the closing of a hazard: mediators and lawyers (a stale version: 409); "
        "another region's: 404",
        own=each(409, 409, 403, 403), other=everyone(404), anon=PAGE_ANON),
    # --- administration ----------------------------------------------------------------------------
    "admin": Rule(
        "administration: admins",
        own=each(403, 403, 403, 200), other=None, anon=PAGE_ANON),
    "admin_create": Rule(
        "creating a user or venue (made: 302); in a region outside the scope: 400",
        own=each(403, 403, 403, 302), other=each(403, 403, 403, 400), anon=PAGE_ANON),
    "admin_record": Rule(
        "a user or venue: admins; another region's does not exist for them",
        own=each(403, 403, 403, 200), other=each(403, 403, 403, 404), anon=PAGE_ANON),
    "admin_record_post": Rule(
        "saving a user or venue (saved: 302); another region's: 404",
        own=each(403, 403, 403, 302), other=each(403, 403, 403, 404), anon=PAGE_ANON),
    # --- the JSON API (bearer tokens) --------------------------------------------------------------
    "api_case_list": Rule(
        "the case list; a region outside the scope does not exist (404)",
        own=everyone(200), other=everyone(404), anon=API_ANON),
    "api_case_read": Rule(
        "a case in scope; outside, it does not exist",
        own=everyone(200), near=everyone(200), other=everyone(404), anon=API_ANON),
    "api_case_create": Rule(
        "a referral (made: 201): mediators and admins; in another region: 403",
        own=each(201, 403, 403, 201), other=everyone(403), anon=API_ANON),
    "api_trigger": Rule(
        "a trigger: who works the case; admitted with a stale version: 409",
        own=each(409, 409, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=API_ANON),
    "api_trigger_mediator": Rule(
        "refer, reject: mediators and admins",
        own=each(409, 403, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=API_ANON),
    "api_document": Rule(
        "the agreement PDF: who works the case and a supervisor",
        own=everyone(200), near=each(200, 403, 200, 200), other=everyone(404), anon=API_ANON),
    "api_payment": Rule(
        "a payment: who works the case; admitted with a stale version: 409",
        own=each(409, 409, 403, 409), near=each(409, 403, 403, 409), other=everyone(404), anon=API_ANON),
    "api_personal_data": Rule(
        "full ID numbers and phones (recorded): the case's mediator, lawyer, admins",
        own=each(200, 200, 403, 200), near=each(403, 403, 403, 200), other=everyone(404), anon=API_ANON),
    "api_consultations": Rule(
        "the consultations of the subtree, masked; a region outside the scope does not exist (404)",
        own=everyone(200), other=everyone(404), anon=API_ANON),
    "api_stats": Rule(
        "recovery statistics: supervisors and admins; another region: 404",
        own=each(403, 403, 200, 200), other=each(403, 403, 404, 404), anon=API_ANON),
}

# The operations that correct a record (and make the agreement anew): who works the case, like an action.
CORRECTIONS = ("correct_claims", "void_payment", "cancel_session", "reschedule_session", "generate_agreement")

# Every route, by "METHOD rule" (the action pages: one row per action, "<action=name>").
ROUTES: dict[str, str] = {
    # public
    "GET /static/<path:filename>": "public",
    "GET /bootstrap/static/<path:filename>": "public",
    "GET /login": "sign_in_page",
    "POST /login": "sign_in",
    "POST /language/<code>": "public_post",
    "GET /verify": "public",
    "POST /verify": "public",
    "GET /api/v1/openapi.json": "api_public",
    # account
    "POST /logout": "signed_in_post",
    "GET /account/password": "signed_in",
    "POST /account/password": "signed_in_post",
    "GET /account/tokens": "signed_in",
    "POST /account/tokens": "token_issue",
    "POST /account/tokens/<int:token_id>/revoke": "token_revoke",
    "GET /account/tokens/users/<int:user_id>": "admin_record",
    # cases
    "GET /": "case_list",
    "GET /cases/new": "case_intake_page",
    "POST /cases/new": "case_intake",
    "GET /cases/<number>": "case_read",
    "GET /cases/<number>/lawyer": "lawyer_assign_page",
    "POST /cases/<number>/lawyer": "lawyer_assign",
    "GET /cases/<number>/documents/<int:version>.pdf": "case_document",
    "GET /cases/<number>/documents/<any(agreement, jc_application):kind>/<int:version>.pdf": "case_document",
    "POST /cases/<number>/enforcement/<int:path_id>/application": "jc_application",
    "GET /cases/<number>/personal-data": "personal_data_page",
    "POST /cases/<number>/personal-data": "personal_data_show",
    "GET /admin/personal-data-access": "access_records",
    "GET /admin/audit": "audit_log",
    # the action pages (the operations table, mediation/case_core/operations.py)
    **{f"GET /cases/<number>/<action={name}>": "action_page" for name in (
        "start_mediation", "session", "extend", "settle", "fail", "withdraw", "schedule", "installments", "sign",
        "payment", "apply_confirmation", "enforce", "enforcement_path", "enforcement_outcome", "write_off",
        "close", *CORRECTIONS, "correct_party")},
    **{f"POST /cases/<number>/<action={name}>": "action_post" for name in (
        "start_mediation", "session", "extend", "settle", "fail", "withdraw", "schedule", "installments", "sign",
        "payment", "apply_confirmation", "enforce", "enforcement_path", "enforcement_outcome", "write_off",
        "close", *CORRECTIONS, "correct_party")},
    **{f"GET /cases/<number>/<action={name}>": "action_page_mediator" for name in ("assign", "refer", "reject")},
    **{f"POST /cases/<number>/<action={name}>": "action_post_mediator" for name in ("assign", "refer", "reject")},
    "GET /cases/<number>/<action=decline>": "action_page_lawyer",
    "POST /cases/<number>/<action=decline>": "action_post_lawyer",
    # consultations
    "GET /consultations": "consultation_list",
    "GET /consultations/new": "consultation_new_page",
    "POST /consultations/new": "consultation_new",
    "GET /consultations/<int:consultation_id>": "consultation_read",
    "GET /consultations/<int:consultation_id>/edit": "consultation_edit_page",
    "POST /consultations/<int:consultation_id>/edit": "consultation_edit",
    "GET /consultations/<int:consultation_id>/case": "consultation_case_page",
    "POST /consultations/<int:consultation_id>/case": "consultation_case",
    # lawyers and venues
    "GET /workroom": "workroom",
    "GET /supervision": "supervision",
    "GET /lawyers": "supervision",
    "GET /lawyers/new": "lawyer_new_page",
    "POST /lawyers/new": "lawyer_new",
    "GET /lawyers/<int:user_id>": "lawyer_profile",
    "POST /lawyers/<int:user_id>": "lawyer_profile_post",
    "POST /lawyers/<int:user_id>/conflicts": "conflict_declare",
    "GET /venues/<int:venue_id>/week": "venue_week",
    "POST /venues/<int:venue_id>/roster": "roster_post",
    "POST /venues/<int:venue_id>/exceptions": "roster_post",
    "POST /venues/<int:venue_id>/roster/<int:entry_id>/delete": "roster_delete",
    # statistics, risk, imports, employers
    "GET /statistics": "stats",
    "GET /statistics.csv": "stats",
    "GET /statistics.xlsx": "stats",
    "GET /statistics.pdf": "stats",
    "GET /statistics/locks": "supervision",
    "POST /statistics/locks": "stats_lock",
    "GET /statistics/locks/<int:report_id>": "stats",
    "GET /risk": "supervision",
    "GET /risk.csv": "supervision",
    "GET /import": "import_page",
    "POST /import": "import_post",
    "GET /admin/employers": "employer_codes",
    "POST /admin/employers": "employer_code_post",
    "GET /admin/employers/<uscc>": "employer_master",
    "POST /admin/employers/<uscc>": "employer_master_post",
    # risk screening
    "GET /hazards": "signed_in",
    "GET /hazards/new": "hazard_new_page",
    "POST /hazards/new": "hazard_new",
    "GET /hazards/<int:hazard_id>": "hazard_read",
    "POST /hazards/<int:hazard_id>/steps": "hazard_write",
    "POST /hazards/<int:hazard_id>/close": "hazard_write",
    "POST /hazards/<int:hazard_id>/notice": "hazard_write",
    "GET /hazards/<int:hazard_id>/notices/<int:version>.pdf": "hazard_read",
    # administration
    "GET /admin/users": "admin",
    "GET /admin/users/new": "admin",
    "POST /admin/users/new": "admin_create",
    "GET /admin/users/<int:user_id>": "admin_record",
    "POST /admin/users/<int:user_id>": "admin_record_post",
    "GET /admin/venues": "admin",
    "GET /admin/venues/new": "admin",
    "POST /admin/venues/new": "admin_create",
    "GET /admin/venues/<int:venue_id>": "admin_record",
    "POST /admin/venues/<int:venue_id>": "admin_record_post",
    # the JSON API
    "GET /api/v1/cases": "api_case_list",
    "GET /api/v1/hazards": "api_case_list",
    "POST /api/v1/cases": "api_case_create",
    "GET /api/v1/cases/<case_number:number>": "api_case_read",
    **{f"POST /api/v1/cases/<case_number:number>/actions/{name}": "api_trigger" for name in (
        "withdraw", "start_mediation", "extend", "settle", "fail", "apply_confirmation", "enforce", "close",
        "write_off", *CORRECTIONS, "correct_party")},
    **{f"POST /api/v1/cases/<case_number:number>/actions/{name}": "api_trigger_mediator" for name in (
        "refer", "reject")},
    "GET /api/v1/cases/<case_number:number>/agreement.pdf": "api_document",
    "POST /api/v1/cases/<case_number:number>/payments": "api_payment",
    "POST /api/v1/cases/<case_number:number>/personal-data": "api_personal_data",
    "GET /api/v1/stats/recovery": "api_stats",
    "GET /api/v1/consultations": "api_consultations",
}


def rule_of(key: str) -> Rule:
    return RULES[ROUTES[key]]
