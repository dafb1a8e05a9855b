"""Open data: an assessment's answers as CSV and everything as JSON (once withdrawn, the record of the
withdrawal without its answers)."""

from __future__ import annotations

import json

from flask import Response

from consortium.csvexport import csv_response
from consortium.i18n import localised
from consortium.permissions import public
from safeguards import policies, services
from safeguards.models import PUBLIC
from safeguards.views import bp, presenter

CSV_COLUMNS = (
    "process",
    "principle",
    "title",
    "in_scope",
    "status",
    "rating",
    "justification",
    "evidence",
    "links",
    "confidence",
    "reviewed_rating",
    "reviewer_comment",
    "version",
    "updated_at",
    "public_evidence_files",  # "name (bytes) link", one a line
)


@bp.route("/safeguards/assessments/<int:assessment_id>/answers.csv")
@public
def export_csv(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    wizard = presenter.Wizard(assessment)
    files: dict[str, list[str]] = {}
    for f in wizard.public_file_data():
        files.setdefault(f["process"], []).append(f"{f['name']} ({f['size']} bytes) {f['url']}")
    rows = []
    for item in wizard.in_scope:
        row = services.answer_data(item)
        row["title"] = localised(item.process.title)
        row["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else ""
        row["public_evidence_files"] = "\n".join(files.get(item.process.code, ()))
        rows.append([row[c] for c in CSV_COLUMNS])
    pilot = assessment.pilot
    name = f"safeguards-{pilot.system.slug}-{pilot.country.lower()}-cycle{assessment.cycle}.csv"
    response = csv_response(CSV_COLUMNS, rows, name)
    if assessment.state in PUBLIC:
        response.headers["Link"] = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    return response


@bp.route("/safeguards/assessments/<int:assessment_id>/data.json")
@public
def export_json(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    wizard = presenter.Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    body = {
        **services.assessment_summary(assessment),
        "published_at": assessment.published_at.isoformat() if assessment.published_at else None,
        "withdrawn_at": assessment.withdrawn_at.isoformat() if assessment.withdrawn_at else None,
        "licence_url": "https://creativecommons.org/licenses/by/4.0/" if assessment.state in PUBLIC else None,
        "framework_attribution": wizard.idx.framework.attribution,
        "scores": {"self": services.score_data(self_), "reviewed": services.score_data(reviewed)},
        "evidence_files": wizard.public_file_data(),  # those chosen public at publication
        "answers": [
            {**services.answer_data(item), "updated_at": item.answer.updated_at.isoformat()}
            for item in wizard.in_scope
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")
