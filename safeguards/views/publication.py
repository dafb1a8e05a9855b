"""Publishing an approved assessment after its preview, and an admin's public withdrawal of it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.forms import PostForm
from consortium.inputs import parse_id
from consortium.permissions import Permission, require
from consortium.users import current_person
from safeguards import evidence, policies, services, workflow
from safeguards.forms import WithdrawForm
from safeguards.models import AssessmentState
from safeguards.views import bp, presenter


@bp.route("/safeguards/assessments/<int:assessment_id>/publish", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_MANAGE)
def publish(assessment_id: int):
    """The preview of exactly what becomes public, and the button that publishes it."""
    assessment = policies.assessment_or_404(assessment_id)
    form = PostForm()
    if form.validate_on_submit():
        try:
            with transaction.action():
                workflow.publish(assessment, public_files=_checked_files(), by=current_person())
        except services.InvalidTransition:
            flash(_("Only approved assessments can be published."), "error")
        else:
            flash(_("Published: the results and open data are public now."), "success")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    if assessment.state is not AssessmentState.APPROVED:
        flash(_("Only approved assessments can be published."), "info")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    wizard = presenter.Wizard(assessment)
    self_, reviewed = services.scores(wizard.idx, wizard.items)
    return render_template(
        "safeguards/publish.html",
        assessment=assessment,
        wizard=wizard,
        form=form,
        self_scores=self_,
        reviewed_scores=reviewed,
        files=wizard.files_by_item(evidence.publication_files(assessment)),
    )


def _checked_files() -> set[int]:
    """The evidence files whose box was checked; ids of other assessments' files are ignored later."""
    return {i for i in map(parse_id, request.form.getlist("public")) if i is not None}


@bp.route("/safeguards/assessments/<int:assessment_id>/withdraw", methods=["GET", "POST"])
@require(Permission.SAFEGUARDS_WITHDRAW)
def withdraw(assessment_id: int):
    """An admin takes published results back; the page and the open data then say so, with the reason."""
    assessment = policies.assessment_or_404(assessment_id)
    if request.method == "GET" and assessment.state is not AssessmentState.PUBLISHED:
        flash(_("Only published assessments can be withdrawn."), "info")
        return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    form = WithdrawForm()
    status = 200
    if form.validate_on_submit():
        try:
            with transaction.action():
                workflow.withdraw(assessment, reason=form.reason.data, by=current_person())
        except services.AssessmentLocked as locked:
            status = 409
            flash(
                _(
                    "The assessment is %(state)s now, so it was not withdrawn. "
                    "What you typed is still below.",
                    state=locked.state.label,
                ),
                "error",
            )
        except workflow.InvalidWithdrawal as invalid:
            status = 422
            form.reason.errors = [str(invalid.message)]
        else:
            flash(_("Withdrawn: its page and open data now say so, with your reason."), "success")
            return redirect(url_for("safeguards.results", assessment_id=assessment.id))
    elif request.method == "POST":
        status = 422
    return render_template("safeguards/withdraw.html", assessment=assessment, form=form), status
