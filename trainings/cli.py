"""``flask trainings remind`` and ``flask trainings certificates``: run by cron, e.g. hourly;
``flask trainings release-seats``: every minute or so (held seats are also released by the next action
on their training, so a late cron never gives a held seat away twice)."""

from __future__ import annotations

import contextlib

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import db, utcnow
from trainings.models import Registration, Training
from trainings.services.certificates import issue_due_certificates
from trainings.services.notifications import send_reminders
from trainings.services.registrations import release_expired_holds

trainings_cli = AppGroup("trainings", help="Trainings.")


@contextlib.contextmanager
def _one_action():
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        transaction.writing(),
        transaction.action(),
    ):
        yield


@trainings_cli.command("remind")
def remind():
    """E-mail confirmed participants 48 hours before a training's first session (once per training)."""
    with _one_action():
        sent = send_reminders()
    click.echo(f"Queued {sent} reminders.")


@trainings_cli.command("certificates")
def certificates():
    """Issue and e-mail the certificates of trainings whose last session has ended (once per training)."""
    with _one_action():
        issued = issue_due_certificates()
    click.echo(f"Issued {issued} certificates.")


@trainings_cli.command("release-seats")
def release_seats():
    """Give seats held past their undo window to the waiting list (each training under its row lock)."""
    now = utcnow()
    released = 0
    with _one_action():
        trainings = db.session.scalars(
            sa.select(Registration.training_id).where(Registration.seat_held_until <= now).distinct()
        ).all()
        for training_id in trainings:
            released += len(release_expired_holds(transaction.lock(Training, training_id), now))
    click.echo(f"Released {released} seats.")
