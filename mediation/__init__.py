"""The labor-dispute mediation case system: the application factory."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from mediation.config import PROJECT_ROOT, Default


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=os.environ.get("MEDIATION_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.from_object(Default)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("MEDIATION")
        if "MEDIATION_SECRET_KEY" in os.environ:  # as written: from_prefixed_env reads "123e4" as a number
            app.config["SECRET_KEY"] = os.environ["MEDIATION_SECRET_KEY"]
    else:
        app.config.update(test_config)
    configure_database_and_secret(app)
    check_settings(app)
    register_extensions(app)
    register_security(app)
    register_operations()
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


class ConfigurationError(RuntimeError):
    """The configuration cannot run the app; the message says which setting and how to set it."""


def _on(value: Any) -> bool:
    """A flag from the environment ("1", "true", "yes") or a config file (True)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def configure_database_and_secret(app: Flask) -> None:
    """The embedded default: SQLite and a secret key kept in the instance folder. In production
    the key must be configured: one made up here would differ from host to host, and a session
    or form signed by one host would be refused by the next."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{instance / 'mediation.sqlite3'}")
    if _on(app.config.get("PRODUCTION")):
        check_production_secret(app.config.get("SECRET_KEY"), app.config["MIN_SECRET_KEY_LENGTH"])
    elif not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
            app.logger.warning("No SECRET_KEY configured: made one for this host in %s. A deployment on several "
                               "hosts sets MEDIATION_SECRET_KEY, and MEDIATION_PRODUCTION=1 to require it.", key_file)
        app.config["SECRET_KEY"] = key_file.read_text().strip()


def check_settings(app: Flask) -> None:
    """Settings a deployment may give as text (MEDIATION_...), checked once at start rather than
    failing the first request that reads them."""
    days = app.config.get("API_TOKEN_DAYS")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ConfigurationError(f"API_TOKEN_DAYS must be a whole number of days, at least 1 (it is {days!r}): "
                                 "set MEDIATION_API_TOKEN_DAYS=180, or API_TOKEN_DAYS = 180 in instance/config.py.")


def check_production_secret(key: Any, min_length: int) -> None:
    """Refuse to start without a real secret key (sessions, CSRF tokens and "remember me" are signed with it)."""
    how = ("Set the same key on every host of the deployment: the environment variable MEDIATION_SECRET_KEY, or "
           "SECRET_KEY = '...' in instance/config.py. Make one with: "
           "python -c 'import secrets; print(secrets.token_hex(32))'")
    if not isinstance(key, str | bytes) or not key.strip():
        raise ConfigurationError(f"SECRET_KEY is not configured, and PRODUCTION is on: the app does not make one up "
                                 f"in production (each host would sign sessions with a key of its own). {how}")
    if len(key.strip()) < min_length:
        raise ConfigurationError(f"SECRET_KEY is too short ({len(key.strip())} characters; at least {min_length} "
                                 f"in production). {how}")


def register_extensions(app: Flask) -> None:
    from mediation import auth
    from mediation.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from mediation.web.i18n import select_locale
    from mediation.web.sqlite import configure_sqlite

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    # the templates' current_user comes from web.py, as a proxy that loads the user only when a
    # template reads it (Flask-Login's own context processor would load them on every render)
    login_manager.init_app(app, add_context_processor=False)
    auth.configure_login(login_manager)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)


def register_security(app: Flask) -> None:
    from mediation.auth import sessions
    from mediation.web import input_guard, security, submissions

    security.init_app(app)
    input_guard.init_app(app)  # before the blueprints: their rules take its converters
    sessions.init_app(app)
    submissions.init_app(app)  # after the session checks: an ended session's forms are no user's


def register_operations() -> None:
    """Each domain declares its case operations in the one table the pages and the API read
    (mediation/case_core/operations.py), and its part of the case page
    (mediation/case_core/pages.py); importing a domain's modules registers them once."""
    import mediation.cases.operations
    import mediation.consultations.case_page
    import mediation.enforcement.case_page
    import mediation.enforcement.operations
    import mediation.lawyers.operations
    import mediation.settlements.case_page
    import mediation.settlements.operations  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from mediation.admin.views import bp as admin_bp
    from mediation.audit.views import bp as audit_bp
    from mediation.auth.views import bp as auth_bp
    from mediation.cases.views import bp as cases_bp
    from mediation.consultations.views import bp as consultations_bp
    from mediation.disclosure.views import bp as disclosure_bp
    from mediation.hazards.views import bp as hazards_bp
    from mediation.imports.views import bp as imports_bp
    from mediation.lawyers.views import bp as lawyers_bp
    from mediation.risk.views import bp as risk_bp
    from mediation.settlements.views import bp as settlements_bp
    from mediation.stats.views import bp as stats_bp
    from mediation.tokens.views import bp as tokens_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(lawyers_bp)
    app.register_blueprint(settlements_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(risk_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(disclosure_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(hazards_bp)


def register_errorhandlers(app: Flask) -> None:
    from mediation.api import init_api
    from mediation.web import unavailable
    from mediation.web.pages import register_error_pages

    register_error_pages(app)
    init_api(app)  # the JSON API answers its errors as problems and hands the pages' errors back
    unavailable.register(app)  # a database down, read-only or full: 503, on pages and the API


def register_template_helpers(app: Flask) -> None:
    from mediation.web.pages import register_template_helpers as register

    register(app)


def register_commands(app: Flask) -> None:
    from mediation.cli import register

    register(app)
