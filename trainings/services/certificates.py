"""Completion and certificates: issued once the last session has ended and the completion rule holds.

A certificate is never deleted. When the attendance behind it is corrected below the rule, or staff revoke
it, it is marked revoked, so its public check says "revoked on ... (why)" instead of "not found". A
certificate revoked by a correction comes back if the attendance is corrected again; one revoked by staff
does not.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from consortium import signals
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import normalise_language
from consortium.mail import queue_email
from consortium.users.models import User
from trainings.models import (
    Attendance,
    Certificate,
    Registration,
    RegistrationState,
    Revocation,
    Training,
    TrainingState,
)
from trainings.services.documents import certificate_pdf, certificate_url, new_certificate_code
from trainings.services.seats import claim_training_once

SUBJECT = _l("Your certificate: %(title)s")
REVOKED_SUBJECT = _l("Your certificate was revoked: %(title)s")


def meets_rule(registration: Registration) -> bool:
    training = registration.training
    total = len(training.sessions)
    attended = db.session.scalar(
        sa.select(sa.func.count()).where(Attendance.registration_id == registration.id)
    )
    return total > 0 and attended * 100 >= training.completion_percent * total


def update_completion(registration: Registration, *, now: datetime, by: User | None = None) -> None:
    """Bring completion and certificate in line with the attendance (call with the registration locked)."""
    training = registration.training
    if not meets_rule(registration):
        registration.completed_at = None
        if registration.certificate is not None and not registration.certificate.is_revoked:
            revoke(registration.certificate, Revocation.ATTENDANCE_CORRECTED, by=by, now=now)
        db.session.flush()
        return
    ended = training.ends_at is not None and training.ends_at <= now
    if ended and training.state is TrainingState.PUBLISHED:
        _issue(registration, now=now, by=by)


def _issue(registration: Registration, *, now: datetime, by: User | None) -> None:
    certificate = registration.certificate
    if certificate is not None and certificate.revocation is Revocation.STAFF_DECISION:
        return  # staff's decision stands whatever the attendance says
    registration.completed_at = registration.completed_at or now
    if certificate is None:
        certificate = Certificate(code=new_certificate_code(), issued_at=now)
        registration.certificate = certificate
    elif certificate.is_revoked:
        certificate.revoked_at = certificate.revoked_by_id = certificate.revocation = None
        certificate.revoked_reason, certificate.issued_at = "", now
    else:
        return
    db.session.flush()
    signals.state_changed.send(certificate, action="trainings.certificate_issued", by=by)
    send_certificate(certificate)


def revoke(
    certificate: Certificate,
    revocation: Revocation,
    *,
    by: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    if certificate.is_revoked:
        return
    certificate.revoked_at = now or utcnow()
    certificate.revoked_by_id = by.id if by else None
    certificate.revocation = revocation
    certificate.revoked_reason = reason
    if revocation is Revocation.STAFF_DECISION:
        certificate.registration.completed_at = None
    db.session.flush()
    signals.state_changed.send(certificate, action="trainings.certificate_revoked", by=by, reason=reason)
    _tell_holder_revoked(certificate)


def _language(person: User) -> str:
    return normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _tell_holder_revoked(certificate: Certificate) -> None:
    """The holder learns it from us, in their language, with the reason the check page shows.

    Queued in the outbox with the revocation: the worker sends it only once the transaction committed.
    """
    registration = certificate.registration
    person, training = registration.user, registration.training
    if person.is_deleted:
        return
    language = _language(person)
    title, _lang = training.text("title", language)
    with force_locale(language):
        subject = str(REVOKED_SUBJECT % {"title": title})
        reason = certificate.revoked_reason or str(certificate.revocation.label)
    queue_email(
        person.email,
        "trainings/certificate_revoked",
        subject,
        to_name=person.name,
        locale=language,
        title=title,
        reason=reason,
        url=certificate_url(certificate),
    )


def send_certificate(certificate: Certificate) -> None:
    """E-mail the certificate to its participant in their language: the PDF attached, and its check link."""
    registration = certificate.registration
    person, training = registration.user, registration.training
    if person.is_deleted:
        return
    language = _language(person)
    title, _lang = training.text("title", language)
    with force_locale(language):
        subject = str(SUBJECT % {"title": title})
    queue_email(
        person.email,
        "trainings/certificate",
        subject,
        to_name=person.name,
        locale=language,
        attachments=[
            (f"certificate-{certificate.code}.pdf", "application/pdf", certificate_pdf(certificate))
        ],
        title=title,
        code=certificate.code,
        url=certificate_url(certificate),
    )


def issue_due_certificates(now: datetime | None = None) -> int:
    """Certificates for trainings whose last session has ended (run by cron; each training once).

    Marking attendance after the end issues at once; this covers people marked during the last session.
    """
    now = now or utcnow()
    ended = db.session.scalars(
        sa.select(Training.id).where(
            Training.state == TrainingState.PUBLISHED,
            Training.certificates_issued_at.is_(None),
            Training.ends_at <= now,
        )
    ).all()
    issued = 0
    for training_id in ended:
        if not claim_training_once(training_id, Training.certificates_issued_at, now):
            continue
        waiting = db.session.scalars(
            sa.select(Registration).where(
                Registration.training_id == training_id,
                Registration.state == RegistrationState.CONFIRMED,
                Registration.completed_at.is_(None),
            )
        ).all()
        for registration in waiting:
            if meets_rule(registration):
                _issue(registration, now=now, by=None)
                issued += registration.completed_at is not None
    return issued
