"""Official responses: drafting one for a contribution (and similar ones), editing the draft, a second
person's approval, and the "you said, we did" report (page and CSV)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consortium import transaction
from consortium.csvexport import csv_response
from consortium.db import db
from consortium.forms import edit_conflict, first_submission, save_edit
from consortium.governance import policies, reporting, services
from consortium.governance.contribution_models import Contribution, Disposition, Response
from consortium.governance.forms import ApproveForm, ResponseForm
from consortium.governance.models import Consultation
from consortium.governance.services.responses import answered_ids
from consortium.governance.views import bp
from consortium.i18n import current_language
from consortium.permissions import Permission, can, public, require, visible_or_404
from consortium.users import current_person


def _back(consultation_id: int, anchor: str | None = None):
    return redirect(url_for("governance.consultation", consultation_id=consultation_id, _anchor=anchor))


def _unanswered_others(contribution: Contribution) -> list[Contribution]:
    others = db.session.scalars(
        sa.select(Contribution)
        .where(
            Contribution.consultation_id == contribution.consultation_id, Contribution.id != contribution.id
        )
        .options(joinedload(Contribution.organisation))
        .order_by(Contribution.id)
    ).all()
    taken = answered_ids(c.id for c in others)
    return [c for c in others if c.id not in taken]


@bp.route("/governance/contributions/<int:contribution_id>/respond", methods=["GET", "POST"])
@require()
def respond(contribution_id: int):
    contribution = db.session.get(Contribution, contribution_id) or abort(404)
    found = visible_or_404(Consultation, contribution.consultation_id, Permission.GOVERNANCE_VIEW)
    if not can(Permission.GOVERNANCE_RESPOND, contribution):
        abort(403)
    form = ResponseForm(others=_unanswered_others(contribution))
    if form.validate_on_submit():
        seat = policies.answering_seat(current_person(), found.space)
        try:
            with transaction.action():
                if first_submission(form) is None:
                    services.draft_response(
                        contribution,
                        by=current_person(),
                        organisation_id=seat.organisation_id if seat else None,
                        disposition=Disposition(form.disposition.data),
                        rationale=form.rationale.data or "",
                        commitment=form.commitment.data or "",
                        commitment_link=form.commitment_link.data or "",
                        also=form.also.data or (),
                    )
        except (services.AlreadyAnswered, services.ConsultationLocked) as error:
            flash(str(error.message), "error")
            return _back(found.id)
        except services.GovernanceError as error:
            form.rationale.errors = [str(error.message)]
        else:
            flash(
                _("The draft response was saved. Another person who answers for the space approves it."),
                "success",
            )
            return _back(found.id, f"c{contribution.id}")
    return render_template(
        "governance/respond.html",
        consultation=found,
        contributions=[contribution],
        response=None,
        form=form,
        language=current_language(),
    )


def _response_or_404(response_id: int) -> tuple[Response, Consultation]:
    response = db.session.get(Response, response_id) or abort(404)
    return response, visible_or_404(Consultation, response.consultation_id, Permission.GOVERNANCE_VIEW)


@bp.route("/governance/responses/<int:response_id>/edit", methods=["GET", "POST"])
@require()
def edit_response(response_id: int):
    response, found = _response_or_404(response_id)
    if not can(Permission.GOVERNANCE_RESPOND, response):
        abort(403)
    form = ResponseForm(obj=response)
    del form.also  # the contributions it covers are fixed when it is drafted
    if request.method == "GET":
        form.version.data = response.version
        form.disposition.data = response.disposition.value
    if form.validate_on_submit():
        try:
            saved = save_edit(
                form,
                response,
                lambda: services.update_response(
                    response,
                    by=current_person(),
                    disposition=Disposition(form.disposition.data),
                    rationale=form.rationale.data or "",
                    commitment=form.commitment.data or "",
                    commitment_link=form.commitment_link.data or "",
                ),
            )
        except (services.ResponseApproved, services.ConsultationLocked) as error:
            flash(str(error.message), "error")
            return _back(found.id)
        if saved is not None:
            return edit_conflict(
                form,
                saved,
                _(
                    "Someone else saved this response while you were editing. Your changes are below; "
                    "check them against the saved version and save again."
                ),
                "governance/respond.html",
                consultation=found,
                contributions=response.contributions,
                response=saved,
                language=current_language(),
            )
        flash(_("The draft response was saved."), "success")
        return _back(found.id, f"r{response.id}")
    return render_template(
        "governance/respond.html",
        consultation=found,
        contributions=response.contributions,
        response=response,
        form=form,
        language=current_language(),
    )


@bp.route("/governance/responses/<int:response_id>/approve", methods=["POST"])
@require()
def approve_response(response_id: int):
    response, found = _response_or_404(response_id)
    if not policies.may_approve(current_person(), response):
        abort(403)
    form = ApproveForm()
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            with transaction.action():
                services.approve_response(response, by=current_person(), version=version)
        except services.GovernanceError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The response is approved. It is published with the others."), "success")
    return _back(found.id, f"r{response.id}")


@bp.route("/governance/consultations/<int:consultation_id>/report")
@public
def report(consultation_id: int):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    return render_template(
        "governance/report.html",
        consultation=found,
        space=found.space,
        rows=reporting.report_rows(found, current_person()),
    )


@bp.route("/governance/consultations/<int:consultation_id>/report.csv")
@public
def report_csv(consultation_id: int):
    found = visible_or_404(Consultation, consultation_id, Permission.GOVERNANCE_VIEW)
    header = [
        _("Section"),
        _("Kind"),
        _("Organisation"),
        _("Contribution"),
        _("Response"),
        _("Reasons"),
        _("Commitment"),
        _("Where the commitment is followed"),
    ]
    rows = [
        [
            f"{row.contribution.section.position}. {row.contribution.section.heading}",
            row.kind.label,
            row.contribution.organisation.name if row.contribution.organisation else "",
            row.summary,
            row.response.disposition.label if row.response else "",
            row.response.rationale if row.response else "",
            row.response.commitment if row.response else "",
            row.response.commitment_link if row.response else "",
        ]
        for row in reporting.report_rows(found, current_person())
    ]
    return csv_response(header, rows, f"consultation-{found.id}-report.csv")
