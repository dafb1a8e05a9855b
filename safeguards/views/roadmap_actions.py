"""One roadmap action: proposing and editing it, its milestones, and moving it along its states."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission, remember_result
from consortium.organisations.models import Organisation
from consortium.permissions import require
from consortium.users import current_person
from safeguards import framework as fw
from safeguards import services
from safeguards.roadmap import actions, planning, reviews, tracking
from safeguards.roadmap import policies as roadmap_policies
from safeguards.roadmap.forms import (
    ActionForm,
    MilestoneDoneForm,
    MilestoneForm,
    RatingForm,
    StateForm,
    UpdateForm,
    language_names,
)
from safeguards.roadmap.models import TRANSITIONS, Action, ActionState, Milestone, Roadmap
from safeguards.views import bp
from safeguards.views.roadmap import priority_or_404

CLOSED = frozenset({ActionState.PROPOSED, ActionState.COMPLETED, ActionState.DROPPED})


def _action_form(roadmap: Roadmap, *args, **kwargs) -> ActionForm:
    idx = fw.index(roadmap.assessment.framework_id)
    in_scope = [i.process for i in services.items(roadmap.assessment, idx) if i.in_scope]
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return ActionForm(idx, in_scope, organisations, *args, **kwargs)


def _form_page(roadmap, priority, form, action=None, *, status=200, conflict=False):
    return (
        render_template(
            "safeguards/roadmap/action_form.html",
            roadmap=roadmap,
            assessment=roadmap.assessment,
            priority=priority,
            action=action,
            form=form,
            languages=language_names(),
            conflict=conflict,
        ),
        status,
    )


def _planning(roadmap: Roadmap) -> None:
    if not roadmap_policies.may_plan(current_user, roadmap):
        abort(403)


@bp.route("/safeguards/roadmap-priorities/<int:priority_id>/actions/new", methods=["GET", "POST"])
@require()
def new_action(priority_id: int):
    priority = priority_or_404(priority_id)
    roadmap = priority.roadmap
    _planning(roadmap)
    form = _action_form(roadmap)
    if not form.validate_on_submit():
        if form.errors:
            return _form_page(roadmap, priority, form, status=422)
        if not form.is_submitted():
            form.processes.data = [priority.process_code]
            form.principles.data = [
                fw.index(roadmap.assessment.framework_id).by_code()[priority.process_code].principle
            ]
        return _form_page(roadmap, priority, form)
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                action = actions.create(priority, form.values(), by=current_person())
                url = url_for("safeguards.action", action_id=action.id)
                remember_result(form, url)
    except actions.InvalidAction as invalid:
        form.mark(invalid.errors)
        return _form_page(roadmap, priority, form, status=422)
    except planning.RoadmapLocked as locked:
        flash(_("The roadmap is %(state)s now, so nothing was saved.", state=locked.state.label), "error")
        return _form_page(roadmap, priority, form, status=409)
    if earlier is not None:
        return redirect(earlier.result_url or url_for("safeguards.roadmap", roadmap_id=roadmap.id))
    flash(_("The action was added to the roadmap."), "success")
    return redirect(url)


def new_update_form(action: Action, *args, **kwargs) -> UpdateForm:
    return UpdateForm(action, sorted(TRANSITIONS[action.state], key=list(ActionState).index), *args, **kwargs)


def _rating_form(action: Action, ratings) -> RatingForm:
    form = RatingForm()
    mine = next((r for r in ratings if r.reviewer_id == getattr(current_user, "id", None)), None)
    if mine is not None and not form.is_submitted():
        form.fill(mine)
    return form


def action_page(
    action: Action, *, state_form=None, milestone_form=None, update_form=None, rating_form=None, status=200
):
    roadmap = action.roadmap
    may_track = roadmap_policies.may_track(current_user, action)
    choices = sorted(TRANSITIONS[action.state], key=list(ActionState).index)
    ratings = reviews.ratings_of([action.id]).get(action.id, [])
    updates = tracking.updates_of(action)
    if state_form is not None:  # what was typed, against the state the action is in now
        state_form.to.choices = StateForm(action, choices, formdata=None).to.choices
        state_form.expected.data = action.state.value
    return (
        render_template(
            "safeguards/roadmap/action.html",
            roadmap=roadmap,
            assessment=roadmap.assessment,
            action=action,
            may_plan=roadmap_policies.may_plan(current_user, roadmap),
            may_track=may_track and bool(choices),
            may_tick=may_track and action.state not in CLOSED,
            state_form=state_form or StateForm(action, choices),
            milestone_form=milestone_form or MilestoneForm(),
            done_form=MilestoneDoneForm(),
            remove_form=PostForm(),
            update_form=update_form or new_update_form(action),
            updates=updates,
            ratings=ratings,
            may_rate=roadmap_policies.may_rate(current_user, action),
            rating_form=rating_form or _rating_form(action, ratings),
            languages=language_names(),
        ),
        status,
    )


@bp.route("/safeguards/roadmap-actions/<int:action_id>")
@require()
def action(action_id: int):
    return action_page(roadmap_policies.action_or_404(action_id, current_user))


@bp.route("/safeguards/roadmap-actions/<int:action_id>/edit", methods=["GET", "POST"])
@require()
def edit_action(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    roadmap = db.session.get(Roadmap, action.roadmap_id)
    _planning(roadmap)
    form = _action_form(roadmap)
    if not form.is_submitted():
        form.fill(action)
        return _form_page(roadmap, action.priority, form, action)
    if not form.validate():
        return _form_page(roadmap, action.priority, form, action, status=422)
    version = int(form.version.data) if (form.version.data or "").isdigit() else 0
    try:
        with transaction.action():
            actions.update(action, form.values(), expected_version=version, by=current_person())
    except (actions.StaleAction, StaleDataError):
        saved = db.session.get(Action, action.id)
        form.version.data = str(saved.version)
        flash(
            _(
                "Someone saved this action while you edited it. Their version is shown beside yours; "
                "save again to replace it."
            ),
            "error",
        )
        return _form_page(roadmap, action.priority, form, saved, status=409, conflict=True)
    except actions.InvalidAction as invalid:
        form.mark(invalid.errors)
        return _form_page(roadmap, action.priority, form, action, status=422)
    except planning.RoadmapLocked as locked:
        flash(_("The roadmap is %(state)s now, so nothing was saved.", state=locked.state.label), "error")
        return _form_page(roadmap, action.priority, form, action, status=409)
    flash(_("The action was saved."), "success")
    return redirect(url_for("safeguards.action", action_id=action.id))


@bp.route("/safeguards/roadmap-actions/<int:action_id>/remove", methods=["POST"])
@require()
def remove_action(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    roadmap_id = action.roadmap_id
    _planning(db.session.get(Roadmap, roadmap_id))
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        with transaction.action():
            actions.remove(action, by=current_person())
    except (actions.ActionStateConflict, planning.RoadmapLocked):
        flash(_("Only proposed actions can be removed; drop a validated one with a reason."), "error")
        return redirect(url_for("safeguards.action", action_id=action_id))
    flash(_("The action was removed."), "success")
    return redirect(url_for("safeguards.roadmap", roadmap_id=roadmap_id))


@bp.route("/safeguards/roadmap-actions/<int:action_id>/milestones", methods=["POST"])
@require()
def add_milestone(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    _planning(db.session.get(Roadmap, action.roadmap_id))
    form = MilestoneForm()
    if not form.validate_on_submit():
        return action_page(action, milestone_form=form, status=422)
    try:
        with transaction.action():
            if first_submission(form) is None:
                actions.add_milestone(action, form.title.data, form.due_on.data, by=current_person())
    except actions.InvalidAction as invalid:
        form.title.errors = [str(invalid.errors["title"])]
        return action_page(action, milestone_form=form, status=422)
    except planning.RoadmapLocked as locked:
        flash(_("The roadmap is %(state)s now, so nothing was saved.", state=locked.state.label), "error")
        return action_page(action, milestone_form=form, status=409)
    flash(_("The milestone was added."), "success")
    return redirect(url_for("safeguards.action", action_id=action.id) + "#milestones")


@bp.route("/safeguards/roadmap-milestones/<int:milestone_id>/done", methods=["POST"])
@require()
def milestone_done(milestone_id: int):
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    action = roadmap_policies.action_or_404(milestone.action_id, current_user)
    if not roadmap_policies.may_track(current_user, action):
        abort(403)
    form = MilestoneDoneForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction.action():
            actions.set_milestone_done(milestone, form.done.data == "1", by=current_person())
    except actions.ActionStateConflict as conflict:
        flash(
            _("The action is %(state)s: its milestones cannot change.", state=conflict.state.label), "error"
        )
    return redirect(url_for("safeguards.action", action_id=action.id) + "#milestones")


@bp.route("/safeguards/roadmap-actions/<int:action_id>/state", methods=["POST"])
@require()
def action_state(action_id: int):
    action = roadmap_policies.action_or_404(action_id, current_user)
    if not roadmap_policies.may_track(current_user, action):
        abort(403)
    form = StateForm(action, list(ActionState))
    if not form.validate_on_submit():
        return action_page(action, state_form=form, status=422)
    try:
        with transaction.action():
            actions.change_state(
                action,
                ActionState(form.to.data),
                expected=ActionState(form.expected.data),
                reason=form.reason.data or "",
                by=current_person(),
            )
    except actions.InvalidAction as invalid:
        form.reason.errors = [str(invalid.errors["reason"])]
        return action_page(action, state_form=form, status=422)
    except actions.ActionStateConflict as conflict:
        flash(
            _(
                "The action is %(state)s now, so its state was not changed. What you typed is still below.",
                state=conflict.state.label,
            ),
            "error",
        )
        return action_page(db.session.get(Action, action.id), state_form=form, status=409)
    flash(_("The action is %(state)s now.", state=ActionState(form.to.data).label), "success")
    return redirect(url_for("safeguards.action", action_id=action.id))
