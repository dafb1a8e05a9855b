"""Progress updates on a roadmap action (posted by its owners) and the files attached to them."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import storage, transaction
from consortium.db import db
from consortium.forms import first_submission, remember_result
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person
from safeguards.roadmap import actions, tracking
from safeguards.roadmap import policies as roadmap_policies
from safeguards.roadmap.models import Action, ActionState, ProgressUpdate, Roadmap
from safeguards.views import bp
from safeguards.views.roadmap_actions import action_page, new_update_form


@bp.route("/safeguards/roadmap-actions/<int:action_id>/updates", methods=["POST"])
@require()
def post_update(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    if not roadmap_policies.may_track(current_user, action):
        abort(403)
    form = new_update_form(action)
    if not form.validate_on_submit():
        return action_page(action, update_form=form, status=422)
    upload = form.file.data
    url = url_for("safeguards.action", action_id=action.id) + "#updates"
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                tracking.post_update(
                    action,
                    form.narrative.data,
                    links=form.links.data or "",
                    to=ActionState(form.to.data) if form.to.data else None,
                    expected=ActionState(form.expected.data),
                    upload=(upload.stream, upload.filename or "") if upload and upload.filename else None,
                    by=current_person(),
                )
                remember_result(form, url)
    except actions.InvalidAction as invalid:
        for name, message in invalid.errors.items():
            form[name].errors = [str(message)]
        return action_page(action, update_form=form, status=422)
    except actions.ActionStateConflict as conflict:
        flash(
            _(
                "The action is %(state)s now, so the update was not posted. What you typed is still below.",
                state=conflict.state.label,
            ),
            "error",
        )
        current = db.session.get(Action, action.id)
        form.expected.data = current.state.value
        return action_page(current, update_form=form, status=409)
    if earlier is None:
        flash(_("Your update was posted."), "success")
    return redirect(earlier.result_url if earlier is not None and earlier.result_url else url)


@bp.route("/safeguards/roadmap-updates/<int:update_id>/file")
@public  # the files of a public roadmap's updates; the others check who asks
def update_file(update_id: int):
    update = db.session.get(ProgressUpdate, update_id)
    if update is None or update.file is None:
        abort(404)
    action = db.session.get(Action, update.action_id)
    if roadmap_policies.is_public(db.session.get(Roadmap, action.roadmap_id)):
        return storage.send(update.file, private=False)
    if not (
        current_user.is_authenticated
        and (can(Permission.SAFEGUARDS_VIEW, action) or can(Permission.SAFEGUARDS_ROADMAP_TRACK, action))
    ):
        abort(404)
    return storage.send(update.file, private=True)
