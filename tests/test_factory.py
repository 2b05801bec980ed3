"""The application factory and the smoke test of the factories."""

from mediation import create_app
from tests.conftest import base_config


def test_the_test_mapping_is_the_configuration(database_uri):
    app = create_app(base_config(database_uri, CASES_PER_PAGE=7))
    assert app.testing and app.config["CASES_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_uri


def test_the_embedded_default_lives_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'mediation.sqlite3'}"
    assert app.secret_key == (tmp_path / "secret_key").read_text().strip() and len(app.secret_key) == 64
    assert create_app().secret_key == app.secret_key  # kept, not made anew on every start
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_every_state_can_be_made(make_case):
    for state in ("intake", "referred", "mediating", "settled", "failed", "withdrawn", "rejected", "closed"):
        assert make_case(state).state == state
