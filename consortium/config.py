"""Configuration: safe development defaults, then ``CONSORTIUM_*`` environment variables, then overrides."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


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
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; long forms must not expire
    WTF_CSRF_CHECK_DEFAULT = False  # consortium.security checks CSRF itself, skipping bearer-token API calls

    RATELIMIT_STORAGE_URI = "memory://"  # redis://127.0.0.1:6379/0 to share limits between workers
    RATELIMIT_KEY_PREFIX = "consortium"
    # A moving window counts the last N minutes exactly: a fixed one resets on the minute and lets twice
    # the limit through around the boundary (and made the limit tests flaky under load).
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ADDRESS = "20 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "6 per 10 minutes"

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
    MAX_UPLOAD_MB = 20
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024


def load(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` from defaults, then the environment, then ``overrides``, then derive the rest."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("CONSORTIUM")
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
    if not config.get("UPLOAD_FOLDER"):
        config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite needs a busy wait so concurrent writers queue instead of failing at once.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 30},
        }
    app.debug = config["ENV"] == "development" and bool(config.get("DEBUG"))


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


def _instance_secret(instance: Path) -> str:
    """A random development secret kept in instance/, so sessions survive restarts of ``make run``."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()
