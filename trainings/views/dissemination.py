"""Dissemination reports: organisations report, edit and delete them; staff verify or reject them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission, remember_result, save_edit
from consortium.i18n import current_language
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, can, require, visible_or_404
from consortium.users import current_person
from consortium.users.models import User
from trainings import services
from trainings.forms import RejectReportForm, ReportForm, ReportListForm
from trainings.models import DisseminationReport, ReportStatus
from trainings.views import bp

REPORT_FIELDS = ("held_on", "country", "language", "audience_kind", "participants", "topics", "notes")


def _reporting_organisations(user: User) -> list[Organisation]:
    return [
        m.organisation for m in user.memberships if can(Permission.TRAININGS_REPORT, m.organisation, user)
    ]


def _report_form(organisations, **kwargs) -> ReportForm:
    today = datetime.now(get_timezone()).date()  # the reporter's today, in their time zone
    return ReportForm(
        organisations=organisations,
        date_error=lambda organisation_id, held_on: services.report_date_error(
            organisation_id, held_on, today
        ),
        **kwargs,
    )


def _report_fields(form: ReportForm) -> dict:
    fields = {name: getattr(form, name).data for name in REPORT_FIELDS}
    fields["topics"] = fields["topics"] or []
    fields["notes"] = fields["notes"] or ""
    fields["resources"] = form.resource_list()
    return fields


@bp.route("/trainings/reports")
@require()
def reports():
    filters = ReportListForm(request.args)
    filters.validate()
    query = sa.select(DisseminationReport).order_by(
        DisseminationReport.held_on.desc(), DisseminationReport.id
    )
    if not can(Permission.TRAININGS_MANAGE):
        query = query.where(
            DisseminationReport.organisation_id.in_([m.organisation_id for m in current_user.memberships])
        )
    status = filters.status.data
    if status == ReportStatus.VERIFIED:
        query = query.where(DisseminationReport.verified_at.is_not(None))
    elif status == ReportStatus.REJECTED:
        query = query.where(
            DisseminationReport.verified_at.is_(None), DisseminationReport.rejected_at.is_not(None)
        )
    elif status == ReportStatus.PENDING:
        query = query.where(
            DisseminationReport.verified_at.is_(None), DisseminationReport.rejected_at.is_(None)
        )
    return render_template(
        "trainings/reports.html",
        reports=db.session.scalars(query.limit(500)).all(),
        filters=filters,
        may_report=bool(_reporting_organisations(current_person())),
        post_form=PostForm(),
    )


@bp.route("/trainings/reports/new", methods=["GET", "POST"])
@require()
def new_report():
    organisations = _reporting_organisations(current_person())
    if not organisations:  # say why, and what to do, instead of a bare "Access denied"
        memberships = current_person().memberships
        return render_template("trainings/report_not_yet.html", has_organisation=bool(memberships)), 403
    form = _report_form(organisations)
    if request.method == "GET":
        form.country.data = organisations[0].country
        form.language.data = current_language()
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        with transaction.action():
            earlier = first_submission(form)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("trainings.reports"))
            services.create_report(organisation, by=current_person(), **_report_fields(form))
            remember_result(form, url_for("trainings.reports"))
        flash(_("Thank you: the report was saved. Staff will verify it."), "success")
        return redirect(url_for("trainings.reports"))
    return render_template("trainings/report_form.html", form=form, report=None)


def _editable(report_id: int) -> DisseminationReport:
    report = visible_or_404(DisseminationReport, report_id, Permission.TRAININGS_REPORT_EDIT)
    if report.is_verified:
        flash(_("This report is verified: it can no longer be changed."), "error")
        abort(redirect(url_for("trainings.reports")))
    return report


@bp.route("/trainings/reports/<int:report_id>/edit", methods=["GET", "POST"])
@require()
def edit_report(report_id: int):
    report = _editable(report_id)
    form = _report_form([report.organisation], obj=report)
    if request.method == "GET":
        form.resources.data = "\n".join(
            " | ".join(part for part in (r.get("title", ""), r.get("url", "")) if part)
            for r in report.resources
        )
        form.version.data = report.version
    if form.validate_on_submit():
        fields = _report_fields(form)
        try:
            newer = save_edit(
                form, report, lambda: services.update_report(report, by=current_person(), **fields)
            )
        except services.ReportLocked as error:
            flash(error.message, "error")
            return redirect(url_for("trainings.reports"))
        if newer is not None:
            form.version.data = newer.version
            flash(
                _("Someone else saved this report while you were editing. Check it and save again."), "error"
            )
            return render_template("trainings/report_form.html", form=form, report=newer), 409
        flash(_("The report was saved. Staff will verify it."), "success")
        return redirect(url_for("trainings.reports"))
    return render_template("trainings/report_form.html", form=form, report=report, post_form=PostForm())


@bp.route("/trainings/reports/<int:report_id>/delete", methods=["POST"])
@require()
def delete_report(report_id: int):
    report = _editable(report_id)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.delete_report(report, by=current_person())
        flash(_("The report was deleted."), "success")
    return redirect(url_for("trainings.reports"))


@bp.route("/trainings/reports/<int:report_id>/verify", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def verify_report(report_id: int):
    report = db.session.get(DisseminationReport, report_id)
    if report is None:
        abort(404)
    if PostForm().validate_on_submit() and not report.is_verified:
        with transaction.action():
            services.verify_report(report, by=current_person())
        flash(_("The report is verified."), "success")
    return redirect(url_for("trainings.reports"))


@bp.route("/trainings/reports/<int:report_id>/reject", methods=["GET", "POST"])
@require(Permission.TRAININGS_MANAGE)
def reject_report(report_id: int):
    report = db.session.get(DisseminationReport, report_id)
    if report is None:
        abort(404)
    if report.is_verified:
        return redirect(url_for("trainings.reports"))
    form = RejectReportForm()
    if form.validate_on_submit():
        with transaction.action():
            services.reject_report(report, reason=form.reason.data.strip(), by=current_person())
        flash(_("The report is rejected; the organisation can correct it."), "success")
        return redirect(url_for("trainings.reports"))
    return render_template("trainings/report_reject.html", report=report, form=form), (
        422 if form.errors else 200
    )
