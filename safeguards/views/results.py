"""Results of an assessment, its printable report and the side-by-side comparison."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium.db import db
from consortium.forms import PostForm
from consortium.inputs import parse_id
from consortium.permissions import public
from consortium.suggestions import for_principles
from safeguards import policies, services
from safeguards.models import Assessment, AssessmentState, Pilot
from safeguards.roadmap.planning import STARTS_FROM
from safeguards.views import bp, presenter
from safeguards.views.roadmap import roadmap_of


@bp.route("/safeguards/assessments/<int:assessment_id>/results")
@public
def results(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    wizard = presenter.Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    shown = reviewed if presenter.has_review(assessment, wizard.items) else None  # no review, no column
    ranked = shown or self_
    weakest = presenter.weakest(wizard)
    principles = sorted({item.process.principle for item, _value in weakest})
    suggestions = for_principles(principles, 3)
    pilot_cycles = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.pilot_id == assessment.pilot_id, policies.visible_assessments(current_user))
        .order_by(Assessment.cycle)
    ).all()
    may_start_roadmap = assessment.state in STARTS_FROM and policies.is_team(current_user, assessment.pilot)
    return render_template(
        "safeguards/results.html",
        may_edit=policies.may_edit_answers(current_user, assessment),
        may_review=assessment.state is AssessmentState.SUBMITTED
        and policies.may_review(current_user, assessment),
        assessment=assessment,
        wizard=wizard,
        self_scores=self_,
        reviewed_scores=shown,
        chart=presenter.chart(wizard.idx, self_, shown),
        risks=sorted(
            wizard.idx.risks,
            key=lambda r: (ranked.risks.get(r.code) is None, -(ranked.risks.get(r.code) or 0)),
        ),
        weakest=weakest,
        suggestions=suggestions,
        trend=presenter.cycle_scores(pilot_cycles, (assessment.id, wizard.idx, self_, reviewed))
        if len(pilot_cycles) > 1
        else [],
        few=presenter.FEW_ITEMS,
        public_files=wizard.public_files(),
        roadmap=roadmap_of(assessment.id) if assessment.state in STARTS_FROM else None,
        may_start_roadmap=may_start_roadmap,
        # a form makes a CSRF token, which keeps the page out of the public cache: only when it is shown
        roadmap_form=PostForm() if may_start_roadmap else None,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/report")
@public
def report(assessment_id: int):
    assessment = policies.assessment_or_404(assessment_id)
    wizard = presenter.Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    shown = reviewed if presenter.has_review(assessment, wizard.items) else None
    return render_template(
        "safeguards/report.html",
        assessment=assessment,
        wizard=wizard,
        self_scores=self_,
        reviewed_scores=shown,
        chart=presenter.chart(wizard.idx, self_, shown),
        few=presenter.FEW_ITEMS,
        public_files=wizard.public_files(),
    )


@bp.route("/safeguards/compare")
@public
def compare():
    ids = [i for i in map(parse_id, request.args.getlist("ids")[:4]) if i is not None]
    columns = []
    for assessment_id in dict.fromkeys(ids):
        assessment = policies.assessment_or_404(assessment_id)
        wizard = presenter.Wizard(assessment)
        self_, reviewed = services.scores(wizard.idx, wizard.items)
        columns.append((assessment, wizard, self_, reviewed))
    choices = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.state == AssessmentState.PUBLISHED)
        .options(joinedload(Assessment.pilot).joinedload(Pilot.system))
        .order_by(Assessment.id)
    ).all()
    principles = columns[0][1].idx.principles if columns else []
    return render_template(
        "safeguards/compare.html", columns=columns, principles=principles, choices=choices, ids=ids
    )
