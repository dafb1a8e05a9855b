"""The wizard's last step: the summary of what the team hands in, and the confirmed submission."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.forms import PostForm
from consortium.permissions import require
from consortium.users import current_person
from safeguards import policies, services, workflow
from safeguards.views import bp, presenter
from safeguards.views.wizard import _editable_or_redirect


@bp.route("/safeguards/assessments/<int:assessment_id>/submit")
@require()
def submit(assessment_id: int):
    """The wizard's last step: what the team is about to hand in, and the way to the confirmation."""
    assessment = policies.assessment_or_404(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    wizard = presenter.Wizard(assessment)
    self_, _reviewed = services.scores(wizard.idx, wizard.items)
    return render_template(
        "safeguards/submit.html",
        assessment=assessment,
        wizard=wizard,
        summary=presenter.submission_summary(wizard),
        scores=self_,
        few=presenter.FEW_ITEMS,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/submit/confirm", methods=["GET", "POST"])
@require()
def confirm_submit(assessment_id: int):
    """The summary once more and the button that hands the answers to the reviewers."""
    assessment = policies.assessment_or_404(assessment_id)
    locked = _editable_or_redirect(assessment)
    if locked:
        return locked
    form = PostForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                workflow.submit(assessment, by=current_person())
        except services.NoReviewer:
            pass  # nothing changed; the page below says why and offers no button
        except services.AssessmentLocked:  # submitted meanwhile (a double click, a teammate)
            flash(_("This assessment was already submitted."), "info")
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
        except services.InvalidTransition:
            flash(_("Choose the scope before submitting."), "error")
        else:
            flash(
                _("Submitted. The reviewers were told; the assessment is locked until they answer."),
                "success",
            )
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    wizard = presenter.Wizard(assessment)
    return render_template(
        "safeguards/submit_confirm.html",
        assessment=assessment,
        wizard=wizard,
        summary=presenter.submission_summary(wizard),
        form=form,
    )
