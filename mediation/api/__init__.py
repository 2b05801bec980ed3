"""The JSON API, v1: /api/v1, described by the OpenAPI document at /api/v1/openapi.json.

For court mediation platforms and scripts: the same services, roles and region scoping as
the pages, bearer tokens instead of the session (auth.py), errors as problem documents
(problems.py). flask-smorest turns the marshmallow schemas into both the request parsing and
the document, so the document describes what the code does.
"""

from __future__ import annotations

from flask import Flask

from mediation.api.problems import PROBLEM_MIMETYPE

SPEC_DEFAULTS = {
    "API_TITLE": "Labor-dispute mediation API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    # no Swagger UI or ReDoc: they would load their scripts from a CDN
    "API_SPEC_OPTIONS": {
        "info": {"description": (
            "Cases, referrals, workflow triggers, payments, the agreement PDF and the recovery statistics of "
            "the union mediation workrooms, scoped like the web pages: you see the cases of your home region "
            "and the regions below it. Authenticate with a personal API token: `Authorization: Bearer <token>`; "
            "a token expires (180 days after it was issued by default), then answers 401 `token_expired`. "
            "Money is a decimal string in yuan (\"12000.00\"); dates are ISO 8601. Errors are "
            f"`{PROBLEM_MIMETYPE}` documents with a stable `code`.")},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    },
}


def init_api(app: Flask) -> None:
    """Register the API on the app; call after the pages' error handlers (it wraps them)."""
    from mediation.api import actions, auth, cases, disclosure, documents, hazards, payments, stats
    from mediation.api.docs import CaseNumberConverter, MediationApi, document_problems
    from mediation.api.problems import register_problem_handlers
    from mediation.consultations import api as consultations
    from mediation.extensions import csrf

    for key, value in SPEC_DEFAULTS.items():
        app.config.setdefault(key, value)
    app.url_map.converters["case_number"] = CaseNumberConverter
    app.session_interface = auth.ApiSessionInterface()
    app.before_request(auth.authenticate)
    pages = dict(app.error_handler_spec[None][None])  # before flask-smorest adds its own
    api = MediationApi(app)
    document_problems(api)
    api.register_converter(CaseNumberConverter, lambda converter: {
        "type": "string", "pattern": "^" + CaseNumberConverter.regex + "$", "example": "220102-2026-00001"})
    for module in (cases, actions, payments, documents, stats, disclosure, consultations, hazards):
        csrf.exempt(module.bp)  # bearer tokens only (auth.py): a cross-site form cannot send one
        api.register_blueprint(module.bp)
    # the document describes itself too, so that every route under /api/v1 is in it
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "api-docs.openapi_json")
    api.spec.path(rule=rule, operations={"get": {
        "summary": "This document.", "security": [],
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}}}})
    register_problem_handlers(app, pages)
