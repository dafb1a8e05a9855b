"""An assessment's roadmap: starting it, prioritising (matrix), validation, revisions, the public page."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from consortium import transaction
from consortium.db import db, utcnow
from consortium.forms import PostForm
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person
from safeguards import framework as fw
from safeguards import policies
from safeguards.roadmap import candidates, planning, reviews, tracker, tracking
from safeguards.roadmap import policies as roadmap_policies
from safeguards.roadmap.forms import LEVEL_LABELS, PrioritiesForm, ReviseForm
from safeguards.roadmap.models import COMPLETION, RESULTS, Action, Priority, Roadmap, diverges
from safeguards.services import InvalidTransition
from safeguards.views import bp


@bp.app_context_processor
def _roadmap_helpers():
    return {
        "safeguards_roadmap_levels": LEVEL_LABELS,
        "safeguards_roadmap_is_public": roadmap_policies.is_public,
        "safeguards_roadmap_day": _day,
        "safeguards_roadmap_completion": COMPLETION,
        "safeguards_roadmap_results": RESULTS,
        "safeguards_roadmap_diverges": diverges,
    }


def _day(value: str | None):
    """A frozen version keeps its dates as ISO text."""
    return date.fromisoformat(value) if value else None


def roadmap_of(assessment_id: int) -> Roadmap | None:
    return db.session.scalar(sa.select(Roadmap).where(Roadmap.assessment_id == assessment_id))


def _locked(locked: planning.RoadmapLocked) -> None:
    flash(
        _("The roadmap is %(state)s now, so nothing was saved.", state=locked.state.label),
        "error",
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/roadmap", methods=["POST"])
@require()
def start_roadmap(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.is_team(current_user, assessment.pilot):
        abort(403)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        with transaction.action():
            roadmap = planning.start(assessment, by=current_person())
    except InvalidTransition:
        flash(_("A roadmap starts from an approved or published assessment."), "error")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    return redirect(url_for("safeguards.priorities", roadmap_id=roadmap.id))


def _actions_by_priority(roadmap: Roadmap) -> dict[int, list[Action]]:
    rows = db.session.scalars(
        sa.select(Action)
        .where(Action.roadmap_id == roadmap.id)
        .options(selectinload(Action.milestones), selectinload(Action.co_owners))
        .order_by(Action.id)
    )
    grouped: dict[int, list[Action]] = {}
    for action in rows:
        grouped.setdefault(action.priority_id, []).append(action)
    return grouped


@bp.route("/safeguards/roadmaps/<int:roadmap_id>")
@require()
def roadmap(roadmap_id: int):
    """The working roadmap: priorities, their actions and states, the versions and what to do next."""
    roadmap = roadmap_policies.roadmap_or_404(roadmap_id, current_user)
    idx = fw.index(roadmap.assessment.framework_id)
    return render_template(
        "safeguards/roadmap/roadmap.html",
        roadmap=roadmap,
        assessment=roadmap.assessment,
        processes=idx.by_code(),
        priorities=[p for p in roadmap.priorities if p.is_selected],
        actions=_actions_by_priority(roadmap),
        may_plan=roadmap_policies.may_plan(current_user, roadmap),
        may_validate=roadmap_policies.may_validate(current_user, roadmap),
        may_revise=roadmap.state.value == "validated"
        and can(Permission.SAFEGUARDS_ASSESS, roadmap, user=current_user),
        is_public=roadmap_policies.is_public(roadmap),
        form=PostForm(),
        revise_form=ReviseForm(),
    )


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/priorities", methods=["GET", "POST"])
@require()
def priorities(roadmap_id: int):
    """The candidates, pre-sorted; the team rates urgency and feasibility and chooses the priorities."""
    roadmap = roadmap_policies.roadmap_or_404(roadmap_id, current_user)
    may_plan = roadmap_policies.may_plan(current_user, roadmap)
    if request.method == "POST" and not can(Permission.SAFEGUARDS_ASSESS, roadmap, user=current_user):
        abort(403)  # the team's own page sent after validation is told so by the service (409)
    found = candidates.candidates(roadmap.assessment, roadmap)
    form = PrioritiesForm(found)
    status = 200
    if form.validate_on_submit():
        try:
            with transaction.action():
                changed = planning.rate(roadmap, form.ratings(), by=current_person())
        except planning.InvalidPriorities as invalid:
            form.mark(invalid.errors)
        except planning.RoadmapLocked as locked:
            _locked(locked)
            status = 409
        else:
            flash(
                _("The priorities were saved.") if changed else _("Nothing had changed."),
                "success" if changed else "info",
            )
            return redirect(url_for("safeguards.priorities", roadmap_id=roadmap.id))
    if request.method == "POST" and form.has_errors:
        status = 422
        flash(_("Nothing was saved: fix the marked values and send the page again."), "error")
    return (
        render_template(
            "safeguards/roadmap/priorities.html",
            roadmap=roadmap,
            assessment=roadmap.assessment,
            found=found,
            form=form,
            matrix=candidates.matrix(found),
            may_plan=may_plan,
        ),
        status,
    )


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/validate", methods=["POST"])
@require(Permission.SAFEGUARDS_ROADMAP_VALIDATE)
def validate_roadmap(roadmap_id: int):
    roadmap = roadmap_policies.roadmap_or_404(roadmap_id, current_user)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        with transaction.action():
            version = planning.validate(roadmap, by=current_person())
    except planning.RoadmapLocked as locked:
        _locked(locked)
    except InvalidTransition:
        flash(_("A roadmap needs at least one priority with an action before it is validated."), "error")
    else:
        flash(_("Version %(n)s of the roadmap is validated and frozen.", n=version.number), "success")
    return redirect(url_for("safeguards.roadmap", roadmap_id=roadmap.id))


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/revise", methods=["POST"])
@require()
def revise_roadmap(roadmap_id: int):
    roadmap = roadmap_policies.roadmap_or_404(roadmap_id, current_user)
    if not can(Permission.SAFEGUARDS_ASSESS, roadmap, user=current_user):
        abort(403)
    form = ReviseForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                planning.revise(roadmap, form.changelog.data, by=current_person())
        except planning.RoadmapLocked as locked:
            _locked(locked)
        except planning.InvalidChangelog as invalid:
            flash(str(invalid.message), "error")
        else:
            flash(
                _("A new version is open: the validated one stays public until this one is validated."),
                "success",
            )
    else:
        flash(_("Say what the new version changes: it goes into the changelog."), "error")
    return redirect(url_for("safeguards.roadmap", roadmap_id=roadmap.id))


@bp.route("/safeguards/roadmaps/<int:roadmap_id>/public")
@public
def public_roadmap(roadmap_id: int):
    """The last validated version, with each action's current state: no private data, no JavaScript."""
    roadmap = roadmap_policies.public_roadmap_or_404(roadmap_id)
    version = planning.latest_version(roadmap)
    rows = tracker.action_rows(roadmap.id)
    states = {row.id: row.state for row in rows}
    reasons = {row.id: row.drop_reason for row in rows if row.drop_reason != ""}
    idx = fw.index(roadmap.assessment.framework_id)
    later = tracker.next_cycle(roadmap)
    return render_template(
        "safeguards/roadmap/public.html",
        roadmap=roadmap,
        assessment=roadmap.assessment,
        version=version,
        processes=idx.by_code(),
        states=states,
        reasons=reasons,
        updates=tracking.latest_by_action(roadmap.id),
        ratings=reviews.ratings_of(states),
        counts=tracker.state_counts(states),
        progress=tracker.milestone_progress(rows),
        owners=tracker.overdue_by_owner(rows, utcnow().date()),
        later=later,
        changes=tracker.principle_changes(roadmap, later, version.snapshot, states) if later else [],
    )


def priority_or_404(priority_id: int) -> Priority:
    priority = db.session.get(Priority, priority_id)
    if priority is None:
        abort(404)
    roadmap_policies.roadmap_or_404(priority.roadmap_id, current_user)
    return priority
