"""Governance over JSON: /api/v1/spaces and /api/v1/consultations/<id> with its report to read; writing
contributions, supporting them and drafting official responses (a personal token, as everywhere in the
API). Everything here is what the pages show the same caller (drafts, members-only spaces and unpublished
contributions stay hidden), and the same policies and services decide."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from consortium import pagination, transaction
from consortium.db import db
from consortium.forms import REQUIRED
from consortium.governance import listing, policies, reporting, services
from consortium.governance.contribution_models import Contribution, ContributionKind, Disposition, Response
from consortium.governance.models import Consultation, ConsultationState, Section, Space
from consortium.governance.records import Meeting, SpaceDecision
from consortium.governance.schemas import (
    ConsultationDetailSchema,
    ContributionInputSchema,
    ContributionSchema,
    DraftedResponseSchema,
    LanguageQuerySchema,
    ReportSchema,
    ResponseCreateSchema,
    SpaceDetailSchema,
    SpacePageSchema,
    SpaceQuerySchema,
    SupportResultSchema,
)
from consortium.governance.services.responses import response_for
from consortium.governance.views.spaces import visible_spaces
from consortium.i18n import current_language
from consortium.mail import public_url
from consortium.permissions import Permission, can, public, require, visible_or_404
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
    seats = listing.seats_of(space)
    consultations = db.session.scalars(
        sa.select(Consultation).where(Consultation.space_id == space.id).order_by(Consultation.id.desc())
    ).all()
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.space_id == space.id).order_by(Meeting.starts_at.desc())
    ).all()
    decisions = db.session.scalars(
        sa.select(SpaceDecision).where(SpaceDecision.space_id == space.id).order_by(SpaceDecision.id.desc())
    ).all()
    charter, _shown = space.text_in("charter", language)
    return {
        **_space_item(space, language),
        "charter": charter,
        "meetings": [
            {
                "id": m.id,
                "title": m.title,
                "kind": m.kind.value,
                "format": m.format.value,
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "cancelled_at": m.cancelled_at,
                "minutes_published_at": m.minutes_published_at,
                "url": public_url("governance.meeting", meeting_id=m.id),
            }
            for m in meetings
        ],
        "decisions": [
            {
                "id": d.id,
                "kind": d.kind.value,
                "method": d.method.value,
                "text": d.text,
                "language": d.language,
                "decided_at": d.decided_at,
                "meeting_id": d.meeting_id,
                "url": public_url("governance.decision", decision_id=d.id),
            }
            for d in decisions
        ],
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
    """A consultation's document and its published contributions, each with its supports, co-signers
    and official response (null until the caller may read one)."""
    consultation = _visible_consultation(consultation_id)
    shown = listing.contributions_for(current_user, consultation, published_only=True)
    responses = response_for(c.id for c in shown.contributions)
    drafts = policies.sees_drafts(current_person(), consultation)
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
        "eligibility": consultation.eligibility.value,
        "moderation": consultation.moderation.value,
        "contributions": [
            _contribution_item(c, shown.supports, _readable(responses.get(c.id), c, drafts))
            for c in shown.contributions
        ],
    }


def _readable(response: Response | None, contribution: Contribution, drafts: bool) -> Response | None:
    visible = response is not None and policies.response_is_visible(
        current_person(), response, author_id=contribution.author_id, drafts=drafts
    )
    return response if visible else None


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
                "kind": row.kind.value,
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


def _contribution_item(c: Contribution, supports: dict[int, int], response: Response | None) -> dict:
    return {
        "id": c.id,
        "section": c.section.position,
        "author": c.author.name if c.author else None,
        "organisation": c.organisation.name if c.organisation else None,
        "kind": c.kind.value,
        "language": c.language,
        "link": c.link,
        "body": c.body,
        "revision": c.revision,
        "created_at": c.created_at,
        "visibility": c.visibility.value,
        "supports": supports.get(c.id, 0),
        "cosigners": [k.organisation.name for k in c.cosignatures],
        "response": _response_item(response),
    }


def _invalid(field: str, message) -> None:
    """422 with the translated message under the field, as the schema's own errors are."""
    refused = UnprocessableEntity(str(message))
    refused.data = {"messages": {"json": {field: [str(message)]}}}
    raise refused


@blp.route("/consultations/<int:consultation_id>/contributions", methods=["POST"])
@require()
@blp.arguments(ContributionInputSchema)
@blp.response(201, ContributionSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def create_contribution(data, consultation_id: int):
    """Contribute to a section: 403 when the caller may not take part (the message says why) or acts
    for an organisation they do not belong to, 409 when the consultation is not open. In a consultation
    moderated before publication the answer's ``visibility`` is ``pending``."""
    consultation = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    person = current_person()
    if not can(Permission.GOVERNANCE_CONTRIBUTE, consultation):
        refusal = policies.eligibility_refusal(person, consultation)
        if refusal is not None:
            abort(403, str(refusal))
        abort(409, str(services.ConsultationLocked.message))
    section = db.session.get(Section, data["section_id"])
    if section is None or section.consultation_id != consultation.id:
        _invalid("section_id", _("This consultation has no such section."))
    if not data["body"].strip():
        _invalid("body", REQUIRED)
    if data["link"] and data["kind"] != ContributionKind.EVIDENCE.value:
        _invalid("link", _("Only evidence carries a link: choose Evidence or leave it empty."))
    if not policies.may_act_for(person, data["organisation_id"]):
        abort(403, _("You can act only for a verified organisation you belong to."))
    try:
        with transaction.action():
            contribution = services.contribute(
                section,
                by=person,
                organisation_id=data["organisation_id"],
                body=data["body"],
                kind=ContributionKind(data["kind"]),
                language=data["language"],
                link=data["link"],
            )
    except services.ConsultationLocked as error:
        abort(409, str(error.message))
    return _contribution_item(contribution, {}, None)


@blp.route("/contributions/<int:contribution_id>/supports", methods=["POST"])
@require()
@blp.response(201, SupportResultSchema)
@blp.alt_response(200, schema=SupportResultSchema, description="Already supported")
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def support_contribution(contribution_id: int):
    """Support a published contribution: 201 the first time, 200 when the caller already supports it."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not can(Permission.GOVERNANCE_VIEW, contribution.consultation):
        abort(404)
    if not can(Permission.GOVERNANCE_VIEW, contribution):
        abort(404)
    if not can(Permission.GOVERNANCE_CONTRIBUTE, contribution):
        refusal = policies.eligibility_refusal(current_person(), contribution.consultation)
        if refusal is not None:
            abort(403, str(refusal))
        abort(409, str(services.ConsultationLocked.message))
    try:
        with transaction.action():
            created = services.support(contribution, current_person())
    except services.ConsultationLocked as error:
        abort(409, str(error.message))
    count = services.supports(None, [contribution.id])[0].get(contribution.id, 0)
    return {"contribution_id": contribution.id, "supports": count}, 201 if created else 200
