"""Participants: registering (themselves or colleagues), cancelling, their registrations and certificates."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from consortium import transaction
from consortium.db import db
from consortium.forms import PostForm, first_submission, remember_result
from consortium.i18n import current_language
from consortium.organisations.models import Membership, Organisation, OrganisationRole
from consortium.permissions import Permission, can, public, require, visible_or_404
from consortium.users import current_person
from consortium.users.models import User
from trainings import services
from trainings.forms import (
    RegistrationForm,
    RevokeForm,
)
from trainings.models import (
    Certificate,
    Registration,
    RegistrationState,
    Revocation,
    Training,
)
from trainings.views import bp


def _registration_choices(user: User):
    """People this user may register (self, plus colleagues where they are admin) and organisations.

    Organisations awaiting verification are listed after the others (the form shows them disabled);
    someone who belongs to none that is verified registers on their own behalf.
    """
    organisations = sorted((m.organisation for m in user.memberships), key=lambda o: not o.is_verified)
    if not any(o.is_verified for o in organisations):
        organisations = []
    admin_of = [
        m.organisation_id
        for m in user.memberships
        if m.role is OrganisationRole.ADMIN and m.organisation.is_verified
    ]
    people = [user]
    if admin_of:
        colleagues = db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id.in_(admin_of), User.id != user.id, User.is_active.is_(True))
            .order_by(User.name)
            .distinct()
        ).all()
        people.extend(colleagues)
    return people, organisations


@bp.route("/trainings/<int:training_id>/register", methods=["GET", "POST"])
@require(Permission.TRAININGS_ENROL)
def register(training_id: int):
    training = visible_or_404(Training, training_id, Permission.TRAININGS_VIEW)
    user = current_person()
    people, organisations = _registration_choices(user)
    form = RegistrationForm(
        people=people,
        organisations=organisations,
        person_id=user.id,
        organisation_id=organisations[0].id if organisations else None,
    )
    if not organisations:
        form.organisation_id.validate_choice = False
    if not training.registration_open():
        flash(_("Registration for this training is not open."), "error")
        return redirect(url_for("trainings.detail", training_id=training.id))
    if form.validate_on_submit():
        person = db.session.get(User, form.person_id.data)
        organisation = db.session.get(Organisation, form.organisation_id.data) if organisations else None
        url = url_for("trainings.detail", training_id=training.id)
        if person.id != user.id:
            url = (
                url_for("trainings.registrants", training_id=training.id)
                if can(Permission.TRAININGS_MANAGE)
                else url_for("trainings.mine")
            )
        try:
            with transaction.action():
                earlier = first_submission(form)
                if earlier is not None:
                    return redirect(earlier.result_url or url)
                registration = services.register(
                    training,
                    person,
                    organisation,
                    by=user,
                    motivation=form.motivation.data,
                    accessibility_needs=form.accessibility_needs.data,
                    dietary_needs=form.dietary_needs.data,
                )
                remember_result(form, url)
        except services.RegistrationError as error:  # rolled back, the submission key with it
            form.motivation.errors = [*form.motivation.errors, error.message]
            flash(error.message, "error")
        else:
            flash(_state_message(registration, person, user), "success")
            return redirect(url)
    return render_template(
        "trainings/register.html", training=training, form=form, language=current_language()
    )


def _state_message(registration: Registration, person: User, user: User) -> str:
    name = person.name
    if registration.state is RegistrationState.CONFIRMED:
        return _("%(name)s has a confirmed place.", name=name)
    if registration.state is RegistrationState.WAITLISTED:
        return _("The training is full: %(name)s is on the waiting list.", name=name)
    return _("Registration received for %(name)s; staff will review it.", name=name)


@bp.route("/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@require()
def cancel_registration(registration_id: int):
    """GET asks "are you sure?" (a page, so it works without JavaScript); POST cancels, holding the seat."""
    registration = visible_or_404(Registration, registration_id, Permission.TRAININGS_REGISTRATION_MANAGE)
    back = url_for("trainings.detail", training_id=registration.training_id)
    if not registration.is_active:
        return redirect(back)
    form = PostForm()
    if form.validate_on_submit():
        with transaction.action():
            services.cancel_registration(registration, by=current_person(), hold=True)
        if registration.seat_held_until is not None:
            flash(
                _(
                    "The registration was cancelled. Changed your mind? You can undo until %(time)s.",
                    time=format_time(registration.seat_held_until, "short"),
                ),
                "success",
            )
        else:
            flash(_("The registration was cancelled."), "success")
        return redirect(back)
    return render_template(
        "trainings/cancel.html",
        registration=registration,
        form=form,
        minutes=int(services.UNDO_WINDOW.total_seconds() // 60),
        language=current_language(),
    )


@bp.route("/registrations/<int:registration_id>/undo-cancel", methods=["POST"])
@require()
def undo_cancel(registration_id: int):
    registration = visible_or_404(Registration, registration_id, Permission.TRAININGS_REGISTRATION_MANAGE)
    if PostForm().validate_on_submit():
        try:
            with transaction.action():
                undone = services.undo_cancel(registration, by=current_person())
        except services.RegistrationError as error:
            flash(error.message, "error")
        else:
            if undone:
                flash(_("Undone: your place is confirmed again."), "success")
            else:
                flash(_("It is too late to undo: the seat went to the next person in line."), "error")
    return redirect(url_for("trainings.detail", training_id=registration.training_id))


@bp.route("/trainings/mine")
@require()
def mine():
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(
            sa.or_(
                Registration.user_id == current_user.id,
                Registration.registered_by_id == current_user.id,
            )
        )
        .options(
            sa.orm.joinedload(Registration.training),
            sa.orm.joinedload(Registration.user),
            sa.orm.selectinload(Registration.certificate),
        )
        .order_by(Registration.created_at.desc())
    ).all()
    return render_template(
        "trainings/mine.html", registrations=registrations, post_form=PostForm(), language=current_language()
    )


@bp.route("/registrations/<int:registration_id>/certificate.pdf")
@require()
def certificate(registration_id: int):
    registration = visible_or_404(Registration, registration_id, Permission.TRAININGS_REGISTRATION_MANAGE)
    if registration.certificate is None or registration.certificate.is_revoked:
        abort(404)
    pdf = services.certificate_pdf(registration.certificate)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{registration.certificate.code}.pdf"'
        },
    )


def _certificate(code: str) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.code == code.strip().upper())
        .options(
            sa.orm.joinedload(Certificate.registration).joinedload(Registration.user),
            sa.orm.joinedload(Certificate.registration).joinedload(Registration.training),
        )
    )


@bp.route("/certificates/<code>")
@public
def verify_certificate(code: str):
    """Genuine, revoked (when and why) or unknown: the page a certificate's QR code opens."""
    found = _certificate(code)
    return render_template(
        "trainings/certificate.html",
        certificate=found,
        code=code,
        form=RevokeForm(),
        language=current_language(),
    ), (200 if found else 404)


@bp.route("/certificates/<code>/revoke", methods=["POST"])
@require(Permission.TRAININGS_MANAGE)
def revoke_certificate(code: str):
    certificate = _certificate(code)
    if certificate is None:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return render_template(
            "trainings/certificate.html",
            certificate=certificate,
            code=code,
            form=form,
            language=current_language(),
        ), 422
    if not certificate.is_revoked:
        with transaction.action():
            services.revoke(
                certificate, Revocation.STAFF_DECISION, by=current_person(), reason=form.reason.data.strip()
            )
        flash(_("The certificate is revoked; its check page says so."), "success")
    return redirect(url_for("trainings.verify_certificate", code=certificate.code))
