"""One item's page: its answer, its thread (reply, resolve) and its answer history; what awaits a reply."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.db import db
from consortium.forms import first_submission, remember_result
from consortium.permissions import require
from consortium.users import current_person
from safeguards import evidence, history, policies, services, threads
from safeguards import framework as fw
from safeguards.item_forms import EvidenceForm, MessageForm, ResolveForm
from safeguards.models import Answer, Assessment
from safeguards.views import bp

#: where a form on another page sends the person back to (a fixed list: no open redirect)
BACK = ("item", "step", "review")


def load_item(assessment_id: int, process: str) -> tuple[Assessment, Answer, fw.ProcessInfo]:
    """The assessment and the item; 404 when the item is unknown or its details are not this user's."""
    assessment = policies.assessment_or_404(assessment_id)
    if not policies.may_read_items(current_user, assessment):
        abort(404)
    info = fw.index(assessment.framework_id).by_code().get(process)
    answer = None
    if info is not None:
        answer = db.session.scalar(
            sa.select(Answer)
            .where(Answer.assessment_id == assessment.id, Answer.process_id == info.id)
            .options(joinedload(Answer.updated_by))
        )
    if answer is None:
        abort(404)
    return assessment, answer, info


def _back_url(assessment: Assessment, info: fw.ProcessInfo, back: str | None) -> str:
    if back == "step":
        url = url_for("safeguards.step", assessment_id=assessment.id, code=info.principle)
        return f"{url}#item-{info.code}"
    if back == "review":
        return url_for("safeguards.review", assessment_id=assessment.id) + f"#review-{info.code}"
    return url_for("safeguards.item", assessment_id=assessment.id, process=info.code) + "#thread"


def item_page(assessment, answer, info, *, message_form=None, evidence_form=None, status=200):
    versions = history.versions_of(answer)
    previous = [history.BLANK, *versions]  # the first version shows what was entered
    timeline = [(v, history.changes(previous[n], v)) for n, v in enumerate(versions)]
    return (
        render_template(
            "safeguards/item.html",
            assessment=assessment,
            answer=answer,
            process=info,
            thread=threads.of_answer(answer),
            message_form=message_form or MessageForm(),
            files=evidence.of_answer(answer),
            evidence_form=evidence_form or EvidenceForm(),
            may_attach=policies.may_edit_answers(current_user, assessment),
            resolve_form=ResolveForm(),
            may_discuss=policies.may_discuss(current_user, assessment),
            timeline=list(reversed(timeline)),
            back=request.args.get("back") if request.args.get("back") in BACK else "item",
        ),
        status,
    )


@bp.route("/safeguards/assessments/<int:assessment_id>/items/<process>")
@require()
def item(assessment_id: int, process: str):
    assessment, answer, info = load_item(assessment_id, process)
    return item_page(assessment, answer, info)


def _discussing(assessment_id: int, process: str):
    assessment, answer, info = load_item(assessment_id, process)
    if not policies.may_discuss(current_user, assessment):
        abort(403)
    return assessment, answer, info


def _closed(assessment, info, locked: services.AssessmentLocked):
    flash(
        _("The assessment is %(state)s now: its threads are closed.", state=locked.state.label),
        "error",
    )
    return redirect(url_for("safeguards.item", assessment_id=assessment.id, process=info.code))


@bp.route("/safeguards/assessments/<int:assessment_id>/items/<process>/messages", methods=["POST"])
@require()
def post_message(assessment_id: int, process: str):
    assessment, answer, info = _discussing(assessment_id, process)
    form = MessageForm()
    back = _back_url(assessment, info, request.form.get("back"))
    if not form.validate_on_submit():
        return item_page(assessment, answer, info, message_form=form, status=422)
    side = policies.side_of(current_user, assessment)
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                threads.post(answer, form.body.data, by=current_person(), side=side)
                remember_result(form, back)
    except services.AssessmentLocked as locked:
        return _closed(assessment, info, locked)
    except threads.InvalidMessage as invalid:
        form.body.errors = [str(invalid.error)]
        return item_page(assessment, answer, info, message_form=form, status=422)
    if earlier is None:
        flash(_("Your message was added to the thread."), "success")
    return redirect(earlier.result_url if earlier is not None and earlier.result_url else back)


@bp.route("/safeguards/assessments/<int:assessment_id>/items/<process>/resolve", methods=["POST"])
@require()
def resolve(assessment_id: int, process: str):
    assessment, answer, info = _discussing(assessment_id, process)
    form = ResolveForm()
    back = _back_url(assessment, info, request.form.get("back"))
    if not form.validate_on_submit():
        abort(400)
    resolved = form.resolved.data == "1"
    side = policies.side_of(current_user, assessment)
    try:
        with transaction.action():
            changed = threads.set_resolved(answer, resolved, by=current_person(), side=side)
    except services.AssessmentLocked as locked:
        return _closed(assessment, info, locked)
    if changed:
        flash(_("The thread is resolved.") if resolved else _("The thread is open again."), "success")
    return redirect(back)


@bp.route("/safeguards/threads")
@require()
def awaiting():
    """Every thread waiting for this person's reply, across their pilots."""
    return render_template("safeguards/awaiting.html", threads=threads.awaiting_reply(current_user))
