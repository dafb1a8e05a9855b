"""The roadmap over JSON: pilots, a pilot's roadmap, and the team's, owners' and reviewers' writes.

Each write calls the service the HTML form calls, after the same policy question
(``safeguards.roadmap.policies``); domain errors answer 409 (a frozen roadmap, a state moved meanwhile,
an outdated ``version``) or 422 (translated messages by field, under ``errors.json``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from consortium import pagination, transaction
from consortium.db import db
from consortium.errors import json_error
from consortium.i18n import current_language
from consortium.permissions import public, require
from consortium.users import current_person
from safeguards.models import Pilot
from safeguards.roadmap import actions, planning, reviews, tracking
from safeguards.roadmap import policies as roadmap_policies
from safeguards.roadmap.api_data import action_data, rating_data, roadmap_data, update_data
from safeguards.roadmap.models import Action, ActionState, Priority, Roadmap
from safeguards.roadmap.schemas import (
    ActionInputSchema,
    ActionPatchSchema,
    ActionSchema,
    LanguageQuerySchema,
    PilotPageSchema,
    PilotQuerySchema,
    RatingInputSchema,
    RatingSchema,
    RoadmapSchema,
    UpdateInputSchema,
    UpdateSchema,
)

blp = Blueprint(
    "safeguards_roadmap_api", __name__, url_prefix="/api/v1", description="Safeguards roadmaps and actions"
)
PLAN_FIELDS = frozenset(ActionPatchSchema().fields.keys() - {"version", "state", "reason"})


def _refuse(status: int, message: str, errors: dict | None = None):
    extra = {"errors": {"json": {k: [str(v)] for k, v in errors.items()}}} if errors else {}
    abort(json_error(status, message, **extra))


def _invalid(invalid: actions.InvalidAction):
    _refuse(422, _("Some values are missing or wrong."), invalid.errors)


def _locked(locked: planning.RoadmapLocked):
    _refuse(409, _("The roadmap is %(state)s now, so nothing was saved.", state=locked.state.label))


def _conflict(conflict: actions.ActionStateConflict):
    _refuse(409, _("The action is %(state)s now, so nothing was changed.", state=conflict.state.label))


@blp.route("/pilots")
@public
@blp.arguments(PilotQuerySchema, location="query")
@blp.response(200, PilotPageSchema)
def list_pilots(args):
    """The pilots the caller may see: those with a public roadmap; also their own and those whose roadmap
    they review; every pilot for staff."""
    query = (
        sa.select(Pilot)
        .where(roadmap_policies.visible_pilots(current_user))
        .options(joinedload(Pilot.system))
        .order_by(Pilot.id)
    )
    page = pagination.paginate(query, args["per_page"], page=args["page"], count=False, api=True)
    return {
        "items": [
            {"id": p.id, "title": p.title, "system": p.system.slug, "country": p.country} for p in page.items
        ],
        "page": page.page,
        "per_page": page.per_page,
        "more": page.more,
    }


@blp.route("/pilots/<int:pilot_id>/roadmap")
@public
@blp.arguments(LanguageQuerySchema, location="query")
@blp.response(200, RoadmapSchema)
def get_roadmap(args, pilot_id: int):
    """The pilot's latest roadmap: the working one for its team, reviewers and staff; for everyone else
    its last validated version (404 until one is public). Titles in `lang`, else the negotiated language,
    falling back to another."""
    roadmap, public_view = roadmap_policies.pilot_roadmap_or_404(pilot_id, current_user)
    return roadmap_data(roadmap, args["lang"] or current_language(), public_view=public_view)


def _input(data: dict, action: Action | None = None) -> actions.ActionInput:
    """The plan sent, over the action's current one (a PATCH sends only what changes)."""
    current = {}
    if action is not None:
        current = {
            "title": action.title,
            "description": action.description,
            "authority": action.authority,
            "owner_id": action.owner_id,
            "co_owner_ids": [o.id for o in action.co_owners],
            "processes": action.processes,
            "principles": action.principles,
            "risks": action.risks,
            "starts_on": action.starts_on,
            "due_on": action.due_on,
            "measurable_outcome": action.measurable_outcome,
            "is_verifiable": action.is_verifiable,
        }
    values = {**current, **{k: v for k, v in data.items() if k in PLAN_FIELDS}}
    required = {"title": {}, "description": {}, "authority": "", "owner_id": 0}
    return actions.ActionInput(**{**required, **{k: v for k, v in values.items() if v is not None}})


