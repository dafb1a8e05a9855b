from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from consortium import transaction
from consortium.db import utcnow
from consortium.forms import PostForm
from consortium.permissions import Permission, public, require
from consortium.privacy import services
from consortium.privacy.forms import DeleteAccountForm
from consortium.users import current_person, limits

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
@public
def policy():
    config = current_app.config
    return render_template(
        "privacy/policy.html",
        purge_days=config["PRIVACY_PURGE_AFTER_DAYS"],
        idle_hours=config["SESSION_IDLE_TIMEOUT"] // 3600,
        lifetime_days=config["SESSION_ABSOLUTE_LIFETIME"] // 86400,
    )


@bp.route("/account/export", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def export():
    if not PostForm().validate_on_submit():
        return redirect(url_for("users.account"))
    with transaction.action():
        data = services.export(current_person())
    filename = f"dpi-consortium-my-data-{utcnow():%Y-%m-%d}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@limits.password_check
@require(Permission.ACCOUNT_MANAGE)
def delete_account():
    user = current_person()
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("privacy/delete.html", form=form), 422 if form.errors else 200
    if not limits.current_password_ok(user, form.current.data):
        form.current.errors.append(_("The current password is not correct."))
        return render_template("privacy/delete.html", form=form), 422
    try:
        with transaction.action():
            services.delete_account(user)
    except services.PrivacyError as error:
        flash(str(error), "error")
        return render_template("privacy/delete.html", form=form), 422
    logout_user()
    session.clear()
    flash(_("Your account was deleted. Thank you for taking part."), "success")
    return redirect(url_for("main.home"))
