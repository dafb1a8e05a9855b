"""A roadmap's independent reviewers: naming and removing them (staff, the pilot's lead), their ratings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm
from consortium.organisations.models import Organisation
from consortium.permissions import require
from consortium.users import current_person
from safeguards.roadmap import actions, reviews
from safeguards.roadmap import policies as roadmap_policies
from safeguards.roadmap.forms import RatingForm, ReviewerForm
from safeguards.roadmap.models import Action, RoadmapReviewer
from safeguards.views import bp
from safeguards.views.roadmap_actions import action_page


def reviewer_form(*args, **kwargs) -> ReviewerForm:
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return ReviewerForm(organisations, *args, **kwargs)


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/reviewers", methods=["GET", "POST"])
@require()
def roadmap_reviewers(roadmap_id: int):
    """Who reviews the roadmap independently; staff and the pilot's lead name them here."""
    roadmap = roadmap_policies.roadmap_or_404(roadmap_id, current_user)
    may_name = roadmap_policies.may_name_reviewers(current_user, roadmap)
    form = reviewer_form()
    status = 200
    if form.is_submitted():
        if not may_name:
            abort(403)
        if form.validate():
            try:
                with transaction.action():
                    reviewer = reviews.name_reviewer(
                        roadmap, form.email.data, int(form.organisation.data), by=current_person()
                    )
            except actions.InvalidAction as invalid:
                for name, message in invalid.errors.items():
                    form[name].errors = [str(message)]
            else:
                flash(_("%(name)s reviews the roadmap now.", name=reviewer.user.name), "success")
                return redirect(url_for("safeguards.roadmap_reviewers", roadmap_id=roadmap.id))
        status = 422
    return (
        render_template(
            "safeguards/roadmap/reviewers.html",
            roadmap=roadmap,
            assessment=roadmap.assessment,
            reviewers=reviews.reviewers(roadmap),
            may_name=may_name,
            form=form,
            remove_form=PostForm(),
        ),
        status,
    )


@bp.route("/safeguards/roadmap-reviewers/<int:reviewer_id>/remove", methods=["POST"])
@require()
def remove_roadmap_reviewer(reviewer_id: int):
    reviewer = db.session.get(RoadmapReviewer, reviewer_id)
    if reviewer is None:
        abort(404)
    roadmap = roadmap_policies.roadmap_or_404(reviewer.roadmap_id, current_user)
    if not roadmap_policies.may_name_reviewers(current_user, roadmap):
        abort(403)
    if not PostForm().validate_on_submit():
        abort(400)
    with transaction.action():
        reviews.remove_reviewer(reviewer, by=current_person())
    flash(_("The reviewer was removed; their ratings stay."), "success")
    return redirect(url_for("safeguards.roadmap_reviewers", roadmap_id=roadmap.id))


@bp.route("/safeguards/roadmap-actions/<int:action_id>/ratings", methods=["POST"])
@require()
def rate_action(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    if not roadmap_policies.may_rate(current_user, action):
        abort(403)
    form = RatingForm()
    if not form.validate_on_submit():
        return action_page(action, rating_form=form, status=422)
    try:
        with transaction.action():
            reviews.rate(
                action,
                int(form.completion.data),
                int(form.results.data),
                form.justification.data,
                by=current_person(),
            )
    except actions.InvalidAction as invalid:
        for name, message in invalid.errors.items():
            form[name].errors = [str(message)]
        return action_page(action, rating_form=form, status=422)
    except actions.ActionStateConflict as conflict:
        flash(_("The action is %(state)s: it cannot be rated yet.", state=conflict.state.label), "error")
        return action_page(db.session.get(Action, action.id), rating_form=form, status=409)
    flash(_("Your rating was saved."), "success")
    return redirect(url_for("safeguards.action", action_id=action.id) + "#ratings")
