"""Governance over JSON, read-only for now: /api/v1/spaces and /api/v1/consultations/<id>. Everything
here is what the pages show the same caller (drafts and members-only spaces stay hidden)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from consortium import pagination
from consortium.db import db
from consortium.governance import policies
from consortium.governance.models import Consultation, ConsultationState, Contribution, Seat, Space
from consortium.governance.schemas import (
    ConsultationDetailSchema,
    LanguageQuerySchema,
    SpaceDetailSchema,
    SpacePageSchema,
    SpaceQuerySchema,
)
from consortium.governance.views.spaces import visible_spaces
from consortium.i18n import current_language
from consortium.mail import public_url
from consortium.permissions import Permission, can, public

blp = Blueprint("governance_api", __name__, url_prefix="/api/v1", description="Governance spaces")


def _space_item(space: Space, language: str) -> dict:
    title, shown = space.text_in("title", language)
    return {
        "slug": space.slug,
        "title": title,
        "language": shown,
        "is_fallback": shown != language,
        "system": space.system.slug,
        "countries": list(space.countries or []),
        "languages": list(space.languages or []),
        "stage": space.stage.value,
        "state": space.state.value,
        "url": public_url("governance.space", space_id=space.id),
    }


def _consultation_item(consultation: Consultation) -> dict:
    return {
        "id": consultation.id,
        "title": consultation.title,
        "language": consultation.language,
        "state": consultation.state.value,
        "url": public_url("governance.consultation", consultation_id=consultation.id),
    }


@blp.route("/spaces")
@public
@blp.arguments(SpaceQuerySchema, location="query")
@blp.response(200, SpacePageSchema)
def list_spaces(args):
    """The spaces the caller may see, newest first."""
    language = args["lang"] or current_language()
    page = pagination.paginate(visible_spaces(), args["per_page"], page=args["page"], count=False, api=True)
    return {
        "items": [_space_item(space, language) for space in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "more": page.more,
    }


@blp.route("/spaces/<slug>")
@public
@blp.arguments(LanguageQuerySchema, location="query")
@blp.response(200, SpaceDetailSchema)
def get_space(args, slug: str):
    """One space with its charter, its roster and its consultations."""
    found_id = db.session.scalar(sa.select(Space.id).where(Space.slug == slug))
    if found_id is None:
        abort(404)
    space = policies.space_or_404(current_user, found_id)
    language = args["lang"] or current_language()
    seats = db.session.scalars(
        sa.select(Seat)
        .where(Seat.space_id == space.id)
        .options(joinedload(Seat.user), joinedload(Seat.organisation))
        .order_by(Seat.role, Seat.id)
    ).all()
    consultations = db.session.scalars(
        sa.select(Consultation).where(Consultation.space_id == space.id).order_by(Consultation.id.desc())
    ).all()
    charter, _shown = space.text_in("charter", language)
    return {
        **_space_item(space, language),
        "charter": charter,
        "seats": [
            {
                "name": seat.user.name,
                "organisation": seat.organisation.name,
                "sector": seat.sector.value,
                "role": seat.role.value,
                "term_starts_on": seat.term_starts_on,
                "term_ends_on": seat.term_ends_on,
                "interests": seat.interests,
            }
            for seat in seats
        ],
        "consultations": [
            _consultation_item(c)
            for c in consultations
            if c.state is not ConsultationState.DRAFT or can(Permission.GOVERNANCE_CONVENE, space)
        ],
    }


@blp.route("/consultations/<int:consultation_id>")
@public
@blp.response(200, ConsultationDetailSchema)
def get_consultation(consultation_id: int):
    """A consultation's document and its contributions, each with its official response or null."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not can(Permission.GOVERNANCE_VIEW, consultation):
        abort(404)
    contributions = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.consultation_id == consultation.id)
        .options(
            joinedload(Contribution.author),
            joinedload(Contribution.organisation),
            joinedload(Contribution.section),
        )
        .order_by(Contribution.id)
    ).all()
    return {
        **_consultation_item(consultation),
        "space": consultation.space.slug,
        "revision": consultation.revision,
        "sections": [
            {"position": s.position, "heading": s.heading, "body": s.body} for s in consultation.sections
        ],
        "contributions": [
            {
                "id": c.id,
                "section": c.section.position,
                "author": c.author.name if c.author else None,
                "organisation": c.organisation.name if c.organisation else None,
                "body": c.body,
                "revision": c.revision,
                "created_at": c.created_at,
                "response": (
                    {"disposition": c.disposition.value, "reason": c.reason, "answered_at": c.answered_at}
                    if c.is_answered and policies.response_is_visible(current_user, c)
                    else None
                ),
            }
            for c in contributions
        ],
    }
