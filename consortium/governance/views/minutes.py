"""Minutes: the convenor's draft with its review date, the attendees' comments while the review is open,
and the convenor's approval, which publishes them (``services.minutes``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.forms import PostForm, first_submission
from consortium.governance.meeting_forms import MinutesCommentForm, MinutesForm
from consortium.governance.services import GovernanceError
from consortium.governance.services import minutes as service
from consortium.governance.views import bp
from consortium.governance.views.meetings import convened_or_403, meeting_or_404
from consortium.permissions import require
from consortium.users import current_person


def _back(meeting_id: int):
    return redirect(url_for("governance.meeting", meeting_id=meeting_id, _anchor="minutes-h"))


@bp.route("/governance/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@require()
def minutes(meeting_id: int):
    found = meeting_or_404(meeting_id)
    convened_or_403(found.space)
    form = MinutesForm()
    if request.method == "GET":
        form.fill(found)
    if form.validate_on_submit():
        try:
            with transaction.action():
                if first_submission(form) is None:
                    service.post_draft(
                        found,
                        by=current_person(),
                        minutes=form.texts(),
                        review_until=form.deadline(found.space.timezone),
                    )
        except GovernanceError as error:
            flash(str(error.message), "error")  # shown above what was typed
        else:
            flash(_("The draft minutes were sent to the attendees for review."), "success")
            return _back(found.id)
    return render_template("governance/minutes_form.html", meeting=found, space=found.space, form=form)


@bp.route("/governance/meetings/<int:meeting_id>/minutes/comments", methods=["POST"])
@require()
def comment_on_minutes(meeting_id: int):
    found = meeting_or_404(meeting_id)
    if service.attendee_seat(found, current_person()) is None:
        abort(403)
    form = MinutesCommentForm()
    if not form.validate_on_submit():
        flash(_("Write your comment (up to 1,000 characters)."), "error")
        return _back(found.id)
    try:
        with transaction.action():
            if first_submission(form) is None:
                service.comment(
                    found, by=current_person(), body=form.body.data, is_objection=form.is_objection.data
                )
    except GovernanceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your comment on the draft minutes was saved."), "success")
    return _back(found.id)


@bp.route("/governance/meetings/<int:meeting_id>/minutes/approve", methods=["POST"])
@require()
def approve_minutes(meeting_id: int):
    found = meeting_or_404(meeting_id)
    convened_or_403(found.space)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                service.approve(found, by=current_person())
        except GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The minutes were approved and published."), "success")
    return _back(found.id)
