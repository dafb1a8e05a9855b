"""The public tracker's open data: the validated version's actions with their live state (CSV and JSON).

What was validated (texts, codes, owners, dates) comes from the frozen version; what moves (the state,
when it changed, the last update's date, the independent ratings) is read live, in a fixed number of
queries whatever the roadmap's size.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.i18n import LANGUAGES
from safeguards.roadmap import planning, reviews
from safeguards.roadmap.models import COMPLETION, RESULTS, Action, ProgressUpdate, Roadmap

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CSV_COLUMNS = (
    "action_id",
    "priority",
    *(f"title_{lang}" for lang in LANGUAGES),
    "state",
    "state_changed_at",
    "processes",
    "principles",
    "risks",
    "authority",
    "owner",
    "co_owners",
    "starts_on",
    "due_on",
    "is_verifiable",
    "last_update_at",
    "drop_reason",
)


def _live(roadmap: Roadmap) -> dict[int, dict]:
    last = dict(
        db.session.execute(
            sa.select(ProgressUpdate.action_id, sa.func.max(ProgressUpdate.created_at))
            .join(Action, Action.id == ProgressUpdate.action_id)
            .where(Action.roadmap_id == roadmap.id)
            .group_by(ProgressUpdate.action_id)
        ).all()
    )
    rows = db.session.execute(
        sa.select(Action.id, Action.state, Action.state_changed_at, Action.drop_reason).where(
            Action.roadmap_id == roadmap.id
        )
    )
    return {
        row.id: {
            "state": row.state.value,
            "state_changed_at": row.state_changed_at.isoformat(),
            "drop_reason": row.drop_reason,
            "last_update_at": last[row.id].isoformat() if row.id in last else None,
        }
        for row in rows
    }


def actions(roadmap: Roadmap) -> list[dict]:
    """One dict per action of the last validated version, its live values merged in."""
    version = planning.latest_version(roadmap)
    live = _live(roadmap)
    ratings = reviews.ratings_of(live)
    gone = {"state": None, "state_changed_at": None, "drop_reason": "", "last_update_at": None}
    out = []
    for planned in version.snapshot["actions"] if version else []:
        out.append(
            {
                **{k: v for k, v in planned.items() if k not in ("milestones", "description")},
                "title": {lang: planned["title"].get(lang, "") for lang in LANGUAGES},
                "milestones": planned["milestones"],
                **live.get(planned["id"], gone),
                "independent_ratings": [
                    {
                        "organisation": r.organisation.name,
                        "completion": r.completion,
                        "completion_label": str(COMPLETION[r.completion]),
                        "results": r.results,
                        "results_label": str(RESULTS[r.results]),
                        "justification": r.justification,
                        "rated_at": r.updated_at.isoformat(),
                    }
                    for r in ratings.get(planned["id"], [])
                ],
            }
        )
    return out


def csv_rows(found: list[dict]) -> list[list]:
    def cell(action: dict, column: str):
        if column == "action_id":
            return action["id"]
        if column.startswith("title_"):
            return action["title"][column.removeprefix("title_")]
        value = action.get(column)
        if isinstance(value, list):
            return " ".join(value) if column != "co_owners" else "; ".join(value)
        return "" if value is None else value

    return [[cell(a, c) for c in CSV_COLUMNS] for a in found]


def document(roadmap: Roadmap) -> dict:
    version = planning.latest_version(roadmap)
    assessment = roadmap.assessment
    pilot = assessment.pilot
    return {
        "roadmap_id": roadmap.id,
        "pilot": pilot.title,
        "system": pilot.system.name,
        "country": pilot.country,
        "cycle": assessment.cycle,
        "version": version.number,
        "validated_at": version.validated_at.isoformat(),
        "changelog": version.changelog,
        "licence_url": LICENCE_URL,
        "priorities": version.snapshot["priorities"],
        "actions": actions(roadmap),
    }


def filename(roadmap: Roadmap, ext: str) -> str:
    pilot = roadmap.assessment.pilot
    return f"roadmap-{pilot.system.slug}-{pilot.country.lower()}-cycle{roadmap.assessment.cycle}.{ext}"
