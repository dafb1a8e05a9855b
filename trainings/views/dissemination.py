"""Dissemination reports by organisations, their verification, and the reach pages."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db, utcnow
from consortium.forms import PostForm, first_submission, remember_result
from consortium.i18n import current_language
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, can, public, require
from consortium.users import current_person
from consortium.users.models import User
from trainings import services
from trainings.forms import (
    ReportForm,
)
from trainings.models import (
    DisseminationReport,
    Training,
    TrainingState,
)
from trainings.views import bp


def _reporting_organisations(user: User) -> list[Organisation]:
    return [m.organisation for m in user.memberships if services.can_report_for(user, m.organisation)]


@bp.route("/trainings/reports")
@require()
def reports():
    query = sa.select(DisseminationReport).order_by(
        DisseminationReport.held_on.desc(), DisseminationReport.id
    )
    if not can(Permission.TRAININGS_MANAGE):
        query = query.where(
            DisseminationReport.organisation_id.in_([m.organisation_id for m in current_user.memberships])
        )
    return render_template(
        "trainings/reports.html",
        reports=db.session.scalars(query.limit(500)).all(),
        may_report=bool(_reporting_organisations(current_person())),
        post_form=PostForm(),
    )


@bp.route("/trainings/reports/new", methods=["GET", "POST"])
@require()
def new_report():
    organisations = _reporting_organisations(current_person())
    if not organisations:
        abort(
            403,
            _(
                "Only an organisation whose people completed one of the consortium's trainings can report "
                "the trainings it gave in turn. Register your people for a training in the catalogue; once "
                "one of them completes it, come back here."
            ),
        )
    form = ReportForm(organisations=organisations)
    if request.method == "GET":
        form.country.data = organisations[0].country
        form.language.data = current_language()
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        with transaction.action():
            earlier = first_submission(form)
            if earlier is not None:
                return redirect(earlier.result_url or url_for("trainings.reports"))
            services.create_report(
                organisation,
                by=current_person(),
                held_on=form.held_on.data,
                country=form.country.data,
                language=form.language.data,
                audience_kind=form.audience_kind.data,
                participants=form.participants.data,
                topics=form.topics.data or [],
                resources=form.resource_list(),
                notes=form.notes.data or "",
            )
            remember_result(form, url_for("trainings.reports"))
        flash(_("Thank you: the report was saved. Staff will verify it."), "success")
        return redirect(url_for("trainings.reports"))
    return render_template("trainings/report_form.html", form=form)


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


@bp.route("/trainings/reach")
@public
def reach():
    return render_template("trainings/reach.html", reach=services.reach(verified_only=True), staff_view=False)


@bp.route("/trainings/reach/staff")
@require(Permission.STAFF_DASHBOARD)
def dashboard():
    upcoming = db.session.scalars(
        sa.select(Training)
        .where(Training.state != TrainingState.CANCELLED, Training.starts_at > utcnow())
        .order_by(Training.starts_at)
        .limit(20)
    ).all()
    unverified = db.session.scalar(
        sa.select(sa.func.count()).where(DisseminationReport.verified_at.is_(None))
    )
    return render_template(
        "trainings/reach.html",
        reach=services.reach(verified_only=False),
        staff_view=True,
        upcoming=upcoming,
        unverified=unverified,
        language=current_language(),
        now=datetime.now,
    )
