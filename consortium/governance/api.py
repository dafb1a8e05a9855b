"""Governance over JSON: /api/v1/spaces, /api/v1/consultations/<id> and its report, and drafting an
official response (POST /api/v1/contributions/<id>/responses, by personal token or session). Everything
here is what the pages show the same caller (drafts and members-only spaces stay hidden)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from consortium import pagination, transaction
from consortium.db import db
from consortium.governance import policies, reporting, services
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Contribution,
    Disposition,
    Response,
    Seat,
    Space,
)
from consortium.governance.schemas import (
    ConsultationDetailSchema,
    DraftedResponseSchema,
    LanguageQuerySchema,
    ReportSchema,
    ResponseCreateSchema,
    SpaceDetailSchema,
    SpacePageSchema,
    SpaceQuerySchema,
)
from consortium.governance.views.spaces import visible_spaces
from consortium.i18n import current_language
from consortium.mail import public_url
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person

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


def _response_item(response: Response | None) -> dict | None:
    if response is None:
        return None
    return {
        "disposition": response.disposition.value,
        "rationale": response.rationale,
        "commitment": response.commitment,
        "commitment_link": response.commitment_link,
        "published_at": response.published_at,
    }


def _visible_consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not can(Permission.GOVERNANCE_VIEW, consultation):
        abort(404)
    return consultation


@blp.route("/consultations/<int:consultation_id>")
@public
@blp.response(200, ConsultationDetailSchema)
def get_consultation(consultation_id: int):
    """A consultation's document and its contributions, each with its official response or null."""
    consultation = _visible_consultation(consultation_id)
    rows = reporting.report_rows(consultation, current_person())
    return {
        **_consultation_item(consultation),
        "space": consultation.space.slug,
        "revision": consultation.revision,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "responses_due_at": consultation.responses_due_at,
        "sections": [
            {"position": s.position, "heading": s.heading, "body": s.body} for s in consultation.sections
        ],
        "contributions": [
            {
                "id": row.contribution.id,
                "section": row.contribution.section.position,
                "author": row.contribution.author.name if row.contribution.author else None,
                "organisation": row.contribution.organisation.name if row.contribution.organisation else None,
                "body": row.contribution.body,
                "revision": row.contribution.revision,
                "created_at": row.contribution.created_at,
                "response": _response_item(row.response),
            }
            for row in sorted(rows, key=lambda row: row.contribution.id)
        ],
    }


@blp.route("/consultations/<int:consultation_id>/report")
@public
@blp.response(200, ReportSchema)
def get_report(consultation_id: int):
    """You said, we did: every contribution with its official response and the commitments it produced."""
    consultation = _visible_consultation(consultation_id)
    return {
        "id": consultation.id,
        "title": consultation.title,
        "state": consultation.state.value,
        "responses_published_at": consultation.responses_published_at,
        "rows": [
            {
                "contribution_id": row.contribution.id,
                "section": row.contribution.section.position,
                "section_heading": row.contribution.section.heading,
                "kind": getattr(row.kind, "value", row.kind),
                "organisation": row.contribution.organisation.name if row.contribution.organisation else None,
                "summary": row.summary,
                "response": _response_item(row.response),
            }
            for row in reporting.report_rows(consultation, current_person())
        ],
    }


@blp.route("/contributions/<int:contribution_id>/responses", methods=["POST"])
@require()
@blp.arguments(ResponseCreateSchema)
@blp.response(201, DraftedResponseSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def draft_response(args, contribution_id: int):
    """Draft the official response to a contribution (and to similar ones, ``also``) as someone who answers
    for the space; another such person approves it on the consultation's page."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        abort(404)
    _visible_consultation(contribution.consultation_id)
    if not can(Permission.GOVERNANCE_RESPOND, contribution):
        abort(403, _("Only those who answer for the space draft official responses, once it is closed."))
    seat = policies.answering_seat(current_person(), contribution.consultation.space)
    try:
        with transaction.action():
            response = services.draft_response(
                contribution,
                by=current_person(),
                organisation_id=seat.organisation_id if seat else None,
                disposition=Disposition(args["disposition"]),
                rationale=args["rationale"],
                commitment=args["commitment"],
                commitment_link=args["commitment_link"],
                also=args["also"],
            )
    except (services.AlreadyAnswered, services.ConsultationLocked) as error:
        abort(409, str(error.message))
    except services.GovernanceError as error:
        abort(422, str(error.message))
    return {
        **_response_item(response),
        "id": response.id,
        "contributions": [c.id for c in response.contributions],
        "approved_at": response.approved_at,
    }
