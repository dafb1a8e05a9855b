"""Configuration: safe development defaults, then ``CONSORTIUM_*`` environment variables, then overrides."""

from __future__ import annotations

import logging
import os
import re
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration (for example production without a secret key)."""


class Defaults:
    ENV = "development"  # "development", "testing" or "production"
    SECRET_KEY = None  # generated per instance in development; required in production
    SQLALCHEMY_DATABASE_URI = None  # SQLite under instance/ unless DATABASE_URL is given
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Flask-Babel resolves relative paths from app.root_path (consortium/), so this must be absolute.
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None  # True outside development unless set explicitly
    # Enforced on the server (consortium.users.sessions): a session ends after this long without a
    # request, and in any case this long after log-in. The signed cookie lives no longer than that.
    SESSION_IDLE_TIMEOUT = 60 * 60 * 12
    SESSION_ABSOLUTE_LIFETIME = 60 * 60 * 24 * 7
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_LIFETIME
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; long forms must not expire
    WTF_CSRF_CHECK_DEFAULT = False  # consortium.security checks CSRF itself, skipping bearer-token API calls

    RATELIMIT_STORAGE_URI = "memory://"  # redis://127.0.0.1:6379/0 to share limits between workers
    RATELIMIT_KEY_PREFIX = "consortium"
    # A moving window counts the last N minutes exactly: a fixed one resets on the minute and lets twice
    # the limit through around the boundary (and made the limit tests flaky under load).
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ADDRESS = "20 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "6 per 10 minutes"  # also current-password checks, per signed-in person
    LOGIN_UNLOCK_MAX_AGE = 60 * 60  # the e-mailed link that lets the owner past the account limit

    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536  # KiB
    PASSWORD_MIN_LENGTH = 10

    MAIL_BACKEND = "log"  # "log" prints messages; "smtp" sends them
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "DPI Consortium <no-reply@localhost>"
    MAIL_MAX_ATTEMPTS = 8

    TOKEN_MAX_AGE_VERIFY = 60 * 60 * 24 * 3
    TOKEN_MAX_AGE_RESET = 60 * 60
    INVITATION_MAX_AGE_DAYS = 14

    PRIVACY_PURGE_AFTER_DAYS = 90  # `flask privacy purge` erases sensitive registration answers then

    PROXY_FIX_X_FOR = 0  # number of trusted proxies in front of the app
    SERVER_NAME = None
    PREFERRED_URL_SCHEME = "http"
    PUBLIC_URL = "http://127.0.0.1:5000"  # base of every absolute link: pages, feeds, e-mails, certificates
    TRUSTED_HOSTS = None  # hosts answered; None: PUBLIC_URL's (+ 127.0.0.1, localhost in dev and tests)

    API_TITLE = "DPI Consortium API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    PAGE_CACHE_SECONDS = 10  # anonymous public pages, per worker; 0 turns it off (consortium.pagecache)

    UPLOAD_FOLDER = None  # instance/uploads unless set
    # Where uploaded files' bytes go (consortium.storage): "local" (UPLOAD_FOLDER, one host) or "database"
    # (every host sees every file). None: "database" on PostgreSQL, "local" on SQLite.
    STORAGE_BACKEND = None
    MAX_UPLOAD_MB = 20
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024


def load(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` from defaults, then the environment, then ``overrides``, then derive the rest."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("CONSORTIUM")
    if "STORAGE" in app.config:  # CONSORTIUM_STORAGE=database|local
        app.config["STORAGE_BACKEND"] = app.config.pop("STORAGE")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    app.config.update(overrides or {})
    _derive(app)


def _derive(app) -> None:
    config = app.config
    production = config["ENV"] == "production"
    if production:
        missing = [key for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not config.get(key)]
        if missing:
            raise ConfigurationError(
                "Production needs these settings: "
                + ", ".join("DATABASE_URL" if key.startswith("SQLALCHEMY") else key for key in missing)
            )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'consortium.sqlite'}"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = config["ENV"] not in ("development", "testing")
    config["TRUSTED_HOSTS"] = _trusted_hosts(config)
    if production:
        _harden_cookies(config)
        _warn_unshared_limits(config)
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if not config.get("UPLOAD_FOLDER"):
        config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    config["STORAGE_BACKEND"] = _storage_backend(config)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite needs a busy wait so concurrent writers queue instead of failing at once.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 30},
        }
    app.debug = config["ENV"] == "development" and bool(config.get("DEBUG"))


def _storage_backend(config) -> str:
    backend = config.get("STORAGE_BACKEND") or (
        "local" if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "database"
    )
    if backend not in ("local", "database"):
        raise ConfigurationError(f'STORAGE_BACKEND is "local" or "database", not "{backend}"')
    return backend


def _trusted_hosts(config) -> list[str]:
    """Flask refuses any other ``Host``, so no request can make a (cached) page link elsewhere."""
    hosts = config["TRUSTED_HOSTS"]
    if isinstance(hosts, str):  # CONSORTIUM_TRUSTED_HOSTS=a.example,.b.example (a JSON list works too)
        hosts = [host.strip() for host in hosts.split(",") if host.strip()]
    if hosts:
        return list(hosts)
    hosts = [urlsplit(config["PUBLIC_URL"]).hostname or "localhost"]
    if config["ENV"] in ("development", "testing"):
        hosts += [host for host in ("127.0.0.1", "localhost") if host not in hosts]
    return hosts


def _harden_cookies(config) -> None:
    """Production cookies travel over HTTPS only, and the session cookie carries the ``__Host-`` prefix:
    browsers then refuse it unless it is Secure, for the whole site (Path=/) and for this host alone (no
    Domain), so no sibling subdomain or plain-HTTP page can plant or overwrite it."""
    if not config["SESSION_COOKIE_SECURE"]:
        raise ConfigurationError(
            "Production sends cookies over HTTPS only: SESSION_COOKIE_SECURE cannot be off"
        )
    if config.get("SESSION_COOKIE_DOMAIN"):
        raise ConfigurationError(
            "The __Host- session cookie cannot name a domain: unset SESSION_COOKIE_DOMAIN"
        )
    if config["SESSION_COOKIE_NAME"] == "session":
        config["SESSION_COOKIE_NAME"] = "__Host-session"
    config["SESSION_COOKIE_PATH"] = "/"


def _warn_unshared_limits(config) -> None:
    """In-memory limits are per worker: with several, a guesser gets several times the attempts."""
    workers = worker_count()
    if workers > 1 and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        log.warning(
            "\n%s\nWARNING: %d workers but no REDIS_URL. Each worker counts failed log-ins on its own,\n"
            "so the log-in limits are %d times looser than configured and reset on every restart.\n"
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to share them.\n%s",
            "=" * 78,
            workers,
            workers,
            "=" * 78,
        )


def worker_count() -> int:
    """How many worker processes gunicorn will start: ``WEB_CONCURRENCY``, or ``-w``/``--workers`` in
    ``GUNICORN_CMD_ARGS`` or on gunicorn's own command line."""
    if os.environ.get("WEB_CONCURRENCY", "").strip().isdigit():
        return int(os.environ["WEB_CONCURRENCY"])
    arguments = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))
    if sys.argv and "gunicorn" in Path(sys.argv[0]).name:
        arguments += sys.argv[1:]
    found = 1
    for index, argument in enumerate(arguments):
        match = re.fullmatch(r"(?:-w|--workers=?)(\d*)", argument)
        if match:
            value = match.group(1) or (arguments[index + 1] if index + 1 < len(arguments) else "")
            found = int(value) if value.isdigit() else found
    return found


def _instance_secret(instance: Path) -> str:
    """A random development secret kept in instance/, so sessions survive restarts of ``make run``."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()
