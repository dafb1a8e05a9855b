"""JSON API (flask-smorest): the framework, visible assessments and answers, saving an answer, scores."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.db import db
from consortium.errors import json_error
from consortium.permissions import public, require
from consortium.users import current_person
from safeguards import answers, policies, services
from safeguards import framework as fw
from safeguards.models import Answer, AnswerStatus, Assessment, Pilot, Process
from safeguards.schemas import (
    AnswerInputSchema,
    AnswerSchema,
    AssessmentSchema,
    AssessmentSummarySchema,
    FrameworkSchema,
    ScoresSchema,
    StaleAnswerErrorSchema,
)

blp = Blueprint("safeguards_api", __name__, url_prefix="/api/v1", description="Safeguards self-assessments")


def _error(status: int, message: str, **extra):
    abort(json_error(status, message, **extra))


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": 'The version the change is based on, as the ETag gave it: `"3"`',
}


@blp.route("/frameworks/<version>")
@public
@blp.response(200, FrameworkSchema)
def get_framework(version: str):
    """A framework version: principles, risks, authorities, stages, and processes with their links."""
    framework = fw.by_version(version)
    if framework is None:
        abort(404)
    idx = fw.index(framework.id)
    return {
        "version": framework.version,
        "name": framework.name,
        "licence": framework.licence,
        "attribution": framework.attribution,
        "coverage_note": framework.coverage_note,
        "processes_in_reference": framework.processes_in_reference,
        "estimated_total": framework.estimated_total,
        "principles": idx.principles,
        "risks": idx.risks,
        "authorities": idx.authorities,
        "stages": idx.stages,
        "processes": idx.processes,
    }


@blp.route("/assessments")
@public
@blp.response(200, AssessmentSummarySchema(many=True))
def list_assessments():
    """The assessments the caller may see: published ones and the records of withdrawn ones, and drafts for
    their teams and reviewers."""
    query = (
        sa.select(Assessment)
        .where(policies.visible_assessments(current_user))
        .options(
            joinedload(Assessment.framework),
            joinedload(Assessment.pilot).joinedload(Pilot.system),
            joinedload(Assessment.pilot).selectinload(Pilot.members),
        )
        .order_by(Assessment.id)
    )
    return [services.assessment_summary(a) for a in db.session.scalars(query).unique()]


@blp.route("/assessments/<int:assessment_id>")
@public
@blp.response(200, AssessmentSchema)
def get_assessment(assessment_id: int):
    """One assessment with every answer (`in_scope` says whether it counts)."""
    assessment = policies.assessment_or_404(assessment_id)
    idx = fw.index(assessment.framework_id)
    items = services.items(assessment, idx)
    return {**services.assessment_summary(assessment), "answers": [services.answer_data(i) for i in items]}


@blp.route("/assessments/<int:assessment_id>/answers/<process>", methods=["PUT"])
@require()
@blp.arguments(AnswerInputSchema)
@blp.response(200, AnswerSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(412, schema=StaleAnswerErrorSchema, description="Outdated version")
@blp.alt_response(428, response="PRECONDITION_REQUIRED")
@blp.doc(parameters=[IF_MATCH])
def put_answer(data, assessment_id: int, process: str):
    """Save the team's answer. Send `If-Match: "<version>"`: 428 without it, 412 when it is outdated."""
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.is_team(current_user, assessment.pilot):
        abort(403)
    answer = db.session.scalar(
        sa.select(Answer)
        .join(Answer.process)
        .where(Answer.assessment_id == assessment.id, Process.code == process)
        .options(joinedload(Answer.process))
    )
    if answer is None:
        abort(404)
    header = request.headers.get("If-Match", "").strip()
    if not header:
        _error(428, _("Send an If-Match header with the version your change is based on."))
    try:
        expected = int(header.removeprefix("W/").strip('"'))
    except ValueError:
        _error(412, _("The If-Match header does not name a version."))
    data = answers.AnswerInput(
        status=AnswerStatus(data["status"]),
        rating=data["rating"] if data["status"] == "rated" else None,
        justification=data["justification"].strip(),
        evidence=data["evidence"].strip(),
        links=data["links"].strip(),
        confidence=data["confidence"].strip(),
    )
    try:
        with transaction.action():
            answers.save_answer(answer, data, expected_version=expected, by=current_person())
    except services.AssessmentLocked:
        _error(409, _("This assessment is locked: it was submitted or approved."))
    except services.StaleAnswer as conflict:
        current = conflict.current
        _error(
            412,
            _("Someone else saved this item after the version you based your change on."),
            current={"version": current.version, "status": current.status.value, "rating": current.rating},
        )
    except services.InvalidAnswer as invalid:
        _error(422, _("The answer is incomplete."), errors={k: str(v) for k, v in invalid.errors.items()})
    idx = fw.index(assessment.framework_id)
    item = next(i for i in services.items(assessment, idx) if i.answer.id == answer.id)
    return services.answer_data(item), 200, {"ETag": f'"{answer.version}"'}


@blp.route("/assessments/<int:assessment_id>/scores")
@public
@blp.response(200, ScoresSchema)
def get_scores(assessment_id: int):
    """Self-assessed and reviewed scores (principles and risks by code; null where there is no figure)."""
    assessment = policies.assessment_or_404(assessment_id)
    idx = fw.index(assessment.framework_id)
    self_, reviewed = services.scores(idx, services.items(assessment, idx))
    return {"self_": services.score_data(self_), "reviewed": services.score_data(reviewed)}
