"""The application factory and the smoke test of the factories."""

import os
import subprocess
import sys

import pytest

from mediation import ConfigurationError, create_app
from mediation.config import PROJECT_ROOT
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


# --- the production setting: a secret key configured, never made up ------------------------------

KEY = "5f1d" * 16  # 64 characters, as `secrets.token_hex(32)` makes them


def production(monkeypatch, tmp_path, **env: str) -> None:
    """A deployment's environment: its own instance folder, PRODUCTION on, and `env`."""
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MEDIATION_SECRET_KEY", raising=False)
    monkeypatch.setenv("MEDIATION_PRODUCTION", "1")
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    production(monkeypatch, tmp_path)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    message = str(refused.value)
    assert "SECRET_KEY" in message and "MEDIATION_SECRET_KEY" in message and "instance/config.py" in message
    assert "secrets.token_hex(32)" in message  # how to make one
    assert not (tmp_path / "secret_key").exists()  # nothing made up for this host alone


def test_production_ignores_a_key_an_earlier_start_wrote_into_the_instance_folder(tmp_path, monkeypatch):
    (tmp_path / "secret_key").write_text("a" * 64)
    production(monkeypatch, tmp_path)
    with pytest.raises(ConfigurationError):
        create_app()


@pytest.mark.parametrize("value", ["", "   ", "short-key", "x" * 31])
def test_production_refuses_an_empty_or_short_secret_key(tmp_path, monkeypatch, value):
    production(monkeypatch, tmp_path, MEDIATION_SECRET_KEY=value)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("flag", ["1", "true", "True", "yes"])
def test_production_starts_with_the_configured_key(tmp_path, monkeypatch, flag):
    production(monkeypatch, tmp_path, MEDIATION_SECRET_KEY=KEY, MEDIATION_PRODUCTION=flag)
    app = create_app()
    assert app.secret_key == KEY and not (tmp_path / "secret_key").exists()


def test_a_key_of_digits_is_taken_as_written(tmp_path, monkeypatch):
    """The MEDIATION_ variables are read as JSON (a number, true): the key is text whatever it looks like."""
    production(monkeypatch, tmp_path, MEDIATION_SECRET_KEY="1" * 40 + "e5")
    assert create_app().secret_key == "1" * 40 + "e5"


def test_production_reads_the_key_from_instance_config(tmp_path, monkeypatch):
    production(monkeypatch, tmp_path)
    (tmp_path / "config.py").write_text(f"SECRET_KEY = {KEY!r}\n")
    assert create_app().secret_key == KEY


@pytest.mark.parametrize("flag", ["0", "false", "no", ""])
def test_without_production_the_embedded_default_still_makes_its_key(tmp_path, monkeypatch, flag):
    production(monkeypatch, tmp_path, MEDIATION_PRODUCTION=flag)
    assert create_app().secret_key == (tmp_path / "secret_key").read_text().strip()


def test_the_wsgi_entry_point_of_a_production_host_without_a_key_exits_saying_why(tmp_path):
    """What gunicorn sees when it loads wsgi:app."""
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIATION_SECRET_KEY", "DATABASE_URL")}
    env.update(MEDIATION_INSTANCE_PATH=str(tmp_path), MEDIATION_PRODUCTION="1")
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "MEDIATION_SECRET_KEY" in done.stderr


@pytest.mark.parametrize("days", ["abc", 0, -5, 1.5, True, None])
def test_a_token_lifetime_that_is_no_number_of_days_stops_the_start(database_uri, days):
    with pytest.raises(ConfigurationError, match="API_TOKEN_DAYS"):
        create_app(base_config(database_uri, API_TOKEN_DAYS=days))


def test_the_token_lifetime_comes_from_the_environment_as_a_number(tmp_path, monkeypatch):
    production(monkeypatch, tmp_path, MEDIATION_SECRET_KEY=KEY, MEDIATION_API_TOKEN_DAYS="90")
    assert create_app().config["API_TOKEN_DAYS"] == 90
