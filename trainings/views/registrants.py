"""Staff: a training's registrants (decisions, export) and the check-in list per session."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consortium import transaction
from consortium.csvexport import csv_response
from consortium.dates import iso
from consortium.db import db, utcnow
from consortium.forms import PostForm
from consortium.i18n import current_language
from consortium.inputs import parse_id
from consortium.organisations.models import Organisation
from consortium.permissions import Permission, require, visible_or_404
from consortium.reference.countries import country_name
from consortium.sqlfunctions import contains_folded
from consortium.users import current_person
from consortium.users.models import User
from trainings import services
from trainings.forms import (
    RegistrantFilterForm,
)
from trainings.models import (
    Attendance,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
)
from trainings.views import bp


def _registrants_query(training: Training, filters: RegistrantFilterForm):
    query = (
        sa.select(Registration)
        .where(Registration.training_id == training.id)
        .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
        .join(User, User.id == Registration.user_id)
        .options(
            sa.orm.contains_eager(Registration.user),
            sa.orm.contains_eager(Registration.organisation),
            sa.orm.selectinload(Registration.certificate),
        )
        .order_by(Registration.created_at, Registration.id)
    )
    if filters.state.data:
        query = query.where(Registration.state == filters.state.data)
    if filters.country.data:
        query = query.where(Organisation.country == filters.country.data)
    if filters.q.data and filters.q.data.strip():
        query = query.where(_matching(filters.q.data.strip()))
    return query


def _matching(text: str):
    """A person's name or e-mail, or their organisation's name, ignoring case and accents."""
    return sa.or_(
        contains_folded(User.name, text),
        contains_folded(User.email, text),
        contains_folded(Organisation.name, text),
    )


@bp.route("/trainings/<int:training_id>/registrations")
@require(Permission.TRAININGS_MANAGE)
def registrants(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    filters = RegistrantFilterForm(request.args)
    filters.validate()
    registrations = db.session.scalars(_registrants_query(training, filters)).all()
    return render_template(
        "trainings/registrants.html",
        training=training,
        registrations=registrations,
        filters=filters,
        post_form=PostForm(),
        language=current_language(),
    )


@bp.route("/trainings/<int:training_id>/registrations/bulk", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def bulk(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    if not PostForm().validate_on_submit():
        abort(400)
    action = request.form.get("action")
    ids = [i for i in map(parse_id, request.form.getlist("registration")) if i is not None]
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.id.in_(ids))
        .order_by(Registration.created_at, Registration.id)
    ).all()
    if action not in services.BULK_ACTIONS or not registrations:
        flash(_("Choose people and an action."), "error")
        return redirect(url_for("trainings.registrants", training_id=training.id))
    with transaction.action():
        services.decide(registrations, action, by=current_person())
    flash(_("%(n)s registrations updated.", n=len(registrations)), "success")
    return redirect(url_for("trainings.registrants", training_id=training.id))


@bp.route("/trainings/<int:training_id>/registrations.csv")
@require(Permission.TRAININGS_MANAGE)
def export(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    filters = RegistrantFilterForm(request.args)
    filters.validate()
    registrations = db.session.scalars(_registrants_query(training, filters)).all()
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Country"),
        _("State"),
        _("Registered (UTC)"),
        _("Motivation"),
        _("Accessibility needs"),
        _("Dietary needs"),
        _("Completed"),
    ]
    rows = (
        [
            r.user.name,
            r.user.email,
            r.organisation.name if r.organisation else "",
            country_name(r.organisation.country) if r.organisation else "",
            r.state.label,
            iso(r.created_at),  # ISO 8601 with its +00:00 offset: spreadsheets and scripts read the zone
            r.motivation,
            r.accessibility_needs,
            r.dietary_needs,
            _("yes") if r.completed_at else "",
        ]
        for r in registrations
    )
    return csv_response(header, rows, f"registrations-{training.id}.csv")


def _session(training: Training, session_id: int) -> TrainingSession:
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.training_id != training.id:
        abort(404)
    return session


@bp.route("/trainings/<int:training_id>/sessions/<int:session_id>/check-in")
@require(Permission.TRAININGS_MANAGE)
def checkin(training_id: int, session_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    session = _session(training, session_id)
    search = (request.args.get("q") or "").strip()[:100]
    query = (
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.state == RegistrationState.CONFIRMED)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
        .options(sa.orm.contains_eager(Registration.user), sa.orm.contains_eager(Registration.organisation))
        .order_by(User.name, Registration.id)
    )
    if search:
        query = query.where(_matching(search))
    registrations = db.session.scalars(query).all()
    present = set(
        db.session.scalars(sa.select(Attendance.registration_id).where(Attendance.session_id == session.id))
    )
    return render_template(
        "trainings/checkin.html",
        training=training,
        session=session,
        registrations=registrations,
        present=present,
        search=search,
        started=session.starts_at <= utcnow(),
        language=current_language(),
    )


@bp.route(
    "/trainings/<int:training_id>/sessions/<int:session_id>/check-in/<int:registration_id>", methods=["POST"]
)
@require(Permission.TRAININGS_MANAGE)
def mark(training_id: int, session_id: int, registration_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    session = _session(training, session_id)
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.training_id != training.id
        or registration.state is not RegistrationState.CONFIRMED
    ):
        abort(404)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                services.set_attendance(
                    registration, session, request.form.get("present") == "1", by=current_person()
                )
        except services.AttendanceNotOpen as error:
            flash(error.message, "error")
    return redirect(
        url_for("trainings.checkin", training_id=training.id, session_id=session.id) + f"#r{registration.id}"
    )
