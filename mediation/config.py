"""Default configuration; a deployment overrides it in instance/config.py or the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Default:
    # PRODUCTION (MEDIATION_PRODUCTION=1) is a deployment's setting: the app refuses to start unless
    # SECRET_KEY is configured (MEDIATION_SECRET_KEY, or instance/config.py), the same on every host.
    # Off (`make run`), a key made at the first start is kept in instance/secret_key.
    PRODUCTION = False
    MIN_SECRET_KEY_LENGTH = 32  # in production: a key shorter than this is a placeholder, not a secret
    # SQLALCHEMY_DATABASE_URI defaults to SQLite in the instance folder (set in create_app).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # SECURE_COOKIES (MEDIATION_SECURE_COOKIES=1 behind HTTPS) turns on the Secure flag of both
    # cookies and HSTS (mediation/web/security.py); off, `make run` works on http://127.0.0.1.
    SECURE_COOKIES = os.environ.get("MEDIATION_SECURE_COOKIES", "") == "1"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day from sign-in, however active
    SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request that end a session sooner
    PASSWORD_MIN_LENGTH = 10  # never below 10: the common-password list starts there
    PROXY_COUNT = 0  # reverse proxies in front of the app whose X-Forwarded-For is trusted
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("zh", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN at run time
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After on a 429
    # With Redis down, each worker counts on its own rather than sign-in failing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_ATTEMPTS_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_ATTEMPTS_PER_ADDRESS = "20 per 15 minutes"
    CASES_PER_PAGE = 25
    # API tokens expire this many days after they are issued (`flask users token --days N` asks
    # for fewer); a leaked token a script forgot about stops working on its own.
    API_TOKEN_DAYS = 180
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
