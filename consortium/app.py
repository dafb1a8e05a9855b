"""The composition root: the only kernel module that imports the features."""

from __future__ import annotations

import gc
import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import safeguards
import trainings
from consortium import (
    assets,
    audit,
    backup,
    cli,
    config,
    errors,
    governance,
    hosts,
    inputs,
    library,
    mail,
    main,
    organisations,
    pagecache,
    privacy,
    security,
    storage,
    templating,
    transaction,
    users,
)
from consortium.extensions import api, babel, csrf, db, limiter, login_manager, migrate
from consortium.i18n import select_locale
from consortium.timezones import select_timezone

FEATURES = (library, trainings, safeguards, governance)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, overrides)
    inputs.init_app(app)  # first: routes added later use its id converter, its checks run first
    logging.basicConfig(level=logging.INFO if app.config["ENV"] != "testing" else logging.WARNING)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1, x_host=1)
    hosts.init_app(app)  # first: its hook must run before every other one

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.ROOT / "migrations"))
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)

    transaction.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    security.init_app(app)
    pagecache.init_app(app)
    mail.init_app(app)
    audit.init_app(app)
    main.init_app(app)
    users.init_app(app)
    organisations.init_app(app)
    privacy.init_app(app)
    storage.init_app(app)
    for feature in FEATURES:
        feature.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    backup.init_app(app)
    return app


def settle_worker() -> None:
    """Once the app is built in a serving process (``wsgi.py``; the bench's in-process figures too).

    What the app built (code, templates, catalogues, the framework) lives as long as the worker: frozen,
    the garbage collector no longer walks it. And a page allocates tens of thousands of short-lived objects
    that reference counting frees: collecting the young generation every 700 of them cost up to 13 % of a
    page's CPU and a fifth of the heaviest pages' p95 (issue 14); every 20,000 it costs next to nothing.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
