"""Following a space or a consultation: a signed-in person's POST forms (CSRF-checked) with the digest's
frequency, and the sign-in-free unfollow link of the digest (a signed token, confirmed with a POST)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm
from consortium.governance import policies, services
from consortium.governance.forms import FollowForm
from consortium.governance.models import Consultation, Space
from consortium.governance.records import DigestFrequency, SpaceFollow
from consortium.governance.services.digests import follow_of_token
from consortium.governance.views import bp
from consortium.permissions import Permission, public, require, visible_or_404
from consortium.users import current_person


def _step(target: Space | Consultation, step: str) -> None:
    form = FollowForm()
    if not form.validate_on_submit():
        return
    with transaction.action():
        if step == "follow":
            services.follow(target, current_person(), DigestFrequency(form.frequency.data))
        else:
            services.unfollow(target, current_person())
    if step == "unfollow":
        flash(_("You no longer follow it."), "success")
    elif form.frequency.data == DigestFrequency.WEEKLY.value:
        flash(_("You follow it: what happens comes in a weekly e-mail digest."), "success")
    else:
        flash(_("You follow it: what happens comes in a daily e-mail digest."), "success")


@bp.route("/governance/spaces/<int:space_id>/<any(follow, unfollow):step>", methods=["POST"])
@require()
def follow(space_id: int, step: str):
    space = policies.space_or_404(current_user, space_id)
    _step(space, step)
    return redirect(url_for("governance.space", space_id=space.id))


@bp.route("/governance/consultations/<int:consultation_id>/<any(follow, unfollow):step>", methods=["POST"])
@require()
def follow_consultation(consultation_id: int, step: str):
    consultation = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    _step(consultation, step)
    return redirect(url_for("governance.consultation", consultation_id=consultation.id))


@bp.route("/governance/unfollow/<token>", methods=["GET", "POST"])
@public
def unfollow_link(token: str):
    """The digest's link: who holds it may stop that one follow, signed in or not (a POST, not the GET)."""
    found = follow_of_token(token)
    if found is None:
        abort(404)
    if isinstance(found, SpaceFollow):
        name = db.session.get(Space, found.space_id).display_title
    else:
        name = db.session.get(Consultation, found.consultation_id).title
    form = PostForm()
    if form.validate_on_submit():
        with transaction.action():
            db.session.delete(found)
        return render_template("governance/unfollowed.html", name=name, done=True)
    return render_template("governance/unfollowed.html", name=name, form=form, done=False)
