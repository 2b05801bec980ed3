"""Security headers on every response, and the production switches (secure cookies, a proxy).

One after_request sets them for every route, the API and error pages included, so a new page
is covered without anyone thinking of it (tests/security walks the URL map to hold that).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script, no inline style: the pages load /static and Bootstrap-Flask's local files
# only (templates carry no <script> blocks, no on* attributes, no style="" attributes).
# img-src allows data: because Bootstrap's CSS draws its form controls with data: SVG images.
# The charts are server-drawn SVG in the page, which needs no script and no style attribute.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def _carries_personal_data() -> bool:
    """Whatever a signed-in person or an API client receives may name workers, ID numbers and
    sums owed: kept out of every cache. Static files are the same for everyone."""
    if _is_static():
        return False
    if request.path.startswith("/api/") or request.headers.get("Authorization", "").lower().startswith("bearer "):
        return True
    return current_user.is_authenticated


def add_security_headers(response):  # noqa: ANN001, ANN201
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):  # the deployment said it is served over HTTPS
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # the user is asked about last: a page of a database outage says no-store itself, and must
    # not load the user (mediation/unavailable.py)
    if "no-store" not in response.headers.get("Cache-Control", "") and _carries_personal_data():
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    # Behind HTTPS, a deployment sets SECURE_COOKIES (MEDIATION_SECURE_COOKIES=1): cookies are
    # then sent over HTTPS only. Off by default so `make run` works on http://127.0.0.1.
    if app.config.get("SECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    # Behind a reverse proxy, PROXY_COUNT proxies in front: the client's own address (for the
    # sign-in throttle per address) and scheme come from their X-Forwarded-* headers.
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    app.after_request(add_security_headers)
