"""``flask safeguards load-framework``: load every framework file (idempotent)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from consortium import transaction
from safeguards import framework as fw

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
