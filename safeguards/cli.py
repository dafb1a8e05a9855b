"""``flask safeguards``: load the framework files (idempotent); the roadmap's daily delays and reminders."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import utcnow
from safeguards import framework as fw
from safeguards.roadmap import actions, reminders

safeguards_cli = AppGroup("safeguards", help="Safeguards self-assessment.")


@safeguards_cli.command("load-framework")
def load_framework():
    """Load the framework versions in safeguards/frameworks/. Loaded versions are never changed."""
    try:
        with transaction.writing(), transaction.action():
            results = fw.load_all()
    except fw.FrameworkConflict as conflict:
        raise click.ClickException(str(conflict)) from None
    for framework, created in results:
        click.echo(f"Framework {framework.version}: {'loaded' if created else 'already loaded, unchanged'}.")


@safeguards_cli.command("roadmap-delays")
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day to judge by (UTC)."
)
def roadmap_delays(today):
    """Mark "delayed" every roadmap action whose due date passed with milestones still open (run daily)."""
    day = today.date() if today else utcnow().date()
    with transaction.writing(), transaction.action():
        moved = actions.mark_delayed(day)
    click.echo(f"{len(moved)} roadmap action(s) marked delayed.")


@safeguards_cli.command("roadmap-reminders")
def roadmap_reminders():
    """E-mail owners a week before an action's due date and after 30 days without an update (run daily).

    Each reminder goes once per action and kind, however often (or on however many hosts) this runs.
    """
    # the links in the e-mails are built as in a request to the public address
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        transaction.writing(),
        transaction.action(),
    ):
        sent = reminders.send_reminders()
    click.echo(f"Queued {sent} roadmap reminder(s).")
