"""``flask safeguards load-framework``: load every framework file (idempotent)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import utcnow
from safeguards import framework as fw
from safeguards.roadmap import actions

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
