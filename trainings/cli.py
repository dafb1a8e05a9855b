"""``flask trainings remind``: run by cron, e.g. hourly."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from trainings.services.notifications import send_reminders

trainings_cli = AppGroup("trainings", help="Trainings.")


@trainings_cli.command("remind")
def remind():
    """E-mail confirmed participants 48 hours before a training's first session (once per training)."""
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        transaction.writing(),
        transaction.action(),
    ):
        sent = send_reminders()
    click.echo(f"Queued {sent} reminders.")