@blp.route("/pilots/<int:pilot_id>/roadmap/actions", methods=["POST"])
@require()
@blp.arguments(ActionInputSchema)
@blp.response(201, ActionSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def create_action(data, pilot_id: int):
    """The team proposes an action under one of the chosen priorities, while the roadmap is editable
    (409 once it is validated)."""
    roadmap, public_view = roadmap_policies.pilot_roadmap_or_404(pilot_id, current_user)
    if public_view or not roadmap_policies.is_planner(current_user, roadmap):
        abort(403)
    if not roadmap.is_editable:
        _locked(planning.RoadmapLocked(roadmap.state))
    priority = db.session.scalar(
        sa.select(Priority).where(
            Priority.roadmap_id == roadmap.id, Priority.process_code == data["priority"]
        )
    )
    if priority is None:
        _refuse(
            422,
            _("Some values are missing or wrong."),
            {"priority": _("Choose the item as a priority first.")},
        )
    try:
        with transaction.action():
            action = actions.create(priority, _input(data), by=current_person())
    except actions.InvalidAction as invalid:
        _invalid(invalid)
    except planning.RoadmapLocked as locked:
        _locked(locked)
    return action_data(db.session.get(Action, action.id), current_language())


@blp.route("/roadmap-actions/<int:action_id>", methods=["PATCH"])
@require()
@blp.arguments(ActionPatchSchema)
@blp.response(200, ActionSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def update_action(data, action_id: int):
    """The team changes the action's plan while the roadmap is editable; its owners move its state
    (`state`, with a `reason` to drop it). Send the `version` read: 409 when someone saved it since."""
    action = roadmap_policies.action_or_404(action_id, current_user)
    roadmap = db.session.get(Roadmap, action.roadmap_id)
    planning_it = any(name in data for name in PLAN_FIELDS)
    if planning_it and not roadmap_policies.is_planner(current_user, roadmap):
        abort(403)
    if "state" in data and not roadmap_policies.may_track(current_user, action):
        abort(403)
    stale = _("Someone saved this action after the version you sent. Read it again and resend your change.")
    try:
        with transaction.action():
            if planning_it:
                actions.update(
                    action, _input(data, action), expected_version=data["version"], by=current_person()
                )
            elif transaction.lock(Action, action.id).version != data["version"]:
                raise actions.StaleAction(action)
            if "state" in data:
                action = transaction.lock(Action, action.id)
                actions.change_state(
                    action,
                    ActionState(data["state"]),
                    expected=action.state,
                    reason=data.get("reason", ""),
                    by=current_person(),
                )
    except (actions.StaleAction, StaleDataError):
        _refuse(409, stale)
    except actions.InvalidAction as invalid:
        _invalid(invalid)
    except planning.RoadmapLocked as locked:
        _locked(locked)
    except actions.ActionStateConflict as conflict:
        _conflict(conflict)
    action = db.session.get(Action, action_id)
    latest = tracking.latest_by_action(action.roadmap_id).get(action.id)
    return action_data(
        action, current_language(), latest=latest, ratings=reviews.ratings_of([action.id]).get(action.id, [])
    )


@blp.route("/roadmap-actions/<int:action_id>/updates", methods=["POST"])
@require()
@blp.arguments(UpdateInputSchema)
@blp.response(201, UpdateSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def post_update(data, action_id: int):
    """An owner of the action reports progress (shown on the public tracker), and may move its state."""
    action = roadmap_policies.action_or_404(action_id, current_user)
    if not roadmap_policies.may_track(current_user, action):
        abort(403)
    try:
        with transaction.action():
            update = tracking.post_update(
                action,
                data["narrative"],
                links="\n".join(data["links"]),
                to=ActionState(data["state"]) if data["state"] else None,
                expected=action.state,
                by=current_person(),
            )
    except actions.InvalidAction as invalid:
        _invalid(invalid)
    except actions.ActionStateConflict as conflict:
        _conflict(conflict)
    return update_data(update)


@blp.route("/roadmap-actions/<int:action_id>/ratings", methods=["POST"])
@require()
@blp.arguments(RatingInputSchema)
@blp.response(201, RatingSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def rate_action(data, action_id: int):
    """A named independent reviewer rates the action (completion and early results, 0-4); rating again
    replaces their rating. Reviewers never edit the action itself."""
    action = roadmap_policies.action_or_404(action_id, current_user)
    if not roadmap_policies.may_rate(current_user, action):
        if action.state not in reviews.RATEABLE and reviews.reviewer_of(action.roadmap_id, current_user):
            _conflict(actions.ActionStateConflict(action.state))
        abort(403)
    try:
        with transaction.action():
            rating = reviews.rate(
                action, data["completion"], data["results"], data["justification"], by=current_person()
            )
    except actions.InvalidAction as invalid:
        _invalid(invalid)
    except actions.ActionStateConflict as conflict:
        _conflict(conflict)
    return rating_data(rating)
