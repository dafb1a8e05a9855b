"""Production configuration: hardened cookies, and a loud warning when log-in limits cannot be shared."""

from __future__ import annotations

import logging

import pytest

from consortium.app import create_app
from consortium.config import ConfigurationError
from tests.conftest import TEST_CONFIG


@pytest.fixture
def production(app, monkeypatch, tmp_path):
    """Start the app as production would, on the tests' database, with nothing in the environment."""
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.argv", ["flask"])
    started = []

    def start(**overrides):
        config = {
            key: value
            for key, value in TEST_CONFIG.items()
            if key not in ("TESTING", "RATELIMIT_STORAGE_URI")
        }
        config.update(
            ENV="production",
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            PUBLIC_URL="https://localhost",
            UPLOAD_FOLDER=str(tmp_path),
            **overrides,
        )
        started.append(create_app(config))
        return started[-1]

    yield start
    for instance in started:
        with instance.app_context():
            instance.extensions["sqlalchemy"].engine.dispose()


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_production_session_cookie_is_host_prefixed_and_every_cookie_is_secure(production):
    client = production().test_client()
    [session_cookie] = _set_cookies(client.get("/login", base_url="https://localhost"))
    assert session_cookie.startswith("__Host-session=")
    assert "Secure" in session_cookie and "Path=/" in session_cookie and "Domain" not in session_cookie
    language = _set_cookies(client.get("/language?lang=en", base_url="https://localhost"))
    assert language and all("Secure" in cookie for cookie in language)


def test_development_keeps_plain_cookies_for_http(app, client):
    [cookie] = _set_cookies(client.get("/login"))
    assert cookie.startswith("session=") and "Secure" not in cookie


@pytest.mark.parametrize(
    "environment",
    [{"WEB_CONCURRENCY": "4"}, {"GUNICORN_CMD_ARGS": "--workers 3 --bind 0.0.0.0:8000"}],
)
def test_several_workers_without_redis_warn_loudly(production, monkeypatch, caplog, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with caplog.at_level(logging.WARNING):
        production()
    [warning] = [r for r in caplog.records if "REDIS_URL" in r.getMessage()]
    assert warning.levelno >= logging.WARNING and "log-in limits" in warning.getMessage()


def test_gunicorn_command_line_counts_as_several_workers(production, monkeypatch, caplog):
    monkeypatch.setattr("sys.argv", ["/srv/.venv/bin/gunicorn", "-w", "4", "wsgi:app"])
    with caplog.at_level(logging.WARNING):
        production()
    assert any("REDIS_URL" in r.getMessage() for r in caplog.records)


def test_one_worker_or_a_shared_redis_starts_quietly(production, monkeypatch, caplog):
    with caplog.at_level(logging.WARNING):
        production()
        monkeypatch.setenv("WEB_CONCURRENCY", "4")
        # Not db 15: this app re-binds the process's limiter, whose reset after each test empties that
        # database, and the Redis log-in limit test (perhaps in another pytest worker) counts there.
        monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/13")
        production()
    assert not [r for r in caplog.records if "REDIS_URL" in r.getMessage()]


@pytest.mark.parametrize(
    ("database", "variable", "expected"),
    [
        ("sqlite", None, "local"),
        ("postgresql", None, "database"),
        ("sqlite", "database", "database"),
        ("postgresql", "local", "local"),
    ],
)
def test_files_are_stored_in_the_database_on_postgresql_unless_configured(
    monkeypatch, tmp_path, database, variable, expected
):
    if variable:
        monkeypatch.setenv("CONSORTIUM_STORAGE", variable)
    url = f"sqlite:///{tmp_path / 'x.sqlite'}" if database == "sqlite" else "postgresql+psycopg://u@h/d"
    made = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path)})
    assert made.config["STORAGE_BACKEND"] == expected


def test_an_unknown_storage_backend_stops_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSORTIUM_STORAGE", "s3")
    with pytest.raises(ConfigurationError, match="STORAGE_BACKEND"):
        create_app({**TEST_CONFIG, "UPLOAD_FOLDER": str(tmp_path)})
