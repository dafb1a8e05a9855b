from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.extensions import api
from consortium.i18n import LANGUAGE_COOKIE, normalise_language
from consortium.permissions import Permission, public, require
from consortium.users.views import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    return render_template("main/home.html")


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


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
