"""Evidence files of an item: the team uploads and removes them; the team, its reviewers and staff read
them; everyone reads those the publication made public."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import storage, transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission, remember_result
from consortium.permissions import public, require
from consortium.users import current_person
from safeguards import evidence, policies, services
from safeguards.item_forms import EvidenceForm
from safeguards.item_models import EvidenceFile
from safeguards.views import bp
from safeguards.views.items import item_page, load_item


def _item_anchor(assessment, process: str) -> str:
    return url_for("safeguards.item", assessment_id=assessment.id, process=process) + "#evidence"


def _locked(assessment, process: str, locked: services.AssessmentLocked):
    flash(
        _("The assessment is %(state)s now: its files cannot change.", state=locked.state.label),
        "error",
    )
    return redirect(_item_anchor(assessment, process))


@bp.route("/safeguards/assessments/<int:assessment_id>/items/<process>/evidence", methods=["POST"])
@require()
def upload_evidence(assessment_id: int, process: str):
    assessment, answer, info = load_item(assessment_id, process)
    if not policies.may_edit_answers(current_user, assessment):
        abort(403)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return item_page(assessment, answer, info, evidence_form=form, status=422)
    upload = form.file.data
    try:
        with transaction.action():
            earlier = first_submission(form)
            if earlier is None:
                evidence.attach(
                    answer,
                    upload.stream,
                    upload.filename or "",
                    is_public=form.is_public.data,
                    by=current_person(),
                )
                remember_result(form, _item_anchor(assessment, info.code))
    except evidence.InvalidEvidence as invalid:
        form.file.errors = [str(invalid.error)]
        return item_page(assessment, answer, info, evidence_form=form, status=422)
    except services.AssessmentLocked as locked:
        return _locked(assessment, info.code, locked)
    if earlier is None:
        flash(_("The file was attached."), "success")
    return redirect(_item_anchor(assessment, info.code))


def _team_file(assessment_id: int, file_id: int):
    """The file and its item for a team member's change, or 404/403."""
    row = db.session.get(EvidenceFile, file_id)
    if row is None or row.assessment_id != assessment_id:
        abort(404)
    assessment, _answer, info = load_item(assessment_id, row.answer.process.code)
    if not policies.may_edit_answers(current_user, assessment):
        abort(403)
    if not PostForm().validate_on_submit():
        abort(400)
    return assessment, row, info


@bp.route("/safeguards/assessments/<int:assessment_id>/evidence/<int:file_id>/delete", methods=["POST"])
@require()
def delete_evidence(assessment_id: int, file_id: int):
    assessment, row, info = _team_file(assessment_id, file_id)
    try:
        with transaction.action():
            evidence.remove(row)
    except services.AssessmentLocked as locked:
        return _locked(assessment, info.code, locked)
    flash(_("The file was removed."), "success")
    return redirect(_item_anchor(assessment, info.code))


@bp.route("/safeguards/assessments/<int:assessment_id>/evidence/<int:file_id>/public", methods=["POST"])
@require()
def propose_public(assessment_id: int, file_id: int):
    assessment, row, info = _team_file(assessment_id, file_id)
    wanted = request.form.get("is_public") == "1"
    try:
        with transaction.action():
            evidence.set_proposal(row, wanted)
    except services.AssessmentLocked as locked:
        return _locked(assessment, info.code, locked)
    flash(
        _("The file may be made public when the results are published.")
        if wanted
        else _("The file stays private, also after publication."),
        "success",
    )
    return redirect(_item_anchor(assessment, info.code))


@bp.route("/safeguards/assessments/<int:assessment_id>/evidence/<int:file_id>/<name>")
@public  # files made public with the published results; the others check who asks
def download_evidence(assessment_id: int, file_id: int, name: str):
    assessment = policies.assessment_or_404(assessment_id)
    row = db.session.scalar(
        sa.select(EvidenceFile).where(EvidenceFile.id == file_id, EvidenceFile.assessment_id == assessment.id)
    )
    if row is None:
        abort(404)
    if evidence.is_published(row, assessment):
        return storage.send(row.file, private=False)
    if not (current_user.is_authenticated and policies.may_read_items(current_user, assessment)):
        abort(404)
    return storage.send(row.file, private=True)
