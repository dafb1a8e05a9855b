"""Following a space: a signed-in person's POST buttons on the space page (CSRF-checked)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.forms import PostForm
from consortium.governance import policies, services
from consortium.governance.views import bp
from consortium.permissions import require
from consortium.users import current_person


@bp.route("/governance/spaces/<int:space_id>/<any(follow, unfollow):step>", methods=["POST"])
@require()
def follow(space_id: int, step: str):
    space = policies.space_or_404(current_user, space_id)
    if PostForm().validate_on_submit():
        with transaction.action():
            if step == "follow":
                services.follow(space, current_person())
            else:
                services.unfollow(space, current_person())
        flash(
            _("You follow this space: you will be e-mailed about its consultations and decisions.")
            if step == "follow"
            else _("You no longer follow this space."),
            "success",
        )
    return redirect(url_for("governance.space", space_id=space.id))
