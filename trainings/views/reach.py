"""The reach pages: the public figures, and staff's dashboard with filters and a CSV export."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _

from consortium.csvexport import csv_response
from consortium.dates import iso
from consortium.db import db, utcnow
from consortium.i18n import current_language
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, public, require
from consortium.reference.countries import country_name
from trainings import services
from trainings.forms import ReachFilterForm
from trainings.models import DisseminationReport, Registration, Training, TrainingState
from trainings.services.reach import report_conditions
from trainings.views import bp


@bp.route("/trainings/reach")
@public
def reach():
    return render_template("trainings/reach.html", reach=services.reach(), staff_view=False)


def _filters() -> tuple[ReachFilterForm, services.ReachFilters]:
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(
            sa.or_(
                sa.exists().where(DisseminationReport.organisation_id == Organisation.id),
                sa.exists().where(
                    Registration.organisation_id == Organisation.id, Registration.completed_at.is_not(None)
                ),
            )
        )
        .order_by(Organisation.name)
    ).all()
    form = ReachFilterForm(request.args, years=services.years_with_data(), organisations=organisations)
    form.validate()
    return form, services.ReachFilters(
        year=form.year.data or None,
        country=form.country.data or None,
        organisation_id=form.organisation.data or None,
    )


@bp.route("/trainings/reach/staff")
@require(Permission.STAFF_DASHBOARD)
def dashboard():
    form, filters = _filters()
    upcoming = db.session.scalars(
        sa.select(Training)
        .where(Training.state != TrainingState.CANCELLED, Training.starts_at > utcnow())
        .order_by(Training.starts_at)
        .limit(20)
    ).all()
    return render_template(
        "trainings/reach.html",
        reach=services.reach(filters),
        staff_view=True,
        filters=form,
        upcoming=upcoming,
        unverified=services.reports_to_check(),
        language=current_language(),
    )


@bp.route("/trainings/reach/staff/reports.csv")
@require(Permission.STAFF_DASHBOARD)
def dashboard_csv():
    """The verified reports behind the dashboard's dissemination figures, with the same filters."""
    _form, filters = _filters()
    reports = db.session.scalars(
        sa.select(DisseminationReport)
        .where(DisseminationReport.verified_at.is_not(None), *report_conditions(filters))
        .order_by(DisseminationReport.held_on, DisseminationReport.id)
    ).all()
    header = [
        _("Date"),
        _("Organisation"),
        _("Country"),
        _("Language"),
        _("Audience"),
        _("Participants"),
        _("Notes"),
        # i18n: CSV column heading; the times are ISO 8601 in UTC
        _("Reported (UTC)"),
        _("Verified (UTC)"),
    ]
    rows = (
        [
            r.held_on.isoformat(),
            r.organisation.name,
            country_name(r.country),
            r.language,
            r.audience_kind.label,
            r.participants,
            r.notes,
            iso(r.created_at),
            iso(r.verified_at),
        ]
        for r in reports
    )
    return csv_response(header, rows, "reach-reports.csv")
