from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.extensions import api
from consortium.i18n import LANGUAGE_COOKIE, normalise_language
from consortium.permissions import public
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
    """A GET link, as Warehouse does: a display preference is not worth a CSRF-protected form,
    and links work everywhere without JavaScript. A signed-in person's profile follows the choice."""
    language = normalise_language(request.args.get("lang"))
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
        if current_user.is_authenticated and current_user.locale != language:
            current_user.locale = language
            transaction.commit()
    return response


@bp.route("/api/v1/docs")
@public
def api_docs():
    spec = api.spec.to_dict()
    return render_template("main/api_docs.html", spec=spec)
