from __future__ import annotations

import functools
import logging
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.extensions import api, limiter
from consortium.i18n import LANGUAGE_COOKIE, normalise_language
from consortium.permissions import Permission, public, require
from consortium.users.views import safe_next

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.route("/")
@public
def home():
    return render_template("main/home.html")


@bp.route("/favicon.ico")
@public
def favicon():
    """Browsers ask for /favicon.ico where no page names an icon (the Atom feed, a calendar file, JSON):
    the site's own SVG icon, cached for a day, instead of a 404 in their console."""
    response = current_app.response_class(_icon(current_app.static_folder), mimetype="image/svg+xml")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


@functools.cache
def _icon(folder: str) -> bytes:
    return (Path(folder) / "favicon.svg").read_bytes()


@bp.route("/healthz")
@public
def healthz():
    """One cheap question to each shared service this host needs: the database and the limit store
    (Redis). A 503 tells the monitor, the deploy script and, through ``proxy_next_upstream http_503``,
    nginx to keep traffic away from this host. Never cached: a stale "ok" would hide a failure."""
    checks = {"database": _healthy(_ask_database), "rate_limits": _healthy(_ask_limit_store)}
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", **checks)
    response.status_code = 200 if healthy else 503
    response.cache_control.no_store = True
    return response


def _healthy(probe) -> str:
    try:
        probe()
    except Exception:  # any failure of the probe means unavailable; the reason goes to the log
        log.exception("Health check failed")
        transaction.rollback()
        return "unavailable"
    return "ok"


def _ask_database() -> None:
    db.session.execute(sa.text("SELECT 1"))


def _ask_limit_store() -> None:
    if not limiter.storage.check():  # a PING to Redis; always true for the in-memory store
        raise ConnectionError("the rate-limit storage did not answer")


@bp.route("/language")
@public
def set_language():
    """A GET link, as Warehouse does: anonymous pages stay cacheable (no CSRF token in them) and links
    work everywhere without JavaScript. It only sets the cookie: a GET never writes. Signed-in people,
    whose saved choice beats the cookie, get a POST form instead (``save_language``)."""
    return _language_response(normalise_language(request.args.get("lang")))


@bp.route("/account/language", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def save_language():
    """The switcher of a signed-in person: the profile follows the choice (mail comes in it, too)."""
    language = normalise_language(request.form.get("lang"))
    if language and current_user.locale != language:
        with transaction.action():
            current_user.locale = language
    return _language_response(language)


def _language_response(language: str | None):
    response = redirect(safe_next(url_for("main.home")))
    if language:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=60 * 60 * 24 * 365,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.route("/api/v1/docs")
@public
def api_docs():
    spec = api.spec.to_dict()
    return render_template("main/api_docs.html", spec=spec)
