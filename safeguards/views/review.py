"""The reviewers' page (ratings, comments and the decision in one form) and the approval's preview."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.permissions import require
from consortium.users import current_person
from safeguards import policies, services, workflow
from safeguards.forms import ApproveForm, ReviewForm
from safeguards.models import Assessment, AssessmentState
from safeguards.views import bp, presenter


def _flash_decided_first(locked: services.AssessmentLocked) -> None:
    flash(
        _(
            "Another reviewer decided first: the assessment is now %(state)s. "
            "Nothing was saved; what you typed is still below.",
            state=locked.state.label,
        ),
        "error",
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/review", methods=["GET", "POST"])
@require()
def review(assessment_id: int):
    """Ratings, comments and the decision: one form, saved together in one action or not at all."""
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.may_review(current_user, assessment):
        abort(403)
    if request.method == "GET" and assessment.state is not AssessmentState.SUBMITTED:
        flash(_("Only submitted assessments can be reviewed."), "info")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    wizard = presenter.Wizard(assessment, with_users=True)
    form = ReviewForm([item.answer for item in wizard.in_scope])
    status, conflicts = 200, {}
    if form.validate_on_submit():
        decision, saved = form.decision, False
        try:
            with transaction.action():
                workflow.review(
                    assessment,
                    form.changes(),
                    decision=None if decision is workflow.Decision.APPROVE else decision,
                    note=form.note.data or "",
                    by=current_person(),
                )
        except workflow.InvalidReview as invalid:
            form.mark(invalid.items, invalid.note)
        except workflow.StaleReview as stale:
            status, conflicts = 409, stale.current
            for answer_id, current in conflicts.items():
                form.items[answer_id].version.data = current.version
            flash(
                _("Someone changed some items while you reviewed; they are marked. Nothing was saved."),
                "error",
            )
        except services.AssessmentLocked as locked:
            status = 409
            _flash_decided_first(locked)
        else:
            if decision is workflow.Decision.APPROVE:  # the review is saved; the approval is confirmed apart
                return _approval_page(assessment, ApproveForm(formdata=None, note=form.note.data))
            if decision is not None or not (form.note.data or "").strip():
                return _reviewed(assessment, decision)
            saved = True
        wizard = presenter.Wizard(assessment, with_users=True)  # the rows as they are now, read in one query
        if saved:  # a note goes out with a decision only: show the saved review, the note still typed
            flash(_("The review was saved."), "success")
            form = ReviewForm([item.answer for item in wizard.in_scope], None, note=form.note.data)
    if request.method == "POST" and form.has_errors:
        status = 422
        flash(_("Nothing was saved: fix the marked values and send the review again."), "error")
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    return (
        render_template(
            "safeguards/review.html",
            assessment=assessment,
            wizard=wizard,
            form=form,
            conflicts=conflicts,
            self_scores=self_,
            reviewed_scores=reviewed,
        ),
        status,
    )


def _reviewed(assessment: Assessment, decision: workflow.Decision | None):
    if decision is None:
        flash(_("The review was saved."), "success")
        return redirect(url_for("safeguards.review", assessment_id=assessment.id))
    flash(_("The assessment went back to the team with your comments."), "success")
    return redirect(url_for("safeguards.results", assessment_id=assessment.id))


def _approval_page(assessment: Assessment, form: ApproveForm, status: int = 200):
    """What the approval makes final (and public once published), with the form that confirms it."""
    wizard = presenter.Wizard(assessment)
    form.seen.data = workflow.preview_key(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    return (
        render_template(
            "safeguards/approve.html",
            assessment=assessment,
            wizard=wizard,
            form=form,
            self_scores=self_,
            reviewed_scores=reviewed,
        ),
        status,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/approve", methods=["GET", "POST"])
@require()
def approve(assessment_id: int):
    """The approval's preview and confirmation: it takes effect only on what the preview showed."""
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.may_review(current_user, assessment):
        abort(403)
    if request.method == "GET" and assessment.state is not AssessmentState.SUBMITTED:
        flash(_("Only submitted assessments can be approved."), "info")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    form = ApproveForm()
    status = 200
    if form.validate_on_submit():
        try:
            with transaction.action():
                workflow.approve(
                    assessment, note=form.note.data or "", seen=form.seen.data or "", by=current_person()
                )
        except services.AssessmentLocked as locked:
            status = 409
            _flash_decided_first(locked)
        except workflow.PreviewOutdated:
            status = 409
            flash(
                _(
                    "Someone changed the review after this preview was shown. "
                    "Nothing was approved: check the preview again below."
                ),
                "error",
            )
        except workflow.InvalidReview as invalid:
            status = 422
            form.note.errors = [str(invalid.note)]
        else:
            flash(_("The assessment is approved. It can no longer change."), "success")
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    elif request.method == "POST":
        status = 422
    return _approval_page(assessment, form, status)
