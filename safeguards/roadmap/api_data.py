"""What the roadmap API answers: a roadmap and its actions as ``RoadmapSchema`` dumps them.

The team, its reviewers and staff read the working roadmap (every action as it stands, with its
version for a PATCH); everyone else reads the last validated version, its plan frozen, with what moves
(state, milestones done, the last update, the independent ratings) read live.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consortium.db import db
from consortium.i18n import LANGUAGES, localised
from consortium.text import links_in
from safeguards.roadmap import planning, reviews, tracking
from safeguards.roadmap.models import COMPLETION, RESULTS, Action, Roadmap


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _title(titles: dict[str, str], language: str) -> dict:
    shown = (
        language if titles.get(language) else next((k for k in ("es", *LANGUAGES) if titles.get(k)), language)
    )
    return {"title": localised(titles, language), "language": shown, "is_fallback": shown != language}


def update_data(update) -> dict:
    return {
        "id": update.id,
        "state": update.state.value,
        "narrative": update.narrative,
        "links": links_in(update.links),
        "created_at": update.created_at,
    }


def rating_data(rating) -> dict:
    return {
        "organisation": rating.organisation.name,
        "completion": rating.completion,
        "completion_label": str(COMPLETION[rating.completion]),
        "results": rating.results,
        "results_label": str(RESULTS[rating.results]),
        "justification": rating.justification,
        "rated_at": rating.updated_at,
    }


def _planned(action: Action) -> dict:
    return {
        "id": action.id,
        "version": action.version,
        "priority": action.priority.process_code,
        "titles": action.title,
        "processes": action.processes,
        "principles": action.principles,
        "risks": action.risks,
        "authority": action.authority,
        "owner": action.owner.name,
        "co_owners": [o.name for o in action.co_owners],
        "starts_on": action.starts_on,
        "due_on": action.due_on,
        "milestones": [
            {"title": m.title, "due_on": m.due_on, "is_done": m.is_done} for m in action.milestones
        ],
    }


def _frozen(planned: dict) -> dict:
    return {
        **{k: planned[k] for k in ("id", "priority", "processes", "principles", "risks", "authority")},
        "version": None,
        "titles": planned["title"],
        "owner": planned["owner"],
        "co_owners": planned["co_owners"],
        "starts_on": _day(planned["starts_on"]),
        "due_on": _day(planned["due_on"]),
        "milestones": [
            {"title": m["title"], "due_on": _day(m["due_on"]), "is_done": None} for m in planned["milestones"]
        ],
    }


def action_data(action: Action, language: str, *, latest=None, ratings=()) -> dict:
    """One live action, for the team's reads and the answers of the write endpoints."""
    return _merge(_planned(action), action, language, latest, ratings)


def _merge(plan: dict, live: Action | None, language: str, latest, ratings) -> dict:
    titles = plan.pop("titles")
    return {
        **plan,
        **_title(titles, language),
        "state": live.state.value if live else None,
        "latest_update": update_data(latest) if latest else None,
        "independent_ratings": [rating_data(r) for r in ratings],
    }


def roadmap_data(roadmap: Roadmap, language: str, *, public_view: bool) -> dict:
    live = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Action)
            .where(Action.roadmap_id == roadmap.id)
            .options(
                selectinload(Action.priority),
                selectinload(Action.owner),
                selectinload(Action.co_owners),
                selectinload(Action.milestones),
            )
            .order_by(Action.id)
        )
    }
    latest = tracking.latest_by_action(roadmap.id)
    ratings = reviews.ratings_of(live)
    version = planning.latest_version(roadmap)
    if public_view:
        snapshot = version.snapshot if version else {"priorities": [], "actions": []}
        plans = [_frozen(planned) for planned in snapshot["actions"]]
        priorities = snapshot["priorities"]
    else:
        plans = [_planned(action) for action in live.values()]
        priorities = planning.selected_priorities(roadmap)
    return {
        "id": roadmap.id,
        "pilot": roadmap.pilot_id,
        "cycle": roadmap.assessment.cycle,
        "state": roadmap.state.value,
        "version": version.number if version else None,
        "validated_at": version.validated_at if version else None,
        "is_public_view": public_view,
        "priorities": priorities,
        "actions": [
            _merge(plan, live.get(plan["id"]), language, latest.get(plan["id"]), ratings.get(plan["id"], []))
            for plan in plans
        ],
    }
