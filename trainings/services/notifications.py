"""E-mail to registrants: one notice per event in the registration's life, and the reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import normalise_language
from consortium.mail import public_url, queue_email
from trainings.models import (
    Registration,
    RegistrationState,
    Training,
    TrainingState,
)
from trainings.services.documents import ics
from trainings.services.seats import claim_training_once, registrations_in, waitlist_position

REMINDER_AHEAD = timedelta(hours=48)


SUBJECTS = {
    "received": _l("We received your registration: %(title)s"),
    "confirmed": _l("Your place is confirmed: %(title)s"),
    "waitlisted": _l("You are on the waiting list: %(title)s"),
    "promoted": _l("A place opened up for you: %(title)s"),
    "rejected": _l("Your registration was not accepted: %(title)s"),
    "cancelled": _l("Your registration was cancelled: %(title)s"),
    "changed": _l("The training changed: %(title)s"),
    "training_cancelled": _l("The training was cancelled: %(title)s"),
    "reminder": _l("Reminder: %(title)s starts soon"),
}


def notify(registration: Registration, kind: str) -> None:
    person = registration.user
    training = registration.training
    language = normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
    title, _lang = training.text("title", language)
    confirmed = registration.state is RegistrationState.CONFIRMED
    attachments = []
    if kind in ("confirmed", "promoted", "changed", "reminder") and confirmed:
        attachments.append(
            ("training.ics", "text/calendar", ics(training, with_link=True, language=language))
        )
    with force_locale(language):
        subject = str(SUBJECTS[kind] % {"title": title})
    queue_email(
        person.email,
        "trainings/notice",
        subject,
        to_name=person.name,
        locale=language,
        attachments=attachments,
        kind=kind,
        title=title,
        training=training,
        registration=registration,
        show_link=confirmed and bool(training.online_url),
        position=waitlist_position(registration),
        url=public_url("trainings.detail", training_id=training.id),
    )


def send_reminders(now: datetime | None = None) -> int:
    """Remind confirmed people 48 hours before the first session; each training is claimed once."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Training.id).where(
            Training.state == TrainingState.PUBLISHED,
            Training.reminder_sent_at.is_(None),
            Training.starts_at > now,
            Training.starts_at <= now + REMINDER_AHEAD,
        )
    ).all()
    sent = 0
    for training_id in due:
        if not claim_training_once(training_id, Training.reminder_sent_at, now):
            continue
        training = db.session.get(Training, training_id)
        for registration in registrations_in(training, [RegistrationState.CONFIRMED]):
            notify(registration, "reminder")
            sent += 1
    return sent
