"""Default configuration; a deployment overrides it in instance/config.py or the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Default:
    # SQLALCHEMY_DATABASE_URI defaults to SQLite in the instance folder (set in create_app).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("MEDIATION_SECURE_COOKIES", "") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("zh", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN at run time
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_ATTEMPTS_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_ATTEMPTS_PER_ADDRESS = "20 per 15 minutes"
    CASES_PER_PAGE = 25
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
