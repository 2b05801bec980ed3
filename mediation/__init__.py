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
    else:
        app.config.update(test_config)
    configure_database_and_secret(app)
    register_extensions(app)
    register_security(app)
    register_operations()
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_database_and_secret(app: Flask) -> None:
    """The embedded default: SQLite and a secret key kept in the instance folder."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{instance / 'mediation.sqlite3'}")
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()


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
    from mediation.disclosure.views import bp as disclosure_bp
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
