"""Safeguards' personal data for ``consortium.personal_data``: pilot roles, the answers and the thread
messages a person wrote, the roadmaps they review independently and their ratings.

Answers and messages are the team's assessment and stay when an account is deleted (their author
becomes unknown when the account row goes); the team membership and the reviewer roles go.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.personal_data import Keeper
from safeguards.item_models import ItemThread, ThreadMessage
from safeguards.models import Answer, Assessment, PilotMember
from safeguards.roadmap.models import ActionRating, RoadmapReviewer


def export(user) -> dict:
    members = db.session.scalars(
        sa.select(PilotMember).where(PilotMember.user_id == user.id).order_by(PilotMember.id)
    ).all()
    answers = db.session.scalars(
        sa.select(Answer)
        .where(Answer.updated_by_id == user.id)
        .options(
            sa.orm.joinedload(Answer.process),
            sa.orm.joinedload(Answer.assessment).joinedload(Assessment.pilot),
        )
        .order_by(Answer.id)
    ).all()
    messages = db.session.scalars(
        sa.select(ThreadMessage)
        .where(ThreadMessage.author_id == user.id)
        .options(
            sa.orm.joinedload(ThreadMessage.thread).joinedload(ItemThread.answer).joinedload(Answer.process),
            sa.orm.joinedload(ThreadMessage.thread)
            .joinedload(ItemThread.answer)
            .joinedload(Answer.assessment)
            .joinedload(Assessment.pilot),
        )
        .order_by(ThreadMessage.id)
    ).all()
    reviews = db.session.scalars(
        sa.select(RoadmapReviewer).where(RoadmapReviewer.user_id == user.id).order_by(RoadmapReviewer.id)
    ).all()
    ratings = db.session.scalars(
        sa.select(ActionRating).where(ActionRating.reviewer_id == user.id).order_by(ActionRating.id)
    ).all()
    return {
        "roadmap_reviewer_roles": [
            {"roadmap": r.roadmap_id, "organisation_id": r.organisation_id, "since": r.created_at.isoformat()}
            for r in reviews
        ],
        "roadmap_ratings": [
            {
                "action": r.action_id,
                "completion": r.completion,
                "results": r.results,
                "justification": r.justification,
                "rated_at": r.updated_at.isoformat(),
            }
            for r in ratings
        ],
        "thread_messages": [
            {
                "assessment": str(m.thread.answer.assessment),
                "process": m.thread.answer.process.code,
                "kind": m.kind.value,
                "body": m.body,
                "rating": m.rating,
                "written_at": m.created_at.isoformat(),
            }
            for m in messages
        ],
        "pilot_roles": [
            {"pilot": m.pilot.title, "role": m.role.value, "since": m.created_at.isoformat()} for m in members
        ],
        "answers_written": [
            {
                "assessment": str(a.assessment),
                "process": a.process.code,
                "status": a.status.value,
                "rating": a.rating,
                "justification": a.justification,
                "evidence": a.evidence,
                "links": a.links,
                "confidence": a.confidence,
                "updated_at": a.updated_at.isoformat(),
            }
            for a in answers
        ],
    }


def erase(user) -> None:
    db.session.execute(sa.delete(PilotMember).where(PilotMember.user_id == user.id))
    db.session.execute(sa.delete(RoadmapReviewer).where(RoadmapReviewer.user_id == user.id))


keeper = Keeper(export=export, erase=erase)
